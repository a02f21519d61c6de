"""The build after an edit of the facts: every stage on what the edit touches, nothing else.

- *load*: the fact files that changed are diffed with the copies the last build kept
  (:mod:`dealgraph.delta.changes`);
- *reason*: the rules run for the subjects and objects of the changed triples, the only
  nodes whose entailments can change (HermiT is not needed: the ontology did not change);
- *derive*: periods and time in force for the changed nodes and the rights that reach them;
- *validate*: the gate re-checks the focus nodes the changed triples (asserted, inferred and
  derived) touch (:func:`dealgraph.gate.incremental.recheck`), and the quotes of the evidence
  they touch are proven;
- *publish*: a checkpoint of the last build (hard links) with the changes applied, published
  as atomically as a full build; nothing is published when the re-check finds a violation.

Tests prove the published graphs and the verdict equal to those of a full build. Whatever
the diff cannot carry is built in full (:func:`dealgraph.pipeline.build` falls back).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS

from ..errors import ValidationFailed
from ..gate import compile_shapes
from ..gate.incremental import recheck
from ..intime.derive import derive_in_store, scope_of
from ..load import load_schema
from ..namespaces import (
    ASSERTED_GRAPH,
    DERIVED_GRAPH,
    DG,
    GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
)
from ..publish import publish_changed
from ..quotes import prove_quotes, quotes_in, with_quote_proof
from ..rules.entail import entail, schema_of
from ..settings import Settings
from ..store import INFO_FILE, BuildInfo, current_build
from ..validate import ValidationReport
from .changes import FactChanges, Triple, fact_changes
from .index import INDEX_FILE, SubjectIndex
from .state import CLASSIFIED_FILE, COPIES_FOLDER, BuildState, SourceFiles
from .view import GraphView

_IDENTIFIER = str(DCTERMS.identifier)
_PERIODS = {str(DG.earliestDay), str(DG.latestDay)}  # the rest derived: time in force


@dataclass
class _Delta:
    """Triples a stage added to and removed from its named graph."""

    added: set[tuple]
    removed: set[tuple]

    @property
    def triples(self) -> set[tuple]:
        return self.added | self.removed


def rebuild(
    settings: Settings, sources: SourceFiles, progress: Callable[[str], None]
) -> BuildInfo | str:
    """Publish a new build made from the current one and the edits of the facts since (the
    project's files now: *sources*); the reason to build everything instead, when the edit
    cannot be carried over.

    Raises :class:`ValidationFailed` (nothing published) as a full build would.
    """
    previous = current_build(settings.store_dir)
    if previous is None:
        return "nothing is published yet"
    state = BuildState.read(previous)
    if state is None:
        return f"build {previous.name} keeps no record of its sources (an older dealgraph)"
    timings: dict[str, float] = {}
    progress("load")
    started = time.perf_counter()
    try:  # what the last build kept: anything missing or damaged means a full build
        last_index = SubjectIndex(previous / INDEX_FILE, create=False)
        changes = fact_changes(settings, sources, state, previous, last_index)
        last_index.close()
        classified = {
            (t.subject, t.predicate, t.object)
            for t in ox.parse(path=previous / CLASSIFIED_FILE, format=ox.RdfFormat.N_TRIPLES)
        }
    except (OSError, SyntaxError, sqlite3.Error) as error:
        reason = error.strerror if isinstance(error, OSError) else type(error).__name__
        return f"what build {previous.name} kept for the next build cannot be read ({reason})"
    if isinstance(changes, str):
        return changes
    ontology, shapes = load_schema(settings)
    timings["load"] = time.perf_counter() - started
    counts = BuildInfo.from_file(previous / INFO_FILE).triples
    verdict: list[ValidationReport] = []

    def change(store: ox.Store, folder: Path) -> dict[str, int]:
        started = time.perf_counter()
        index = SubjectIndex.copy(previous / INDEX_FILE, folder / INDEX_FILE)
        for rel, facts in changes.files.items():
            index.replace_file(rel, facts)
        for rel, (tail, first_line) in changes.appended.items():
            index.extend_file(rel, tail, first_line)
        defined_in = index.defined_in()
        asserted = _apply(store, str(ASSERTED_GRAPH), changes.added, changes.removed, counts)
        timings["load"] += time.perf_counter() - started
        progress("reason")
        started = time.perf_counter()
        inferred = _reason(store, ontology, classified, changes.nodes, defined_in, counts)
        timings["reason"] = time.perf_counter() - started
        progress("derive")
        started = time.perf_counter()
        moved = changes.nodes | {t[0] for t in inferred.triples if isinstance(t[0], ox.NamedNode)}
        derived = _derive(store, moved, counts)
        timings["derive"] = time.perf_counter() - started
        progress("validate")
        started = time.perf_counter()
        changed = asserted.triples | inferred.triples | derived.triples
        report = _validate(store, settings, shapes, state, changes, changed, index)
        index.close()
        timings["validate"] = time.perf_counter() - started
        if not report.conforms:
            raise ValidationFailed(report)
        verdict.append(report)
        progress("publish")
        return counts

    def keep(folder: Path) -> None:
        os.link(previous / CLASSIFIED_FILE, folder / CLASSIFIED_FILE)
        report = verdict[0]
        record = replace(changes.state, warnings=report.results, shapes=report.shapes)
        reuse = {rel: previous / COPIES_FOLDER / rel for rel in changes.unchanged}
        record.save(folder, settings.root, reuse)

    started_publish = time.perf_counter()
    info = publish_changed(previous, settings.store_dir, sources.digest, change, keep)
    spent = sum(v for k, v in timings.items() if k != "load")
    timings["publish"] = max(0.0, time.perf_counter() - started_publish - spent)
    return replace(info, timings=timings)


def _apply(
    store: ox.Store, graph: str, added: Iterable[tuple], removed: Iterable[tuple], counts: dict
) -> _Delta:
    """Remove *removed* from and add *added* to the named *graph* of *store*, keeping
    *counts* (triples per graph) right; the triples that really changed."""
    name = ox.NamedNode(graph)
    delta = _Delta(set(), set())
    for triple in removed:
        quad = ox.Quad(*triple, name)
        if quad in store:
            store.remove(quad)
            delta.removed.add(triple)
    for triple in added:
        quad = ox.Quad(*triple, name)
        if quad not in store:
            store.add(quad)
            delta.added.add(triple)
    counts[graph] = counts.get(graph, 0) + len(delta.added) - len(delta.removed)
    if not counts[graph]:
        del counts[graph]
    return delta


def _reason(
    store: ox.Store,
    ontology: Graph,
    classified: set[tuple],
    nodes: set[ox.NamedNode],
    defined_in: Mapping[str, list[str]],
    counts: dict,
) -> _Delta:
    """The rules again for *nodes*: their entailed triples, with what HermiT inferred of them
    from the ontology alone (*classified*), replace those they had."""
    facts = GraphView(store, [str(ONTOLOGY_GRAPH), str(ASSERTED_GRAPH)])
    entailed = entail(facts, schema_of(ontology), defined_in, focus=nodes)  # type: ignore[arg-type]
    now = {t for t in entailed.triples if t[0] in nodes}
    now |= {t for t in classified if t[0] in nodes}
    graph = ox.NamedNode(str(INFERRED_GRAPH))
    before = {
        (q.subject, q.predicate, q.object)
        for node in nodes
        for q in store.quads_for_pattern(node, None, None, graph)
    }
    return _apply(store, str(INFERRED_GRAPH), now - before, before - now, counts)


def _derive(store: ox.Store, nodes: set[ox.NamedNode], counts: dict) -> _Delta:
    """Periods and time in force again for what a change of *nodes* can alter."""
    view = GraphView(store, [str(ONTOLOGY_GRAPH), str(ASSERTED_GRAPH), str(INFERRED_GRAPH)])
    scope = scope_of(view, nodes)  # type: ignore[arg-type]
    now = set(derive_in_store(view, scope))  # type: ignore[arg-type]
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    if scope is None:  # a blank node in reach: everything was derived again
        quads = store.quads_for_pattern(None, None, None, graph)
    else:
        quads = (
            q
            for node in scope.dated | scope.rights
            for q in store.quads_for_pattern(node, None, None, graph)
        )
    before: set[tuple] = set()
    for quad in quads:
        periods = quad.predicate.value in _PERIODS
        if scope is None or quad.subject in (scope.dated if periods else scope.rights):
            before.add((quad.subject, quad.predicate, quad.object))
    return _apply(store, str(DERIVED_GRAPH), now - before, before - now, counts)


def _validate(
    store: ox.Store,
    settings: Settings,
    shapes: Graph,
    state: BuildState,
    changes: FactChanges,
    changed: set[tuple],
    index: SubjectIndex,
) -> ValidationReport:
    """The gate's report after the change: the touched focus nodes checked again, the
    others' results kept from the last build, the touched quotes proven."""
    graphs = (ONTOLOGY_GRAPH, ASSERTED_GRAPH, INFERRED_GRAPH, DERIVED_GRAPH, GRAPH["wikidata"])
    view = GraphView(store, [str(g) for g in graphs])
    defined_in = index.defined_in()
    last = ValidationReport(True, list(state.warnings), Graph(), list(state.shapes))
    checks = compile_shapes(shapes)
    report = recheck(view, last, list(changed), shapes, defined_in, checks)  # type: ignore[arg-type]
    quotes = prove_quotes(
        quotes_in(GraphView(store, [str(ASSERTED_GRAPH)]), _evidence(store, changes)),  # type: ignore[arg-type]
        settings.articles_dir,
        settings.root,
        defined_in,
        index.lines(),
    )
    return with_quote_proof(report, quotes)


def _evidence(store: ox.Store, changes: FactChanges) -> set[ox.NamedNode]:
    """The evidence whose quote an edit can break: the subjects of the changed statements,
    and the evidence citing a source whose file name changed."""
    evidence = {t[0] for t in changes.added | changes.removed}
    renamed = {s for s, p, _o in changes.added | changes.removed if p.value == _IDENTIFIER}
    if renamed:
        query = f"""SELECT ?e WHERE {{ VALUES ?source {{ {_names(renamed)} }}
          GRAPH <{ASSERTED_GRAPH}> {{ ?e <{DCTERMS.source}> ?source }} }}"""
        evidence |= {row["e"] for row in store.query(query)}
    return evidence


def _names(nodes: Iterable[ox.NamedNode]) -> str:
    return " ".join(str(node) for node in nodes)


__all__ = ["Triple", "rebuild"]
