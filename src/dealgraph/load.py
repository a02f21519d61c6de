"""Load: read the ontology, the facts and the shapes of a dealgraph project into RDF graphs.

Files are parsed with pyoxigraph, which is strict (invalid IRIs, undeclared prefixes and
relative IRIs are errors, not warnings) and reports the line and column of every syntax
error. The facts, which grow with the data, go straight into a pyoxigraph store that the
later stages read; the ontology, the shapes and the Wikidata snapshot (small, read by HermiT,
pyshacl and the reports) become rdflib graphs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import SourceError
from .namespaces import GRAPH_BASE, prefixes
from .settings import Settings

# File suffix -> (pyoxigraph format, name used in messages)
LINE_BASED = (".nt", ".nq")  # formats whose every line stands alone
FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    ".ttl": (ox.RdfFormat.TURTLE, "Turtle"),
    ".trig": (ox.RdfFormat.TRIG, "TriG"),
    ".nt": (ox.RdfFormat.N_TRIPLES, "N-Triples"),
    ".nq": (ox.RdfFormat.N_QUADS, "N-Quads"),
    ".jsonld": (ox.RdfFormat.JSON_LD, "JSON-LD"),
}
WIKIDATA_FOLDER = "wikidata"  # data/wikidata/: a Wikidata snapshot, kept apart from curated facts
# ontology/alignments*.ttl map dg: terms to other vocabularies: published, never reasoned over,
# so that inferred triples come from the dg: axioms alone.
ALIGNMENTS_PREFIX = "alignments"

_RDF_LANG_STRING = str(RDF.langString)
_RDF_TYPE = str(RDF.type)
_XSD_STRING = str(XSD.string)
_OX_POSITION = re.compile(r"^Parser error (?:at|between) line [^:]*: ")
# A term at the start of a line: how the project's files open a statement about a subject.
_STATEMENT_START = re.compile(r"^(<[^<>\s]*>|[A-Za-z][\w.-]*:[^\s;,()\[\]\"]*)", re.MULTILINE)


@dataclass(frozen=True)
class Sources:
    """Everything a build reads, as graphs, plus where each subject of the facts is written.

    ``defined_in`` maps a subject (IRI or blank node id) of ``data``, ``ontology`` or
    ``wikidata`` (the snapshot under ``data/wikidata/``) to the
    files, relative to the project root, that define it: those typing it with ``rdf:type``,
    else those having it as a subject at all. ``lines`` maps such a subject to the line, per
    file, where a statement about it first starts (a line opening with its IRI), for messages
    that point into a file.

    The facts (``data/`` outside ``wikidata/``) grow with the field of deals: they are parsed
    straight into the default graph of ``facts``, a pyoxigraph store, which the build's later
    stages read; ``data`` is the same triples as an rdflib graph, made only when asked for.
    """

    root: Path
    ontology: Graph
    alignments: Graph
    facts: ox.Store
    shapes: Graph
    wikidata: Graph
    files: tuple[str, ...] = ()
    lines: dict[str, dict[str, int]] = field(default_factory=dict)
    # Named graphs that data files (TriG, N-Quads) keep: graph IRI -> its triples, published
    # as they stand (neither reasoned over nor validated: they are not dealgraph's facts).
    named: dict[str, Graph] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)  # those of the data files
    # The files typing each subject, and those stating anything about it: what defined_in is
    # made of (kept for the next build, which updates them for the files that changed).
    typed_in: dict[str, list[str]] = field(default_factory=dict)
    written_in: dict[str, list[str]] = field(default_factory=dict)

    @cached_property
    def defined_in(self) -> dict[str, list[str]]:
        """Subject -> the files typing it, else those stating anything about it."""
        return {s: self.typed_in.get(s) or files for s, files in self.written_in.items()}

    @cached_property
    def data(self) -> Graph:
        """The facts as an rdflib graph (for the readers that walk them in Python)."""
        graph = Graph()
        for prefix, namespace in self.prefixes.items():
            graph.namespace_manager.bind(prefix, namespace, override=False)
        _bind_project_prefixes(graph)
        for quad in self.facts.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            graph.add((_term(quad.subject, ""), _term(quad.predicate, ""), _term(quad.object, "")))
        return graph


def load(settings: Settings) -> Sources:
    """Parse ``ontology/``, ``data/`` and ``shapes/`` of *settings.root* into :class:`Sources`.

    Raises :class:`SourceError` naming the file (and line, column) when a folder is missing
    or holds no RDF file, or when a file is binary, not UTF-8, or not well-formed.
    """
    root = settings.root
    ontology_files = _rdf_files(root, settings.ontology_dir)
    data_files = _rdf_files(root, settings.data_dir)
    shape_files = _rdf_files(root, settings.shapes_dir)

    wikidata_dir = settings.data_dir / WIKIDATA_FOLDER
    fact_files = [p for p in data_files if not p.is_relative_to(wikidata_dir)]
    if not fact_files:
        raise SourceError(f"{_rel(root, settings.data_dir)}/ holds no facts outside wikidata/")

    ontology, alignments, shapes, wikidata = Graph(), Graph(), Graph(), Graph()
    facts = ox.Store()
    prefixes: dict[str, str] = {}
    for path in shape_files:
        _parse_into(shapes, root, path)
    typed: dict[str, list[str]] = defaultdict(list)
    anywhere: dict[str, list[str]] = defaultdict(list)
    lines: dict[str, dict[str, int]] = defaultdict(dict)
    named: dict[str, Graph] = defaultdict(Graph)
    for path in ontology_files + data_files:
        rel = _rel(root, path)
        file_lines: dict[str, int] = {}
        if path.is_relative_to(settings.data_dir) and not path.is_relative_to(wikidata_dir):
            # The facts: straight into the store, never through rdflib (they grow with the data).
            subjects, types = _parse_facts(facts, root, path, file_lines, named, prefixes)
        else:
            keeps = named if path.is_relative_to(settings.data_dir) else None
            graph = _parse_into(Graph(), root, path, file_lines, keeps)
            subjects = {str(s) for s in graph.subjects()}
            types = {str(s) for s in graph.subjects(RDF.type, None)}
        for subject, line in file_lines.items():
            lines[subject][rel] = line
        for subject in types:
            typed[subject].append(rel)
        for subject in subjects:
            anywhere[subject].append(rel)
        if path.is_relative_to(wikidata_dir):
            # Its own graph, but in defined_in too: the gate validates it and names its file.
            wikidata += graph
        elif path.is_relative_to(settings.ontology_dir):
            if path.name.startswith(ALIGNMENTS_PREFIX):
                alignments += graph
            else:
                ontology += graph

    for graph in (ontology, alignments, shapes, wikidata):
        _bind_project_prefixes(graph)
    return Sources(
        root=root,
        ontology=ontology,
        alignments=alignments,
        facts=facts,
        shapes=shapes,
        wikidata=wikidata,
        files=tuple(_rel(root, p) for p in ontology_files + data_files + shape_files),
        lines=dict(lines),
        named=dict(named),
        prefixes=prefixes,
        typed_in=dict(typed),
        written_in=dict(anywhere),
    )


def load_schema(settings: Settings) -> tuple[Graph, Graph]:
    """The ontology (without its alignments) and the shapes, as :func:`load` reads them: what
    a build after an edit of the facts reads again (they are small)."""
    ontology, shapes = Graph(), Graph()
    for path in _rdf_files(settings.root, settings.ontology_dir):
        if not path.name.startswith(ALIGNMENTS_PREFIX):
            _parse_into(ontology, settings.root, path)
    for path in _rdf_files(settings.root, settings.shapes_dir):
        _parse_into(shapes, settings.root, path)
    for graph in (ontology, shapes):
        _bind_project_prefixes(graph)
    return ontology, shapes


def rdf_sources(settings: Settings) -> list[Path]:
    """The files :func:`load` reads (ontology, data, shapes), refused as it refuses them."""
    folders = (settings.ontology_dir, settings.data_dir, settings.shapes_dir)
    return [path for folder in folders for path in _rdf_files(settings.root, folder)]


def is_fact_file(settings: Settings, path: Path) -> bool:
    """Whether *path* holds facts: under ``data/``, outside its Wikidata snapshot."""
    return path.is_relative_to(settings.data_dir) and not path.is_relative_to(
        settings.data_dir / WIKIDATA_FOLDER
    )


def _bind_project_prefixes(graph: Graph) -> None:
    """Bind dealgraph's own prefixes in *graph*, for reports and serialisations."""
    for prefix, namespace in prefixes("dg", "id").items():
        graph.namespace_manager.bind(prefix, namespace)


