"""Prove every verbatim quote: each ``oa:exact`` must be an exact substring of its source's text.

This is part of the gate, not only a test: the validate stage runs it after the shapes, and a
quote that is not found is a violation in the same report (focus node: the evidence node;
the message names the source file and the data file and line where the quote is written).
The source texts are files in one folder (``Settings.articles_dir``), matched by the
source's ``dcterms:identifier`` (its file name). When that folder is missing, nothing is
proven and the result says so (``skipped_reason``), so the caller can warn: never silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, SH, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS

from .namespaces import OA
from .validate import SEVERITY_ORDER, ValidationReport, ViolationResult

# The name the quote proof goes by in reports, beside the SHACL node shapes.
CHECK = "https://w3id.org/dealgraph/shapes#VerbatimQuoteCheck"
_SHOWN = 30  # characters of the quote shown from where it stops matching


@dataclass(frozen=True)
class QuoteProof:
    """What the quote proof found: how many quotes were compared with their source text, the
    violations, and why nothing was proven (``skipped_reason``) when the folder is missing."""

    folder: Path | None
    checked: int = 0
    results: list[ViolationResult] = field(default_factory=list)
    skipped_reason: str | None = None


@dataclass(frozen=True, order=True)
class Quote:
    """One verbatim quote: its evidence node, its text, the file name of its source text."""

    evidence: str  # the node's IRI (or blank node id), as defined_in has it
    text: str
    source_file: str | None  # the dcterms:identifier of its source, when it has one


def quotes_in(
    store: ox.Store, evidence: Iterable[ox.NamedNode] | None = None
) -> list[Quote]:
    """The verbatim quotes (``oa:exact``) of the default graph of *store* (a store, or a view
    with a ``query`` method), or those of the *evidence* nodes only."""
    only = "" if evidence is None else f"VALUES ?e {{ {' '.join(str(e) for e in evidence)} }}"
    query = f"""SELECT ?e ?quote (SAMPLE(?n) AS ?name) WHERE {{ {only}
      ?e <{OA.exact}> ?quote FILTER (isLiteral(?quote))
      OPTIONAL {{ ?e <{DCTERMS.source}> ?s . ?s <{DCTERMS.identifier}> ?n }} }}
      GROUP BY ?e ?quote"""
    return sorted(
        Quote(row["e"].value, row["quote"].value, row["name"].value if row["name"] else None)
        for row in store.query(query)
    )


def prove_quotes(
    quotes: list[Quote],
    folder: Path | None,
    root: Path,
    defined_in: Mapping[str, list[str]],
    lines: Mapping[str, dict[str, int]],
) -> QuoteProof:
    """Check each of *quotes* (:func:`quotes_in`) against the text of its source in *folder*.

    *defined_in* and *lines* (from :class:`~dealgraph.load.Sources`) say in which data file,
    and from which line, each evidence node is written, for the messages.
    """
    if not quotes:
        return QuoteProof(folder)
    if (reason := unproven_reason(folder, len(quotes))) is not None:
        return QuoteProof(folder, skipped_reason=reason)
    texts: dict[str, str | None] = {}
    files = _FileTexts(root)
    results: list[ViolationResult] = []
    checked = 0
    for evidence, quote, name in sorted((q.evidence, q.text, q.source_file) for q in quotes):
        if name is None or Path(name).name != name:
            continue  # no file name of a source text: the shapes report it
        if name not in texts:
            path = folder / name
            texts[name] = path.read_text(encoding="utf-8") if path.is_file() else None
        text = texts[name]
        checked += 1
        if text is not None and quote in text:
            continue
        written = files.where(evidence, quote, defined_in, lines)
        if text is None:
            message = (
                f"The quote (oa:exact) written at {written} cannot be proven: its source text "
                f"{name} is not in the folder of source texts {folder}."
            )
        else:
            message = _not_verbatim(str(quote), text, name, written)
        results.append(
            ViolationResult(
                focus_node=evidence,
                shape=CHECK,
                path=f"<{OA.exact}>",
                message=message,
                severity="Violation",
                value=str(quote),
                files=list(defined_in.get(evidence, [])),
            )
        )
    return QuoteProof(folder, checked=checked, results=results)


def unproven_reason(folder: Path | None, count: int | None = None) -> str | None:
    """Why quotes cannot be proven against the texts in *folder* (None when they can)."""
    if folder is not None and folder.is_dir():
        return None
    where = f"{folder} is missing" if folder is not None else "no folder was given"
    quotes = f"the {count} verbatim quotes" if count is not None else "the verbatim quotes"
    return (
        f"{quotes} (oa:exact) were NOT proven against their source texts: {where} (give the "
        "folder of source texts with --sources DIR or DEALGRAPH_ARTICLES)"
    )


def with_quote_proof(report: ValidationReport, proof: QuoteProof) -> ValidationReport:
    """*report* with the quote proof's violations added (to its results and to its
    ``sh:ValidationReport`` graph), and the proof listed among the checks when it ran."""
    if proof.skipped_reason is not None or not proof.checked:
        return report
    graph = report.graph
    verdict = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    if verdict is None:  # pyshacl always writes one; keep the graph a valid report regardless
        verdict = BNode()
        graph.add((verdict, RDF.type, SH.ValidationReport))
    for result in proof.results:
        node = BNode()
        graph.add((verdict, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, URIRef(result.focus_node)))
        graph.add((node, SH.resultPath, OA.exact))
        graph.add((node, SH.resultMessage, Literal(result.message)))
        graph.add((node, SH.resultSeverity, SH.Violation))
        graph.add((node, SH.sourceShape, URIRef(CHECK)))
        graph.add((node, SH.value, Literal(result.value)))
    results = sorted(
        [*report.results, *proof.results],
        key=lambda r: (SEVERITY_ORDER.get(r.severity, 3), r.focus_node, r.shape, r.path, r.message),
    )
    conforms = report.conforms and not proof.results
    graph.set((verdict, SH.conforms, Literal(conforms)))
    return replace(
        report, conforms=conforms, results=results, shapes=sorted({*report.shapes, CHECK})
    )


def _not_verbatim(quote: str, text: str, name: str, written: str) -> str:
    """Say where *quote* stops matching *text*: the longest start of it that *text* holds."""
    low, high = 0, len(quote)  # invariant: quote[:low] is in text, quote[:high + 1] is not
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    differs = quote[low : low + _SHOWN] + ("…" if len(quote) > low + _SHOWN else "")
    return (
        f"The quote (oa:exact) written at {written} is not verbatim in its source text {name}: "
        f"its first {low} characters are in the text, then it differs at “{differs}”. Copy the "
        "words exactly as the source writes them, apostrophes, quotation marks and spaces included."
    )


class _FileTexts:
    """Data files read once each, to find the line where a quote is written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.texts: dict[str, str] = {}

    def where(
        self,
        subject: str,
        quote: str,
        defined_in: dict[str, list[str]],
        lines: dict[str, dict[str, int]],
    ) -> str:
        """``file:line`` of *quote* in the statement about *subject* (or of the statement)."""
        starts = lines.get(subject, {})
        for rel in [*starts, *defined_in.get(subject, [])]:
            text = self._text(rel)
            start_line = starts.get(rel, 1)
            offset = _offset_of_line(text, start_line)
            for written in (quote, _turtle_escaped(quote)):
                found = text.find(written, offset)
                if found >= 0:
                    return f"{rel}:{text.count(chr(10), 0, found) + 1}"
            if rel in starts:
                return f"{rel}:{start_line}"
        return "(no data file)"

    def _text(self, rel: str) -> str:
        if rel not in self.texts:
            path = self.root / rel
            self.texts[rel] = path.read_text(encoding="utf-8") if path.is_file() else ""
        return self.texts[rel]


def _offset_of_line(text: str, line: int) -> int:
    """The offset in *text* where its *line* (1-based) starts."""
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return 0
    return offset


def _turtle_escaped(quote: str) -> str:
    """*quote* as written inside a Turtle "…" string: backslashes and quotes escaped."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(escapes.get(char, char) for char in quote)
