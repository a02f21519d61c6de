"""The derive stage as it was written on rdflib graphs, kept as the oracle of its SPARQL
rewrite (:mod:`dealgraph.intime.derive`): both must give exactly the same derived triples.

The rules are those of the derive stage's docstring; the code walks rdflib graphs triple by
triple, which is clear but copies the whole data graph (47 s at a million triples).
"""

from __future__ import annotations

from datetime import date

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from dealgraph.intime.periods import DAY, day_before, period
from dealgraph.namespaces import DG, PROV


def derive_on_rdflib(data: Graph, inferred: Graph, ontology: Graph | None = None) -> Graph:
    """The triples the time rules derive from *data* + *inferred* (never already asserted).

    *ontology* lets subclasses of ``dg:Right`` count as rights when the reasoner did not
    run; with the reasoner's output the inferred types are enough.
    """
    facts = data + inferred
    derived = Graph()
    derived.namespace_manager.bind("dg", str(DG))

    days: dict[Node, tuple[date, date]] = {}
    for node, value in facts.subject_objects(DG.date):
        first = _as_date(value)
        if first is None:
            continue
        precision = facts.value(node, DG.datePrecision)
        days[node] = period(first, str(precision) if precision is not None else DAY)
    for node, (earliest, latest) in sorted(days.items(), key=lambda item: str(item[0])):
        _add(derived, data, node, DG.earliestDay, earliest)
        _add(derived, data, node, DG.latestDay, latest)

    rights = sorted(_rights(facts, ontology), key=str)
    starts = {right: _start(facts, days, right) for right in rights}
    for right in rights:
        if (start := starts[right]) is not None:
            _add(derived, data, right, DG.inForceFrom, start)
    for right in rights:
        if (until := _until(facts, days, starts, right)) is not None:
            _add(derived, data, right, DG.inForceUntil, until)
    return derived


def _rights(facts: Graph, ontology: Graph | None) -> set[Node]:
    """Every node typed dg:Right or one of its subclasses (named in *ontology* or *facts*)."""
    classes = {DG.Right}
    schema = facts + ontology if ontology is not None else facts
    classes |= set(schema.transitive_subjects(RDFS.subClassOf, DG.Right))
    return {node for cls in classes for node in facts.subjects(RDF.type, cls)}


def _start(facts: Graph, days: dict[Node, tuple[date, date]], right: Node) -> date | None:
    """Asserted first day, else the earliest day of the granting agreement."""
    if (asserted := _as_date(facts.value(right, DG.inForceFrom))) is not None:
        return asserted
    grant = facts.value(right, DG.grantedBy)
    return days[grant][0] if grant in days else None


def _until(
    facts: Graph,
    days: dict[Node, tuple[date, date]],
    starts: dict[Node, date | None],
    right: Node,
) -> date | None:
    """Asserted last day, else from what ended it, its first revision, or its date expiry."""
    if (asserted := _as_date(facts.value(right, DG.inForceUntil))) is not None:
        return asserted
    enders = list(facts.objects(right, DG.endedBy))
    if enders:
        # An end without a date derives nothing: the shapes then refuse the right by name.
        dated = [days[e][0] for e in enders if e in days]
        return day_before(min(dated)) if len(dated) == len(enders) else None
    successors = set(facts.objects(right, DG.supersededBy))
    successors |= set(facts.subjects(PROV.wasRevisionOf, right))
    successor_starts = [starts[s] for s in successors if starts.get(s) is not None]
    if successor_starts:
        return day_before(min(successor_starts))  # type: ignore[type-var]
    expiry = facts.value(right, DG.expiryCondition)
    return _trigger_day(facts, days, expiry, set()) if expiry is not None else None


def _trigger_day(
    facts: Graph, days: dict[Node, tuple[date, date]], trigger: Node, seen: set[Node]
) -> date | None:
    """The last day before *trigger* fires, when dates alone decide it; else None.

    A date trigger ends on the latest day of its period. An earliest-of composite ends on its
    earliest date member (an event member is assumed not to happen first); a latest-of
    composite ends on a date only when every member is a date.
    """
    if trigger in seen:  # a cycle of composites: no date can be derived from it
        return None
    seen = seen | {trigger}
    types = set(facts.objects(trigger, RDF.type))
    if DG.CompositeTrigger not in types:  # a date trigger, or an event / no stated end
        return days[trigger][1] if trigger in days else None
    members = [_trigger_day(facts, days, m, seen) for m in facts.objects(trigger, DG.member)]
    dated = [d for d in members if d is not None]
    if facts.value(trigger, DG.combination) == DG.LatestOf:
        return max(dated) if dated and len(dated) == len(members) else None
    return min(dated) if dated else None


def _as_date(value: Node | None) -> date | None:
    """The Python date of an xsd:date literal, or None."""
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, date):
            return python
    return None


def _add(derived: Graph, data: Graph, node: Node, prop: URIRef, day: date) -> None:
    """Add ``node prop day`` unless curators asserted a value for *prop* themselves."""
    if (node, prop, None) in data:
        return
    derived.add((node, prop, Literal(day.isoformat(), datatype=XSD.date)))