def _rdf_files(root: Path, folder: Path) -> list[Path]:
    """The RDF files under *folder*, sorted; a SourceError when there is none."""
    if not folder.is_dir():
        raise SourceError(f"{_rel(root, folder)}/ is missing: {root} is not a dealgraph project")
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in FORMATS and p.is_file() and not p.name.startswith(".")
    )
    if not files:
        kinds = ", ".join(FORMATS)
        raise SourceError(f"{_rel(root, folder)}/ holds no RDF file ({kinds})")
    inside = root.resolve()
    for path in files:
        if not path.resolve().is_relative_to(inside):  # a symbolic link out of the project
            raise SourceError(
                f"{_rel(root, path)}: refused, it is a symbolic link to a file outside the "
                "project; copy the file into the project instead"
            )
    return files


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _parse_into(
    graph: Graph,
    root: Path,
    path: Path,
    lines: dict[str, int] | None = None,
    named: dict[str, Graph] | None = None,
) -> Graph:
    """Parse *path* and add its triples to *graph*; when *lines* is given, record in it the
    line where each subject's first statement starts. Triples in a named graph go to
    ``named[graph IRI]`` when *named* is given (data files), else to *graph* too; a named
    graph under dealgraph's own graph IRIs (``graph/asserted``, ``graph/inferred``, …) is
    refused with the file and line that names it."""
    rel, text, quads, prefixes = _parse_quads(root, path)
    for quad in quads:
        triple = (
            _term(quad.subject, rel), _term(quad.predicate, rel), _term(quad.object, rel)
        )  # fmt: skip
        target = graph
        if isinstance(quad.graph_name, ox.NamedNode) and named is not None:
            target = named.setdefault(quad.graph_name.value, Graph())
        target.add(triple)
    # Keep the file's prefixes: reports and serialisations read better with them.
    for prefix, namespace in prefixes.items():
        if prefix:
            graph.namespace_manager.bind(prefix, namespace, override=False)
    if lines is not None:
        lines.update(_statement_lines(text, prefixes, {str(s) for s in graph.subjects()}))
    return graph


