"""Run the compiled shapes on a pyoxigraph store: the gate as SPARQL, with pyshacl's report.

The store holds what pyshacl would be given as its data graph (facts, inferred and derived
triples, the ontology), in its default graph (or in named graphs read as their union). The
result is the same :class:`~dealgraph.validate.ValidationReport` pyshacl's path makes: the
same results (focus node, node shape, path, message, severity, value, files) and an
``sh:ValidationReport`` graph for the Turtle report.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..validate import SEVERITY_ORDER, ValidationReport, ViolationResult, node_shapes
from .compile import TYPE_PATH, Check, compile_shapes

_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")
_CLASS_TEST = re.compile(r"(\?\w+) " + re.escape(TYPE_PATH) + r" (<[^<>\s]+>)")
_PROJECTION = re.compile(r"^(SELECT \?this(?: \?value)?) WHERE", re.M)


@dataclass(frozen=True)
class Batch:
    """One query and the checks it answers: a check's own query, or several checks of one
    shape that share their focus (and value) nodes, each flagged ``?_ok<i>`` in the rows."""

    query: str
    checks: tuple[Check, ...]


def gate(
    store: ox.Store,
    shapes: Graph,
    defined_in: dict[str, list[str]],
    checks: list[Check] | None = None,
    union: bool = False,
) -> ValidationReport:
    """Check the triples of *store* against *shapes*; *checks* when already compiled.

    The triples are read from the store's default graph; with *union*, from the union of all
    its graphs (three times slower in pyoxigraph: keep the triples in the default graph).
    """
    started = time.perf_counter()
    checks = compile_shapes(shapes) if checks is None else checks
    batches = _with_subclasses(store, merged(checks), union)

    def run(batch: Batch) -> list[list[tuple[Check, ViolationResult]]]:
        solutions = store.query(batch.query, use_default_graph_as_union=union)
        names = [variable.value for variable in solutions.variables]  # type: ignore[union-attr]
        if len(batch.checks) == 1:
            check = batch.checks[0]
            return [[(check, _result(check, s, names, defined_in)) for s in solutions]]
        found: list[list[tuple[Check, ViolationResult]]] = [[] for _ in batch.checks]
        flags = [ox.Variable(f"_ok{i}") for i in range(len(batch.checks))]
        for solution in solutions:
            for i, check in enumerate(batch.checks):
                # a violation where the condition is false; unbound (an error) is none,
                # as FILTER (!(condition)) drops a row whose condition is an error
                flag = solution[flags[i]]
                if flag is not None and flag.value in ("false", "0"):
                    found[i].append((check, _result(check, solution, names, defined_in)))
        return found

    # pyoxigraph evaluates queries outside the GIL: one thread per core nearly divides the time
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        per_check = {
            id(check): items
            for batch, lists in zip(batches, pool.map(run, batches), strict=True)
            for check, items in zip(batch.checks, lists, strict=True)
        }
    # in the checks' order, then sorted (stably): the order one query per check gives
    found = [item for check in checks for item in per_check[id(check)]]
    found.sort(key=lambda item: order(item[1]))
    results = [r for _, r in found]
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        graph=report_graph(found, shapes),
        shapes=node_shapes(shapes),
        seconds=time.perf_counter() - started,
    )


def merged(checks: list[Check]) -> list[Batch]:
    """*checks* as batches: the checks whose queries differ only in their final
    ``FILTER (!(condition))`` (the node-level and count checks of one node shape, the value
    checks of one property shape) become one query, so that their focus and value nodes are
    found once; every condition is bound to ``?_ok<i>`` and a row is kept if one is false."""
    groups: dict[str, list[Check]] = {}
    batches: list[Batch] = []
    for check in checks:
        suffix = f" FILTER (!({check.condition})) }}"
        if check.condition and check.query.endswith(suffix):
            groups.setdefault(check.query[: -len(suffix)], []).append(check)
        else:
            batches.append(Batch(check.query, (check,)))
    for head, members in groups.items():
        if len(members) == 1:
            batches.append(Batch(members[0].query, (members[0],)))
            continue
        flags = " ".join(f"?_ok{i}" for i in range(len(members)))
        binds = " ".join(f"BIND (({c.condition}) AS ?_ok{i})" for i, c in enumerate(members))
        failing = " || ".join(f"!?_ok{i}" for i in range(len(members)))
        select = _PROJECTION.sub(rf"\1 {flags} WHERE", head, count=1)
        batches.append(Batch(f"{select} {binds} FILTER ({failing}) }}", tuple(members)))
    return batches


def _with_subclasses(store: ox.Store, batches: list[Batch], union: bool) -> list[Batch]:
    """*batches* with every ``?x rdf:type/rdfs:subClassOf* <C>`` written as ``?x rdf:type ?t``
    over the subclasses of C found in *store* (``?x rdf:type <C>`` when C has none): the same
    matches, planned far better."""
    classes = {m.group(2) for b in batches for m in _CLASS_TEST.finditer(b.query)}
    subclasses: dict[str, str] = {}
    for cls in classes:
        query = f"SELECT DISTINCT ?s WHERE {{ ?s <{RDFS.subClassOf}>* {cls} }}"
        found = {str(r["s"]) for r in store.query(query, use_default_graph_as_union=union)}
        subclasses[cls] = " ".join(sorted(found | {cls}))
    fresh = itertools.count(1)

    def typed(match: re.Match[str]) -> str:
        if " " not in subclasses[match.group(2)]:  # no subclass: a plain pattern, cheaper
            return f"{match.group(1)} <{RDF.type}> {match.group(2)}"
        t = f"?_t{next(fresh)}"
        return f"{match.group(1)} <{RDF.type}> {t} . VALUES {t} {{ {subclasses[match.group(2)]} }}"

    return [Batch(_CLASS_TEST.sub(typed, b.query), b.checks) for b in batches]


def order(result: ViolationResult) -> tuple:
    return (
        SEVERITY_ORDER.get(result.severity, 3),
        result.focus_node,
        result.shape,
        result.path,
        result.message,
    )


def _result(
    check: Check, solution: ox.QuerySolution, names: list[str], defined_in: dict[str, list[str]]
) -> ViolationResult:
    focus = solution["this"]
    value = solution["value"] if "value" in names else None
    if value is None and check.value_is_focus:
        value = focus
    messages = check.messages
    if check.templated:
        bound = {n: _text(solution[n]) for n in names if solution[n] is not None}
        messages = tuple(
            _PLACEHOLDER.sub(lambda m: bound.get(m.group(1), m.group(0)), m) for m in messages
        )
    focus_text = _text(focus)
    prop = check.source_shape
    return ViolationResult(
        focus_node=focus_text,
        shape=check.shape,
        path=check.path,
        message=" / ".join(sorted(messages)) or "(no message)",
        severity=check.severity,
        value=_text(value) if value is not None else None,
        files=list(defined_in.get(focus_text, [])),
        constraint=check.constraint,
        property_shape=str(prop) if isinstance(prop, URIRef) and check.path else "",
    )


def _text(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined]


def report_graph(found: list[tuple[Check, ViolationResult]], shapes: Graph) -> Graph:
    """An ``sh:ValidationReport`` of *found*, as pyshacl writes one."""
    graph = Graph()
    for prefix, namespace in shapes.namespace_manager.namespaces():
        graph.namespace_manager.bind(prefix, namespace, override=False)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = not any(r.severity == "Violation" for _, r in found)
    graph.add((report, SH.conforms, Literal(conforms)))
    for check, result in found:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, _term_of(result.focus_node)))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
        graph.add((node, SH.sourceShape, check.source_shape))
        graph.add((node, SH.sourceConstraintComponent, URIRef(check.constraint)))
        graph.add((node, SH.resultMessage, Literal(result.message)))
        if result.value is not None:
            graph.add((node, SH.value, _term_of(result.value)))
        if check.path_node is not None:
            graph.add((node, SH.resultPath, check.path_node))
            _copy_tree(shapes, check.path_node, graph)
    return graph


def _term_of(text: str) -> Node:
    """The report's node for a result's text (an IRI, a blank node, else a literal's form)."""
    if text.startswith("_:"):
        return BNode(text[2:])
    if re.match(r"^[a-z][a-z0-9+.-]*:\S*$", text):
        return URIRef(text)
    return Literal(text)


def _copy_tree(source: Graph, node: Node, target: Graph) -> None:
    """Copy the triples of blank node *node* (a path or a list) and of the blank nodes below."""
    if not isinstance(node, BNode):
        return
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        _copy_tree(source, o, target)


def store_of(*graphs: Graph) -> ox.Store:
    """An in-memory store holding the triples of *graphs* in its default graph, blank node
    ids kept (so that results name the same nodes as the rdflib graphs)."""
    return add_graphs(ox.Store(), *graphs)


def add_graphs(store: ox.Store, *graphs: Graph) -> ox.Store:
    """*store* with the triples of *graphs* added to its default graph."""
    store.extend(
        ox.Quad(ox_term(s), ox_term(p), ox_term(o))  # type: ignore[arg-type]
        for graph in graphs
        for s, p, o in graph
    )
    return store


def ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def gate_graphs(
    data: Graph,
    inferred: Graph,
    ontology: Graph,
    shapes: Graph,
    defined_in: dict[str, list[str]],
) -> ValidationReport:
    """The SPARQL gate on rdflib graphs: what :func:`dealgraph.validate.validate` (pyshacl)
    checks, with the same arguments and the same report."""
    started = time.perf_counter()
    report = gate(store_of(data, inferred, ontology), shapes, defined_in)
    return replace(report, seconds=time.perf_counter() - started)
