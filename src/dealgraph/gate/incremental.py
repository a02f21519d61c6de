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
from rdflib import RDF, SH, Graph, URIRef

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
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_PROJECTION = re.compile(r"\bSELECT\b.*?\bWHERE\b", re.IGNORECASE | re.DOTALL)
_VARIABLE_PREDICATE = re.compile(r"[?$]\w+\s+[?$]\w+\s*[+*?]?\s+[?$<\"'\w\[(]")
_FULL_IRI = re.compile(r"<([^<>\s]+)>")
_PREFIXED = re.compile(r"\b([A-Za-z][\w-]*):([\w-]+)")
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


def deep_properties(shapes: Graph) -> set[str] | None:
    """The properties a shape can read beyond its focus node's own values (IRIs), or None
    when a SPARQL query of the shapes reads a property it does not name.

    A top-level property shape's path starts at the focus node: its first step reads the
    focus node's own values. Every later step, every step of a nested shape's path (sh:node,
    sh:or, qualified shapes, which start at a value node), ``rdf:type`` (sh:class reads the
    values' types) and every property a SPARQL constraint or target names may be read
    further away."""
    deep = {_TYPE}
    top: set[object] = set()  # the shapes whose paths start at a focus node
    for shape in {s for t in _TARGETS for s in shapes.subjects(t, None)}:
        top |= set(shapes.objects(shape, SH.property))
        for logical in (SH["or"], SH["and"], SH.xone):  # members apply to the focus node
            for members in shapes.objects(shape, logical):
                top |= set(shapes.items(members))
        top |= set(shapes.objects(shape, SH["not"]))
    for owner, path in shapes.subject_objects(SH.path):
        steps = _path_iris(shapes, path)
        if owner in top and steps and _is_step(shapes, path):
            steps = steps[1:]  # the first step reads the focus node's own values
        deep |= set(steps)
    prefixes = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    for text in (*shapes.objects(None, SH.select), *shapes.objects(None, SH.ask)):
        patterns = _PROJECTION.sub(" ", str(text))
        if _VARIABLE_PREDICATE.search(patterns):
            return None
        deep |= set(_FULL_IRI.findall(patterns))
        for prefix, local in _PREFIXED.findall(patterns):
            if prefix in prefixes:
                deep.add(prefixes[prefix] + local)
    return deep


def _is_step(shapes: Graph, path: object) -> bool:
    """Whether *path* is one step (an IRI or its inverse), or a sequence starting with one."""
    if isinstance(path, URIRef):
        return True
    if isinstance(shapes.value(path, SH.inversePath), URIRef):  # type: ignore[arg-type]
        return True
    if shapes.value(path, RDF.first) is not None:  # type: ignore[arg-type]
        return _is_step(shapes, shapes.value(path, RDF.first))  # type: ignore[arg-type]
    return False


def _path_iris(shapes: Graph, path: object) -> list[str]:
    """The properties of a SHACL path, in order (the first step first)."""
    if isinstance(path, URIRef):
        return [str(path)]
    if shapes.value(path, RDF.first) is not None:  # type: ignore[arg-type]
        return [iri for item in shapes.items(path) for iri in _path_iris(shapes, item)]  # type: ignore[arg-type]
    found: list[str] = []
    for _p, inner in shapes.predicate_objects(path):  # type: ignore[arg-type]
        found += _path_iris(shapes, inner)
    return found


def touched(
    store: ox.Store,
    changed: Iterable[Triple],
    recursive: set[str],
    deep: set[str] | None = None,
) -> set[object]:
    """The focus nodes whose results a change of *changed* can alter, found in *store*
    (the data after the change). With *deep* (:func:`deep_properties`), a changed value of
    a property no shape reads beyond its focus node touches its own subject and object only:
    no shape reaches it from further away."""
    subjects: set[object] = set()
    nodes: set[object] = set()
    for s, p, o in changed:
        if deep is None or p.value in deep:
            subjects.add(s)
        nodes.add(s)
        if not isinstance(o, ox.Literal):
            nodes.add(o)  # e.g. the instant of ``?trigger dg:atTime ?instant``
    frontier = set(subjects)
    for _ in range(DEPTH):
        frontier = _predecessors(store, frontier) - nodes
        nodes |= frontier
    if recursive and subjects:
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
    focus = touched(store, changed, recursive_properties(shapes), deep_properties(shapes))
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