def _parse_quads(
    root: Path, path: Path, skip: int = 0
) -> tuple[str, str, list[ox.Quad], dict[str, str]]:
    """The file's path relative to *root*, its text (after its first *skip* bytes), its
    quads and its prefixes; a :class:`SourceError` with the file and line for a syntax error
    or a named graph under dealgraph's own graph IRIs (``graph/asserted``, …)."""
    rel = _rel(root, path)
    fmt, fmt_name = FORMATS[path.suffix]
    text = _read_text(path, rel, skip)
    quads: list[ox.Quad] = []
    try:
        # Fresh blank node ids per file, so that _:b in two files are two nodes.
        parser = ox.parse(text, format=fmt, rename_blank_nodes=True)
        for quad in parser:
            if isinstance(quad.graph_name, ox.NamedNode):
                name = quad.graph_name.value
                if name.startswith(GRAPH_BASE):
                    raise SourceError(_reserved_graph_message(rel, text, name))
            quads.append(quad)
    except SyntaxError as error:
        raise SourceError(_syntax_message(rel, fmt_name, error)) from None
    return rel, text, quads, getattr(parser, "prefixes", {})


@dataclass(frozen=True)
class FileFacts:
    """The facts of one data file: its triples (default graph) and its named graphs' quads,
    its subjects and those it types with ``rdf:type`` (IRIs, blank ids), the line where each
    subject's first statement starts, and its prefixes."""

    rel: str
    triples: list[ox.Quad]
    named: list[ox.Quad]
    subjects: set[str]
    typed: set[str]
    lines: dict[str, int]
    prefixes: dict[str, str]

    @property
    def has_blank_nodes(self) -> bool:
        return any(
            isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
            for quad in self.triples
        )


