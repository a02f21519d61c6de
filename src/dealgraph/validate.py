"""Validate with pyshacl: the reference implementation of the gate, kept as its test oracle.

The build runs the same shapes compiled to SPARQL on pyoxigraph (:mod:`dealgraph.gate`), which
gives the same results (tests/test_sparql_gate.py) in a fraction of the time; this module
keeps the report types both share (:class:`ViolationResult`, :class:`ValidationReport`).

The data graph is the union of the facts, the inferred triples and the whole ontology: the
ontology's ``rdfs:subClassOf`` lets ``sh:targetClass dg:X`` reach members of subclasses of
``dg:X``, and its annotations let shapes check that every term is documented. No RDFS/OWL
inference runs here; the reasoner has already done it. The union is an in-memory rdflib
graph: the shapes are core SHACL but for a few SPARQL constraints, and pyshacl checks core
constraints far faster on rdflib than through its pyoxigraph store adapter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ViolationResult:
    """One SHACL result. IRIs are full; ``shape`` is the node shape a property shape sits in.

    ``path`` is a SPARQL property path (``<iri>``, ``^<iri>``, ``<a>/<b>``…) or "" for a
    node constraint; ``severity`` is ``Violation``, ``Warning`` or ``Info``; ``files`` are
    the data files that define the focus node.
    """

    focus_node: str
    shape: str
    path: str
    message: str
    severity: str
    value: str | None
    files: list[str]
    constraint: str = ""  # the sh:sourceConstraintComponent, e.g. sh:MinCountConstraintComponent
    property_shape: str = ""  # the property shape itself when it is named


@dataclass(frozen=True)
class ValidationReport:
    """The verdict of the shapes: conforms when no result has severity Violation."""

    conforms: bool
    results: list[ViolationResult]
    graph: Graph  # the sh:ValidationReport produced by pyshacl
    shapes: list[str] = field(default_factory=list)  # every node shape checked
    seconds: float = 0.0

    @property
    def violations(self) -> list[ViolationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ViolationResult]:
        return [r for r in self.results if r.severity != "Violation"]


def validate(
    data: Graph,
    inferred: Graph,
    ontology: Graph,
    shapes: Graph,
    defined_in: dict[str, list[str]],
) -> ValidationReport:
    """Validate *data* + *inferred* + *ontology* against *shapes*.

    Warnings and infos are reported but do not make the data non-conforming.
    """
    import pyshacl  # the oracle only: the build's gate does not load it

    started = time.perf_counter()
    # measured on the shipped data: 0.8 s here, 4.9 s through a pyoxigraph store
    union = data + inferred + ontology
    _, report_graph, _ = pyshacl.validate(
        union,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    for prefix, namespace in shapes.namespace_manager.namespaces():
        report_graph.namespace_manager.bind(prefix, namespace, override=False)
    results = sorted(
        (_result(report_graph, shapes, node, defined_in) for node in _result_nodes(report_graph)),
        key=lambda r: (SEVERITY_ORDER.get(r.severity, 3), r.focus_node, r.shape, r.path, r.message),
    )
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        graph=report_graph,
        shapes=node_shapes(shapes),
        seconds=time.perf_counter() - started,
    )


def _result_nodes(report: Graph) -> list[Node]:
    return list(report.subjects(RDF.type, SH.ValidationResult))


def _result(
    report: Graph, shapes: Graph, node: Node, defined_in: dict[str, list[str]]
) -> ViolationResult:
    focus = report.value(node, SH.focusNode)
    source_shape = report.value(node, SH.sourceShape)
    # A property shape is usually a blank node: name the node shape that holds it instead.
    owner = shapes.value(None, SH.property, source_shape) if source_shape is not None else None
    shape = owner if owner is not None else source_shape
    path_node = report.value(node, SH.resultPath)
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
    severity = report.value(node, SH.resultSeverity)
    value = report.value(node, SH.value)
    constraint = report.value(node, SH.sourceConstraintComponent)
    return ViolationResult(
        focus_node=node_text(focus),
        shape=node_text(shape),
        path=path_text(report, path_node) if path_node is not None else "",
        message=" / ".join(messages) or "(no message)",
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        value=node_text(value) if value is not None else None,
        files=list(defined_in.get(str(focus), [])),
        constraint=str(constraint) if constraint is not None else "",
        property_shape=str(source_shape) if isinstance(source_shape, URIRef) and owner else "",
    )


def node_text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return str(node)
    return str(node)


def path_text(graph: Graph, path: Node) -> str:
    """A SHACL path as SPARQL property path syntax."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return f"^{path_text(graph, inverse)}"
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return "(" + "|".join(path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    for predicate, suffix in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        if (inner := graph.value(path, predicate)) is not None:
            return f"({path_text(graph, inner)}){suffix}"
    if graph.value(path, RDF.first) is not None:
        return "/".join(path_text(graph, p) for p in Collection(graph, path))
    return f"_:{path}"


def node_shapes(shapes: Graph) -> list[str]:
    """The node shapes of *shapes* (typed sh:NodeShape or carrying a target), sorted."""
    found = set(shapes.subjects(RDF.type, SH.NodeShape))
    for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= set(shapes.subjects(target, None))
    return sorted(node_text(s) for s in found)
