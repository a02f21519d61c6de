"""The pipeline: load → reason → derive → validate (``check``), then publish (``build``).

Nothing that fails a stage is published: a build either makes a new, validated store
current or leaves the one being served untouched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .delta.index import INDEX_FILE, SubjectIndex
from .delta.state import CLASSIFIED_FILE, BuildState, SourceFiles
from .errors import ValidationFailed
from .gate import gate
from .gate.run import add_graphs
from .intime.derive import derive_in_store, graph_of
from .load import Sources, load
from .namespaces import (
    ASSERTED_GRAPH,
    DERIVED_GRAPH,
    GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
)
from .publish import publish
from .quotes import QuoteProof, prove_quotes, quotes_in, with_quote_proof
from .reason import Reasoning
from .rules.reasoning import reason_into_store
from .settings import Settings
from .store import BUILDS_FOLDER, INFO_FILE, BuildInfo, current_info
from .validate import ValidationReport

WIKIDATA_GRAPH = GRAPH["wikidata"]
STAGES = ("load", "reason", "derive", "validate", "publish")

Progress = Callable[[str], None]  # called with a stage name as that stage starts


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found: the sources, the reasoner's output, the derived triples (time
    in force, periods), the shapes' verdict."""

    sources: Sources
    reasoning: Reasoning
    report: ValidationReport
    timings: dict[str, float] = field(default_factory=dict)
    derived_triples: list = field(default_factory=list)  # pyoxigraph terms, as published
    quotes: QuoteProof = field(default_factory=lambda: QuoteProof(None))  # verbatim quotes

    @cached_property
    def derived(self) -> Graph:
        """The derived triples as an rdflib graph (made when a reader asks for it)."""
        return graph_of(self.derived_triples)

    @property
    def conforms(self) -> bool:
        return self.report.conforms


def check(settings: Settings, progress: Progress | None = None) -> CheckResult:
    """Load, reason, derive and validate the sources of *settings*; publish nothing.

    Raises :class:`~dealgraph.errors.SourceError`, :class:`InconsistentOntologyError` or
    :class:`ReasonerError` for unusable input; a non-conforming report is returned, not raised.
    """
    notify = progress or _quiet
    timings: dict[str, float] = {}

    notify("load")
    started = time.perf_counter()
    sources = load(settings)
    timings["load"] = time.perf_counter() - started

    notify("reason")
    started = time.perf_counter()
    # HermiT classifies the ontology; rules derive the facts' entailments (they scale).
    reasoning, union = reason_into_store(sources.ontology, sources.facts, sources.defined_in)
    timings["reason"] = time.perf_counter() - started

    notify("derive")
    started = time.perf_counter()
    # Read from the reason stage's store (SPARQL), not from copies of the rdflib graphs.
    derived_triples = derive_in_store(union)
    timings["derive"] = time.perf_counter() - started

    notify("validate")
    started = time.perf_counter()
    # The shapes run as SPARQL (gate/; pyshacl, validate.py, is their test oracle) on the store
    # of the reason stage (ontology, facts, entailments) with the derived triples added. A
    # Wikidata snapshot is published in its own graph but passes the same gate.
    union.extend(ox.Quad(*triple) for triple in derived_triples)
    add_graphs(union, sources.wikidata)
    report = gate(union, sources.shapes, sources.defined_in)
    # The gate proves every verbatim quote against its source text, in the same report.
    quotes = prove_quotes(
        quotes_in(sources.facts),
        settings.articles_dir,
        settings.root,
        sources.defined_in,
        sources.lines,
    )
    report = with_quote_proof(report, quotes)
    timings["validate"] = time.perf_counter() - started
    return CheckResult(
        sources=sources,
        reasoning=reasoning,
        report=report,
        timings=timings,
        derived_triples=derived_triples,
        quotes=quotes,
    )


def build(
    settings: Settings,
    progress: Progress | None = None,
    full: bool = False,
    note: Callable[[str], None] | None = None,
    sources: SourceFiles | None = None,
) -> BuildInfo:
    """Check the sources, then publish them as the new current build of the store.

    Unless *full*, an edit of the facts since the current build is applied to it
    (:mod:`dealgraph.delta`): only what the edit touches is reasoned over, derived and
    checked again. What cannot be applied so (the ontology or the shapes changed, nothing
    published yet…) is built in full, and *note* is told why. *sources*: the project's
    files as already read (their digests), when the caller has them.

    Raises :class:`ValidationFailed` (carrying the report) when the data breaks the shapes;
    then, as on any other error, the store is left as it was.
    """
    # The digests are taken before reading, so an edit made during the build makes it stale.
    sources = sources or SourceFiles.read(settings)
    if not full:
        from .delta.rebuild import rebuild

        made = rebuild(settings, sources, progress or _quiet)
        if isinstance(made, BuildInfo):
            return _with_timings(settings, made, made.timings)
        if note is not None:
            note(f"building everything: {made}")
    result = check(settings, progress)
    if not result.conforms:
        raise ValidationFailed(result.report)
    (progress or _quiet)("publish")
    started = time.perf_counter()
    timings = dict(result.timings)
    timings["publish"] = 0.0  # rewritten below; publish() stores the timings it is given
    record = BuildState(
        files=sources.rdf_digests,
        facts=sources.facts,
        articles=sources.texts,
        warnings=result.report.results,
        shapes=result.report.shapes,
    )

    def keep(folder: Path) -> None:  # what the next build, after an edit, starts from
        read = result.sources
        result.reasoning.classified.serialize(
            folder / CLASSIFIED_FILE, format="nt", encoding="utf-8"
        )
        index = SubjectIndex.create(folder / INDEX_FILE, read.typed_in, read.written_in, read.lines)
        index.close()
        record.save(folder, settings.root)

    info = publish(_graphs(result), settings.store_dir, sources.digest, timings, keep)
    timings["publish"] = time.perf_counter() - started
    return _with_timings(settings, info, timings)


def ensure_built(settings: Settings, progress: Progress | None = None) -> BuildInfo:
    """The current build when it was made from the sources (and source texts) as they are
    now, else a new build."""
    info = current_info(settings.store_dir)
    sources = SourceFiles.read(settings)
    if info is not None and info.source_digest == sources.digest:
        return info
    return build(settings, progress, sources=sources)


def _graphs(result: CheckResult) -> dict[str, Graph | ox.Store | list]:
    graphs: dict[str, Graph | ox.Store | list] = {
        str(ONTOLOGY_GRAPH): result.sources.ontology + result.sources.alignments,
        str(ASSERTED_GRAPH): result.sources.facts,  # the store: never through rdflib
        str(INFERRED_GRAPH): result.reasoning.inferred,
        str(DERIVED_GRAPH): result.derived_triples,
    }
    if len(result.sources.wikidata):
        graphs[str(WIKIDATA_GRAPH)] = result.sources.wikidata
    graphs.update(result.sources.named)  # data files' own named graphs, as they stand
    return graphs


def _with_timings(settings: Settings, info: BuildInfo, timings: dict[str, float]) -> BuildInfo:
    """Record the publish time too: replace build.json of the new build, atomically."""
    updated = replace(info, timings={k: round(v, 3) for k, v in timings.items()})
    info_file = settings.store_dir / BUILDS_FOLDER / info.build_id / INFO_FILE
    if info_file.is_file():
        scratch = info_file.with_name(f".{INFO_FILE}.tmp")
        scratch.write_text(updated.to_json(), encoding="utf-8")
        os.replace(scratch, info_file)  # readers see the old file or the new one
    return updated


def _quiet(stage: str) -> None:
    """The default progress callback: say nothing."""
