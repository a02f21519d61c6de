"""The data's entailments by rules that scale: OWL 2 RL-style rules as SPARQL on pyoxigraph.

The ontology's axioms that reach the facts are few: class hierarchy, property domains and
ranges, inverse (and symmetric) properties, disjoint classes, functional properties and
individuals declared different. Their consequences for the facts are computed here in a few
set-at-a-time SPARQL queries over a pyoxigraph store, in an order that reaches the fixpoint
in one pass (no rule makes a property value from a type):

1. inverse / symmetric property values (prp-inv, prp-symp);
2. types from domains and ranges of asserted and inverse values (prp-dom, prp-rng), with
   every asserted type, closed under named superclasses (cax-sco);
3. inconsistencies: a node in two disjoint classes (cax-dw, cax-adc), a functional property
   with two different literal values or two values declared different (prp-fp + eq-diff).

HermiT keeps the ontology's own classification and consistency (``reason.py``); a test
proves these rules give exactly HermiT's inferred triples on the shipped data. Like the
reasoner's output, the result leaves out asserted triples, trivial types (owl:Thing…),
statements about OWL/RDF vocabulary, and facts about owl:sameAs aliases. Two IRI values of a
functional property are not merged (no owl:sameAs is derived): the shapes refuse them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from ..errors import InconsistentOntologyError
from ..namespaces import PREFIXES

_BUILTIN = (str(OWL), str(RDF), str(RDFS), PREFIXES["xsd"])
_TRIVIAL = {OWL.Thing, OWL.NamedIndividual, RDFS.Resource}
_TYPE = ox.NamedNode(str(RDF.type))


@dataclass(frozen=True)
class Schema:
    """What the rules need of the ontology, as plain sets of IRIs."""

    superclasses: dict[str, set[str]]  # class -> itself and every named superclass
    domains: dict[str, set[str]]  # property -> classes (closed under superclasses)
    ranges: dict[str, set[str]]
    inverses: dict[str, set[str]]  # property -> inverse properties (itself when symmetric)
    disjoint: set[frozenset[str]]
    functional: set[str]
    different: set[frozenset[str]]


def schema_of(ontology: Graph) -> Schema:
    """The axioms of *ontology* the rules apply."""
    named = {c for c in ontology.subjects(RDFS.subClassOf, None) if isinstance(c, URIRef)}
    named |= {c for c in ontology.objects(None, RDFS.subClassOf) if isinstance(c, URIRef)}
    named |= {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    supers: dict[str, set[str]] = {}
    for cls in named:
        found = {
            str(s)
            for s in ontology.transitive_objects(cls, RDFS.subClassOf)
            if isinstance(s, URIRef) and s not in _TRIVIAL and not _builtin(str(s))
        }
        supers[str(cls)] = found

    def closed(classes: Iterable[Node]) -> set[str]:
        out: set[str] = set()
        for c in classes:
            if isinstance(c, URIRef) and c not in _TRIVIAL and not _builtin(str(c)):
                out |= supers.get(str(c), {str(c)})
        return out

    domains: dict[str, set[str]] = defaultdict(set)
    ranges: dict[str, set[str]] = defaultdict(set)
    for p, c in ontology.subject_objects(RDFS.domain):
        domains[str(p)] |= closed([c])
    for p, c in ontology.subject_objects(RDFS.range):
        if (c, RDF.type, RDFS.Datatype) not in ontology and not _builtin(str(c)):
            ranges[str(p)] |= closed([c])
    inverses: dict[str, set[str]] = defaultdict(set)
    for p, q in ontology.subject_objects(OWL.inverseOf):
        inverses[str(p)].add(str(q))
        inverses[str(q)].add(str(p))
    for p in ontology.subjects(RDF.type, OWL.SymmetricProperty):
        inverses[str(p)].add(str(p))
    disjoint = {frozenset((str(a), str(b))) for a, b in ontology.subject_objects(OWL.disjointWith)}
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [str(m) for m in ontology.items(ontology.value(group, OWL.members))]
        disjoint |= {frozenset((a, b)) for a in members for b in members if a != b}
    different: set[frozenset[str]] = set()
    for group in ontology.subjects(RDF.type, OWL.AllDifferent):
        listed = ontology.value(group, OWL.distinctMembers) or ontology.value(group, OWL.members)
        members = [str(m) for m in ontology.items(listed)]
        different |= {frozenset((a, b)) for a in members for b in members if a != b}
    different |= {
        frozenset((str(a), str(b))) for a, b in ontology.subject_objects(OWL.differentFrom)
    }
    functional = {str(p) for p in ontology.subjects(RDF.type, OWL.FunctionalProperty)}
    return Schema(
        superclasses=supers,
        domains=dict(domains),
        ranges=dict(ranges),
        inverses=dict(inverses),
        disjoint=disjoint,
        functional=functional,
        different=different,
    )


@dataclass(frozen=True)
class Entailment:
    """The triples the rules entail beyond the asserted ones, and how long it took."""

    triples: list[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode]]
    seconds: float


def entail(
    store: ox.Store,
    schema: Schema,
    defined_in: dict[str, list[str]] | None = None,
    focus: set[ox.NamedNode] | None = None,
) -> Entailment:
    """Apply the rules to the triples of *store* (its default graph: ontology + facts).

    With *focus*, only the entailed triples whose subject is one of those nodes, and only
    their consistency: every rule reads the facts of a node as subject or object, so after a
    change these are all the entailments the subjects and objects of the changed triples can
    gain or lose (the build after a small edit, :mod:`dealgraph.delta`).

    Raises :class:`InconsistentOntologyError` naming the individuals and their files when
    the facts break a disjointness or a functional property.
    """
    started = time.perf_counter()
    aliases = _aliases(store)
    found: set[tuple] = set()

    # 1. inverse and symmetric values (with a focus: either end in it, for the types below)
    inverse_pairs = [(p, q) for p, qs in schema.inverses.items() for q in qs]
    inverse_values: set[tuple] = set()
    if inverse_pairs:
        values = " ".join(f"(<{p}> <{q}>)" for p, q in inverse_pairs)
        for end in ("?a", "?b") if focus is not None else ("",):
            query = (
                f"SELECT ?b ?q ?a WHERE {{ {_only(end, focus)} VALUES (?p ?q) {{ {values} }} "
                "?a ?p ?b FILTER (!isLiteral(?b)) }"
            )
            inverse_values.update((r["b"], r["q"], r["a"]) for r in store.query(query))
        found.update(t for t in inverse_values if focus is None or t[0] in focus)

    # 2. types: asserted, from domains and ranges, closed under superclasses
    types: dict[object, set[str]] = defaultdict(set)
    pairs = [(c, s) for c, supers in schema.superclasses.items() for s in supers]
    only_x = _only("?x", focus)
    if pairs:
        values = " ".join(f"(<{c}> <{s}>)" for c, s in pairs)
        query = f"SELECT ?x ?s WHERE {{ {only_x} VALUES (?c ?s) {{ {values} }} ?x a ?c }}"
        for r in store.query(query):
            types[r["x"]].add(r["s"].value)
    for rule, position in ((schema.domains, "?x ?p ?o"), (schema.ranges, "?o ?p ?x")):
        pairs = [(p, c) for p, classes in rule.items() for c in classes]
        if not pairs:
            continue
        values = " ".join(f"(<{p}> <{c}>)" for p, c in pairs)
        query = (
            f"SELECT DISTINCT ?x ?c WHERE {{ {only_x} VALUES (?p ?c) {{ {values} }} "
            f"{position} FILTER (!isLiteral(?x)) }}"
        )
        for r in store.query(query):
            types[r["x"]].add(r["c"].value)
        by_property: dict[str, set[str]] = {p: cs for p, cs in rule.items()}
        for s, q, o in inverse_values:  # values the inverses added count too
            node = s if position == "?x ?p ?o" else o
            if not isinstance(node, ox.Literal):
                types[node] |= by_property.get(q.value, set())

    if focus is not None:  # an inverse value's other end may lie outside the focus
        types = defaultdict(set, {node: types[node] for node in focus if node in types})
    _check_consistency(store, schema, types, defined_in or {}, only_x.replace("?x", "?s"))
    for node, classes in types.items():
        for cls in classes:
            found.add((node, _TYPE, ox.NamedNode(cls)))

    triples = [
        t
        for t in found
        if not _trivial(t, aliases) and ox.Quad(t[0], t[1], t[2]) not in store  # type: ignore[arg-type]
    ]
    triples.sort(key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    return Entailment(triples=triples, seconds=time.perf_counter() - started)


def _only(variable: str, focus: set[ox.NamedNode] | None) -> str:
    """``VALUES`` binding *variable* to the *focus* nodes ("" without a focus)."""
    if focus is None or not variable:
        return ""
    return f"VALUES {variable} {{ {' '.join(str(node) for node in focus)} }}"


def _trivial(triple: tuple, aliases: set[object]) -> bool:
    s, p, o = triple
    if isinstance(s, ox.NamedNode) and _builtin(s.value):
        return True
    if isinstance(o, ox.NamedNode) and URIRef(o.value) in _TRIVIAL:
        return True
    if p.value == str(OWL.sameAs) and s == o:
        return True
    return s in aliases or o in aliases  # facts re-stated about an alias duplicate answers


def _aliases(store: ox.Store) -> set[object]:
    """Nodes known only as the target of ``owl:sameAs`` (e.g. Wikidata entities)."""
    query = (
        f"SELECT DISTINCT ?t WHERE {{ ?s <{OWL.sameAs}> ?t "
        "FILTER (!isLiteral(?t)) FILTER NOT EXISTS { ?t ?p ?o } }"
    )
    return {r["t"] for r in store.query(query)}


def _check_consistency(
    store: ox.Store,
    schema: Schema,
    types: dict[object, set[str]],
    defined_in: dict[str, list[str]],
    only_s: str = "",
) -> None:
    suspects: list[str] = []
    for node in sorted(types, key=str):
        classes = types[node]
        clashes = sorted(sorted(pair) for pair in schema.disjoint if pair <= classes)
        if clashes:
            a, b = clashes[0]
            suspects.append(
                f"{_name(node)} is both a {a} and a {b}, which are disjoint "
                f"(in {_files(node, defined_in)})"
            )
    if schema.functional:
        values = " ".join(f"<{p}>" for p in sorted(schema.functional))
        query = (
            f"SELECT DISTINCT ?s ?p ?a ?b WHERE {{ {only_s} VALUES ?p {{ {values} }} "
            "?s ?p ?a . ?s ?p ?b "
            "FILTER (STR(?a) < STR(?b) || (STR(?a) = STR(?b) && !sameTerm(?a, ?b))) }"
        )
        for r in store.query(query):
            a, b = r["a"], r["b"]
            literals = isinstance(a, ox.Literal) and isinstance(b, ox.Literal)
            if literals and _different_values(store, a, b):
                what = f"two values of the functional property {r['p'].value}"
            elif frozenset((_name(a), _name(b))) in schema.different:
                what = f"two values of the functional property {r['p'].value} declared different"
            else:
                continue
            suspects.append(
                f"{_name(r['s'])} has {what}: {_name(a)} and {_name(b)} "
                f"(in {_files(r['s'], defined_in)})"
            )
    if suspects:
        raise InconsistentOntologyError(
            f"the ontology and the facts are inconsistent (rules): {'; '.join(suspects)}",
            suspects,
        )


def _different_values(store: ox.Store, a: ox.Literal, b: ox.Literal) -> bool:
    """Whether two literals denote different data values (1.0 and 1 do not)."""
    query = f"ASK {{ VALUES (?a ?b) {{ ({a} {b}) }} FILTER (!COALESCE(?a = ?b, false)) }}"
    return bool(store.query(query))


def _name(node: object) -> str:
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    return node.value  # type: ignore[attr-defined]


def _files(node: object, defined_in: dict[str, list[str]]) -> str:
    return ", ".join(defined_in.get(_name(node), [])) or "unknown file"


def _builtin(iri: str) -> bool:
    return iri.startswith(_BUILTIN)
