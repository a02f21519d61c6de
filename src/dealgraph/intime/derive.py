"""The derive stage of the build: dates as periods, and every right's time in force.

It runs after reasoning (so that subclass memberships and inverse properties are known) and
before validation: the shapes check asserted + inferred + derived triples together, and the
derived triples are published in their own named graph, apart from what curators wrote.

The rules (docs: notes of issue 8, "the deal in time"):

- every node with ``dg:date`` gets ``dg:earliestDay`` and ``dg:latestDay``, the first and
  last day of the period its ``dg:datePrecision`` makes of it (no precision: that day);
- a right's ``dg:inForceFrom`` is the one asserted, else the earliest day of the agreement
  that granted it (``dg:grantedBy``); with neither, nothing is derived and the shapes refuse
  the right;
- a right's ``dg:inForceUntil`` is the one asserted, else the day before the earliest day of
  what ended it (``dg:endedBy``, an agreement or an event), else the day before its first
  revision comes into force (``dg:supersededBy`` / ``prov:wasRevisionOf``), else the latest
  day of its expiry when that is a date trigger or a composite trigger whose date members
  decide it ("through 2030" is through 2030-12-31). A right ending only on an event (AGI) or
  with no stated end gets none: no trigger event is assumed to have happened.

The facts are read with a few SPARQL SELECTs on the pyoxigraph store of the reason stage
(ontology, facts and their entailments together), so nothing grows with the data but the
rows of those queries; the date arithmetic runs in Python on them. A value asserted in the
store is never derived again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef

from ..gate.run import store_of
from ..namespaces import DG, PREFIXES, PROV
from .periods import DAY, day_before, period

Node = ox.NamedNode | ox.BlankNode
Triple = tuple[Node, ox.NamedNode, ox.Literal]

_XSD_DATE = str(XSD.date)
_PLAIN_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RDF_TYPE = PREFIXES["rdf"] + "type"
_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"


# Each query reads the whole store, or with ``only`` (a VALUES clause) the nodes it names.
def _dates(only: str = "") -> str:
    return f"""SELECT ?node ?date ?precision WHERE {{ {only}
  ?node <{DG.date}> ?date OPTIONAL {{ ?node <{DG.datePrecision}> ?precision }} }}"""


def _rights(only: str = "") -> str:
    return f"""SELECT DISTINCT ?right WHERE {{ {only}
  ?class <{_SUBCLASS}>* <{DG.Right}> . ?right <{_RDF_TYPE}> ?class }}"""


def _composites(only: str = "") -> str:
    return f"SELECT ?trigger WHERE {{ {only} ?trigger <{_RDF_TYPE}> <{DG.CompositeTrigger}> }}"


# Every value the rules read (besides dates and types), by property: a few rows per right.
_LINKS = (
    DG.earliestDay, DG.latestDay, DG.inForceFrom, DG.inForceUntil, DG.grantedBy, DG.endedBy,
    DG.supersededBy, DG.expiryCondition, DG.member, DG.combination, PROV.wasRevisionOf,
)  # fmt: skip


def _values(only: str = "") -> str:
    return f"""SELECT ?s ?p ?o WHERE {{ {only}
  VALUES ?p {{ {" ".join(f"<{p}>" for p in _LINKS)} }} ?s ?p ?o }}"""


_REVISION = PROV.wasRevisionOf
# What a right's time in force reads, from the right on (besides its revisions, backwards).
_REACH = (DG.grantedBy, DG.endedBy, DG.supersededBy, _REVISION, DG.expiryCondition, DG.member)
_EARLIEST, _LATEST = ox.NamedNode(str(DG.earliestDay)), ox.NamedNode(str(DG.latestDay))
_FROM, _UNTIL = ox.NamedNode(str(DG.inForceFrom)), ox.NamedNode(str(DG.inForceUntil))


def derive(data: Graph, inferred: Graph, ontology: Graph | None = None) -> Graph:
    """The triples the time rules derive from *data* + *inferred* (never already asserted),
    as an rdflib graph: :func:`derive_in_store` on a store of those graphs.

    *ontology* lets subclasses of ``dg:Right`` count as rights when the reasoner did not
    run; with the reasoner's output the inferred types are enough.
    """
    graphs = (data, inferred) if ontology is None else (data, inferred, ontology)
    return graph_of(derive_in_store(store_of(*graphs)))


@dataclass(frozen=True)
class Scope:
    """What to derive again after a change: the periods of *dated* nodes, the time in force
    of *rights*, reading the facts of the nodes they reach (*reach*) and nothing else."""

    dated: frozenset[ox.NamedNode]
    rights: frozenset[ox.NamedNode]
    reach: frozenset[ox.NamedNode]


def scope_of(store: ox.Store, changed: set[ox.NamedNode]) -> Scope | None:
    """The :class:`Scope` a change of the facts of the *changed* nodes can alter, or None
    when it reaches a blank node (which a query cannot name: derive everything then).

    A right's time in force reads its grant, its ends, its successors and their grants, and
    its expiry trigger with the members of that trigger: the rights to derive again are the
    changed nodes themselves and those that reach a changed node along these links."""
    if not changed:
        return Scope(frozenset(), frozenset(), frozenset())
    # VALUES inside each branch: pyoxigraph does not push a binding from outside into a path.
    only = f"VALUES ?m {{ {' '.join(str(node) for node in changed)} }}"
    found = store.query(f"""SELECT DISTINCT ?r WHERE {{
      {{ {only} ?r <{DG.grantedBy}>|<{DG.endedBy}>|<{DG.supersededBy}>|^<{_REVISION}> ?m }}
      UNION {{ {only} ?r (<{DG.supersededBy}>|^<{_REVISION}>)/<{DG.grantedBy}> ?m }}
      UNION {{ {only} ?r <{DG.expiryCondition}>/<{DG.member}>* ?m }} }}""")
    rights = set(changed) | {row["r"] for row in found}
    links = "|".join(f"<{p}>" for p in _REACH)
    reach: set[ox.NamedNode | ox.BlankNode] = set()
    for node in rights:
        query = f"SELECT DISTINCT ?n WHERE {{ {node} ({links}|^<{_REVISION}>)* ?n }}"
        reach |= {row["n"] for row in store.query(query)}
    if any(isinstance(node, ox.BlankNode) for node in rights | reach):
        return None
    return Scope(frozenset(changed), frozenset(rights), frozenset(reach))  # type: ignore[arg-type]


def derive_in_store(store: ox.Store, scope: Scope | None = None) -> list[Triple]:
    """The triples the time rules derive from the default graph of *store*, never one whose
    subject already has a value for its property there; *store* is not changed.

    With *scope*, only the periods of its dated nodes and the time in force of its rights,
    read from the facts of the nodes it reaches (the build after a small edit)."""

    def only(variable: str) -> str:
        return "" if scope is None else _only(variable, scope.reach)

    values: dict[str, dict[Node, list]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(_values(only("?s"))):
        values[row["p"].value][row["s"]].append(row["o"])
    asserted = {
        (node, prop.value)
        for prop in (_EARLIEST, _LATEST, _FROM, _UNTIL)
        for node in values[prop.value]
    }
    composites = {row["trigger"] for row in store.query(_composites(only("?trigger")))}
    facts = _Facts(values, composites)

    days: dict[Node, tuple[date, date]] = {}
    for row in store.query(_dates(only("?node"))):
        first = _as_date(row["date"])
        if first is not None:
            precision = row["precision"]
            days[row["node"]] = period(first, precision.value if precision is not None else DAY)
    derived: list[Triple] = []

    def add(node: Node, prop: ox.NamedNode, day: date) -> None:
        if (node, prop.value) not in asserted:
            derived.append(
                (node, prop, ox.Literal(day.isoformat(), datatype=ox.NamedNode(_XSD_DATE)))
            )

    for node, (earliest, latest) in days.items():
        if scope is None or node in scope.dated:
            add(node, _EARLIEST, earliest)
            add(node, _LATEST, latest)
    rights = [row["right"] for row in store.query(_rights(only("?right")))]
    starts = {right: _start(facts, days, right) for right in rights}
    for right in rights:
        if scope is not None and right not in scope.rights:
            continue  # reached, but what decides its end may lie beyond the reach
        if (start := starts[right]) is not None:
            add(right, _FROM, start)
        if (until := _until(facts, days, starts, right)) is not None:
            add(right, _UNTIL, until)
    return derived


def _only(variable: str, nodes: frozenset[ox.NamedNode]) -> str:
    """``VALUES`` binding *variable* to *nodes* (none: the query matches nothing)."""
    return f"VALUES {variable} {{ {' '.join(str(node) for node in nodes)} }}"


def graph_of(triples: list[Triple]) -> Graph:
    """*triples* (pyoxigraph terms) as an rdflib graph, blank node ids kept."""
    graph = Graph()
    graph.namespace_manager.bind("dg", str(DG))
    for s, p, o in triples:
        subject = BNode(s.value) if isinstance(s, ox.BlankNode) else URIRef(s.value)
        graph.add((subject, URIRef(p.value), Literal(o.value, datatype=XSD.date)))
    return graph


class _Facts:
    """The values the rules read, by property then subject, and the composite triggers."""

    def __init__(self, values: dict[str, dict[Node, list]], composites: set[Node]) -> None:
        self._values = values
        self.composites = composites
        self.revisions: dict[Node, list[Node]] = defaultdict(list)  # right → its revisions
        for revision, originals in values[str(PROV.wasRevisionOf)].items():
            for original in originals:
                self.revisions[original].append(revision)

    def objects(self, node: Node, prop: URIRef) -> list:
        """Every value of *prop* for *node*."""
        return self._values[str(prop)].get(node, [])

    def value(self, node: Node, prop: URIRef) -> object | None:
        """One value of *prop* for *node* (the shapes allow at most one), or None."""
        found = self._values[str(prop)].get(node)
        return found[0] if found else None


def _start(facts: _Facts, days: dict[Node, tuple[date, date]], right: Node) -> date | None:
    """Asserted first day, else the earliest day of the granting agreement."""
    if (asserted := _as_date(facts.value(right, DG.inForceFrom))) is not None:
        return asserted
    grant = facts.value(right, DG.grantedBy)
    return days[grant][0] if grant in days else None


def _until(
    facts: _Facts,
    days: dict[Node, tuple[date, date]],
    starts: dict[Node, date | None],
    right: Node,
) -> date | None:
    """Asserted last day, else from what ended it, its first revision, or its date expiry."""
    if (asserted := _as_date(facts.value(right, DG.inForceUntil))) is not None:
        return asserted
    enders = facts.objects(right, DG.endedBy)
    if enders:
        # An end without a date derives nothing: the shapes then refuse the right by name.
        dated = [days[e][0] for e in enders if e in days]
        return day_before(min(dated)) if len(dated) == len(enders) else None
    successors = set(facts.objects(right, DG.supersededBy)) | set(facts.revisions.get(right, []))
    successor_starts = [start for s in successors if (start := starts.get(s)) is not None]
    if successor_starts:
        return day_before(min(successor_starts))
    expiry = facts.value(right, DG.expiryCondition)
    return _trigger_day(facts, days, expiry, set()) if expiry is not None else None


def _trigger_day(
    facts: _Facts, days: dict[Node, tuple[date, date]], trigger: object, seen: set
) -> date | None:
    """The last day before *trigger* fires, when dates alone decide it; else None.

    A date trigger ends on the latest day of its period. An earliest-of composite ends on its
    earliest date member (an event member is assumed not to happen first); a latest-of
    composite ends on a date only when every member is a date.
    """
    if trigger in seen:  # a cycle of composites: no date can be derived from it
        return None
    seen = seen | {trigger}
    if trigger not in facts.composites:  # a date trigger, or an event / no stated end
        return days[trigger][1] if trigger in days else None  # type: ignore[index]
    members = [_trigger_day(facts, days, m, seen) for m in facts.objects(trigger, DG.member)]
    dated = [d for d in members if d is not None]
    combination = facts.value(trigger, DG.combination)
    if isinstance(combination, ox.NamedNode) and combination.value == str(DG.LatestOf):
        return max(dated) if dated and len(dated) == len(members) else None
    return min(dated) if dated else None


def _as_date(value: object) -> date | None:
    """The Python date of a date literal (as rdflib reads it), or None."""
    if not isinstance(value, ox.Literal):
        return None
    if value.datatype.value == _XSD_DATE and _PLAIN_DAY.match(value.value):
        try:
            return date.fromisoformat(value.value)
        except ValueError:
            return None
    # Anything else as rdflib would read it (time zones, xsd:dateTime...): rare, so slow is fine.
    python = Literal(value.value, datatype=URIRef(value.datatype.value)).toPython()
    return python if isinstance(python, date) else None