def read_facts(root: Path, path: Path, skip: int = 0) -> FileFacts:
    """Parse the data file *path* (its name in messages relative to *root*); a
    :class:`SourceError` with the file and line when it cannot be used.

    With *skip*, only what follows its first *skip* bytes, which must end a line of a
    line-based format (N-Triples, N-Quads: every line stands alone); lines are then numbered
    from there (the caller adds the lines skipped)."""
    rel, text, quads, file_prefixes = _parse_quads(root, path, skip)
    subjects: set[str] = set()
    typed: set[str] = set()
    facts: list[ox.Quad] = []
    named: list[ox.Quad] = []
    for quad in quads:
        subject, predicate, obj, graph_name = quad
        if isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
            triple_term = subject if isinstance(subject, ox.Triple) else obj
            raise SourceError(f"{rel}: RDF-star triple terms are not supported ({triple_term})")
        if isinstance(graph_name, ox.NamedNode):
            named.append(quad)
            continue
        subjects.add(subject.value)
        if predicate.value == _RDF_TYPE:
            typed.add(subject.value)
        facts.append(quad if isinstance(graph_name, ox.DefaultGraph) else ox.Quad(*quad.triple))
    prefixes = {prefix: namespace for prefix, namespace in file_prefixes.items() if prefix}
    lines = _statement_lines(text, file_prefixes, subjects)
    return FileFacts(rel, facts, named, subjects, typed, lines, prefixes)


def _parse_facts(
    store: ox.Store,
    root: Path,
    path: Path,
    lines: dict[str, int],
    named: dict[str, Graph],
    prefixes: dict[str, str],
) -> tuple[set[str], set[str]]:
    """Parse the data file *path* into the default graph of *store* (its named graphs into
    *named*), record each subject's first line in *lines* and the file's prefixes in
    *prefixes*; return its subjects and those it types with ``rdf:type`` (IRIs, blank ids)."""
    facts = read_facts(root, path)
    for subject, predicate, obj, graph_name in facts.named:
        named.setdefault(graph_name.value, Graph()).add(  # type: ignore[union-attr]
            (_term(subject, facts.rel), _term(predicate, facts.rel), _term(obj, facts.rel))
        )
    store.extend(facts.triples)
    for prefix, namespace in facts.prefixes.items():
        prefixes.setdefault(prefix, namespace)
    lines.update(facts.lines)
    return facts.subjects, facts.typed


def _reserved_graph_message(rel: str, text: str, name: str) -> str:
    """``file:line: …`` for a quad in one of dealgraph's own named graphs."""
    local = name[len(GRAPH_BASE) :]
    found = re.search(rf"<{re.escape(name)}>|:{re.escape(local)}\b", text)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    return (
        f"{rel}:{line}: the named graph <{name}> is reserved for what dealgraph builds; "
        "give the data its own graph IRI (or none)"
    )


def _statement_lines(text: str, prefixes: dict[str, str], subjects: set[str]) -> dict[str, int]:
    """The line where each of *subjects* first opens a line of *text* (as ``<iri>`` or as a
    prefixed name): where a reader finds the statement about it."""
    found: dict[str, int] = {}
    line, counted = 1, 0
    for match in _STATEMENT_START.finditer(text):
        token = match.group(1)
        if token.startswith("<"):
            iri = token[1:-1]
        else:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local
        if iri in subjects and iri not in found:
            line += text.count("\n", counted, match.start())
            counted = match.start()
            found[iri] = line
    return found


def _read_text(path: Path, rel: str, skip: int = 0) -> str:
    """The file's text (after its first *skip* bytes); a SourceError for a binary or
    non-UTF-8 file, with the line."""
    raw = path.read_bytes()[skip:]
    if b"\0" in raw:
        raise SourceError(f"{rel}: binary file (it holds NUL bytes), not RDF text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start]
        raise SourceError(
            f"{rel}:{line}:{column}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
        ) from None


def _syntax_message(rel: str, fmt_name: str, error: SyntaxError) -> str:
    """``file:line:column: Turtle syntax error: reason`` from a pyoxigraph SyntaxError."""
    reason = _OX_POSITION.sub("", str(error.msg or error)).strip()
    reason = re.sub(r" \(line \d+\)$", "", reason)
    if reason == "Unexpected end of file":
        reason += " (a string, IRI or bracket opened here is never closed)"
    where = rel
    if error.lineno:
        where += f":{error.lineno}"
        if error.offset:
            where += f":{error.offset}"
    return f"{where}: {fmt_name} syntax error: {reason}"


def _term(term: object, rel: str) -> Node:
    """The rdflib term for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib keeps "x" and "x"^^xsd:string apart; they are one term in RDF 1.1.
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise SourceError(f"{rel}: RDF-star triple terms are not supported ({term})")
