"""Re-check only what a change touches: the gate's results after a small edit, in a query's time.

A focus node's results depend on the triples it reaches by following properties forward a
short way (its values, their types, their dates; the shapes look at most two steps ahead,
and further along the properties they follow recursively, such as ``dg:member+``), and on
triples whose object it is (``sh:targetObjectsOf``). So after a change, the focus nodes to
re-check are the subjects and objects of the changed triples and every node that reaches a
changed subject within :data:`DEPTH` steps (or through a recursive property); their old
results are dropped and the checks run again on them alone, every other result is kept.
A change to the ontology (its terms, its document, class or property axioms) re-checks
everything. A test proves the
re-check equal to a full check after random one-fact changes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import replace

import pyoxigraph as ox
from rdflib import SH, Graph

from ..namespaces import ONTOLOGY_IRI, PREFIXES
from ..validate import ValidationReport, ViolationResult
from .compile import FOCUS_MARK, Check
from .run import gate, order, report_graph

DEPTH = 2  # how far ahead the shapes look from a focus node (see the module's docstring)
_TYPE = PREFIXES["rdf"] + "type"
_SCHEMA_PREFIXES = (PREFIXES["rdfs"], PREFIXES["owl"])
_ONTOLOGY = ONTOLOGY_IRI
_SCHEMA_RDFS = {PREFIXES["rdfs"] + n for n in ("subClassOf", "subPropertyOf", "domain", "range")}
_INDIVIDUAL_OWL = {PREFIXES["owl"] + n for n in ("sameAs", "differentFrom")}
_EXISTS = re.compile(r"\bEXISTS\s*\{", re.IGNORECASE)
_SELECT_THIS = re.compile(r"\bSELECT\s[^{}]*?[?$]this\b[^{}]*?\bWHERE\s*\{", re.IGNORECASE)
_RECURSIVE = re.compile(r"(<[^<>\s]+>|[A-Za-z][\w-]*:[\w-]+)\s*[+*]")

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]


def recursive_properties(shapes: Graph) -> set[str]:
    """The properties the shapes follow any number of times (``p+``, ``p*``), as IRIs."""
    found: set[str] = set()
    for predicate in (SH.oneOrMorePath, SH.zeroOrMorePath):
        found |= {str(p) for p in shapes.objects(None, predicate)}
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    for select in shapes.objects(None, SH.select):
        for token in _RECURSIVE.findall(str(select)):
            if token.startswith("<"):
                found.add(token[1:-1])
            elif (prefix := token.split(":", 1)[0]) in prefixes:
                found.add(prefixes[prefix] + token.split(":", 1)[1])
    return found


def touched(store: ox.Store, changed: Iterable[Triple], recursive: set[str]) -> set[object]:
    """The focus nodes whose results a change of *changed* can alter, found in *store*
    (the data after the change)."""
    subjects: set[object] = set()
    nodes: set[object] = set()
    for s, _p, o in changed:
        subjects.add(s)
        nodes.add(s)
        if not isinstance(o, ox.Literal):
            nodes.add(o)  # e.g. the instant of ``?trigger dg:atTime ?instant``
    frontier = set(subjects)
    for _ in range(DEPTH):
        frontier = _predecessors(store, frontier) - nodes
        nodes |= frontier
    if recursive:
        path = "|".join(f"<{p}>" for p in sorted(recursive))
        nodes |= _predecessors(store, subjects, f"({path})+")
    return nodes


def _predecessors(store: ox.Store, targets: set[object], path: str | None = None) -> set[object]:
    """Nodes with a property (not rdf:type; along *path* when given) whose value is one of
    *targets*. Blank nodes cannot be named in a query: they are matched after it."""
    iris = [t for t in targets if isinstance(t, ox.NamedNode)]
    blanks = {t for t in targets if isinstance(t, ox.BlankNode)}
    step = f"?f ?p ?t FILTER (?p != <{_TYPE}>)" if path is None else f"?f {path} ?t"
    found: set[object] = set()
    if iris:
        values = " ".join(str(t) for t in iris)
        query = f"SELECT DISTINCT ?f WHERE {{ VALUES ?t {{ {values} }} {step} }}"
        found |= {r["f"] for r in store.query(query)}
    if blanks:
        query = f"SELECT DISTINCT ?f ?t WHERE {{ {step} FILTER (isBlank(?t)) }}"
        found |= {r["f"] for r in store.query(query) if r["t"] in blanks}
    return found


def recheck(
    store: ox.Store,
    previous: ValidationReport,
    changed: list[Triple],
    shapes: Graph,
    defined_in: dict[str, list[str]],
    checks: list[Check],
    union: bool = False,
) -> ValidationReport:
    """The report of a full check of *store*, given *previous* (the full report before the
    change of *changed*, the triples added or removed): only the touched focus nodes are
    checked again."""
    started = time.perf_counter()
    if any(schema_change(t) for t in changed):
        return gate(store, shapes, defined_in, checks, union)
    focus = touched(store, changed, recursive_properties(shapes))
    iris = {n for n in focus if not isinstance(n, ox.BlankNode)}
    fresh = []
    if iris:
        fresh = gate(store, shapes, defined_in, _restricted(checks, iris), union).results
    if len(iris) < len(focus):  # blank nodes cannot be named in VALUES: check all, keep theirs
        blanks = {_name(n) for n in focus - iris}
        everything = gate(store, shapes, defined_in, checks, union).results
        fresh += [r for r in everything if r.focus_node in blanks]
    names = {_name(n) for n in focus}
    kept = [_refiled(r, defined_in) for r in previous.results if r.focus_node not in names]
    results = sorted(kept + fresh, key=order)
    by_kind = {(c.shape, c.constraint, c.path, c.messages): c for c in checks}
    by_kind.update({(c.shape, c.constraint, c.path, ()): c for c in checks if c.templated})
    found = []
    for result in results:  # results not from a shape (the quote proof) have no check
        check = by_kind.get(_kind(result)) or by_kind.get(_kind(result, any_message=True))
        if check is not None:
            found.append((check, result))
    return replace(
        previous,
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        graph=report_graph(found, shapes),
        seconds=time.perf_counter() - started,
    )


def _kind(result: ViolationResult, any_message: bool = False) -> tuple:
    """What identifies the check behind *result* (SPARQL messages are filled in: any)."""
    messages = () if any_message else tuple(sorted(result.message.split(" / ")))
    return (result.shape, result.constraint, result.path, messages)


def _restricted(checks: list[Check], focus: set[object]) -> list[Check]:
    """*checks* on the *focus* nodes alone. The restriction is also written into each
    ``EXISTS`` and each subquery projecting ?this (SPARQL constraints): pyoxigraph evaluates
    them apart, as a scan of the whole graph joined with the focus nodes afterwards;
    restricted to the focus nodes (which ?this is anyway), they are not."""
    values = f"VALUES ?this {{ {' '.join(str(n) for n in focus)} }}\n"
    restricted = []
    for check in checks:
        query = check.query.replace(FOCUS_MARK, values)
        for opening in (_EXISTS, _SELECT_THIS):
            query = opening.sub(lambda m: f"{m.group(0)} {values}", query)
        restricted.append(replace(check, query=query))
    return restricted


def schema_change(triple: Triple) -> bool:
    """A change of the class or property hierarchy, or of an axiom: re-check everything.
    Labels, comments and owl:sameAs links of the facts' nodes are facts like any other."""
    s, p, o = triple
    if isinstance(s, ox.NamedNode) and s.value.startswith(_ONTOLOGY):
        return True  # a term of the ontology, or the ontology document (SPARQL targets read it)
    if p.value == _TYPE:  # a new class or property, not a new member of a class
        return isinstance(o, ox.NamedNode) and o.value.startswith(_SCHEMA_PREFIXES)
    if p.value.startswith(PREFIXES["rdfs"]):
        return p.value in _SCHEMA_RDFS
    return p.value.startswith(PREFIXES["owl"]) and p.value not in _INDIVIDUAL_OWL


def _refiled(result: ViolationResult, defined_in: dict[str, list[str]]) -> ViolationResult:
    """*result* with the files its focus node is defined in now."""
    return replace(result, files=list(defined_in.get(result.focus_node, [])))


def _name(node: object) -> str:
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    return node.value  # type: ignore[attr-defined]
