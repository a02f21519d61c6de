"""The reason stage at scale: HermiT for the ontology, rules for the facts.

HermiT classifies the ontology alone and proves it consistent (its classes satisfiable): a
few hundred axioms, seconds whatever the size of the data. The facts' entailments and their
consistency with the ontology come from the rules of :mod:`dealgraph.rules.entail`, run as
SPARQL on a pyoxigraph store, which grow with the data like a query, not like a tableau.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

from ..gate.run import add_graphs, store_of
from ..namespaces import DG, INSTANCE_BASE
from ..reason import Reasoning, reason
from .entail import entail, schema_of


def reason_by_rules(
    ontology: Graph, data: Graph | ox.Store, defined_in: dict[str, list[str]] | None = None
) -> Reasoning:
    """HermiT on *ontology*, then the rules on *ontology* + *data*: the triples entailed
    beyond the asserted ones, as :func:`dealgraph.reason.reason` gives them.

    Raises :class:`InconsistentOntologyError` for an inconsistent ontology, an unsatisfiable
    class, or facts that break a disjointness or a functional property.
    """
    return reason_into_store(ontology, data, defined_in)[0]


def reason_into_store(
    ontology: Graph, data: Graph | ox.Store, defined_in: dict[str, list[str]] | None = None
) -> tuple[Reasoning, ox.Store]:
    """:func:`reason_by_rules`, and the in-memory store the rules ran on, holding ontology +
    data + what they entail: the gate runs on it next, without copying the facts again.

    *data* is an rdflib graph, or a store whose default graph holds the facts (as
    :func:`dealgraph.load.load` gives them): copied store to store, never through rdflib."""
    started = time.perf_counter()
    classified = reason(ontology, Graph(), defined_in)  # the ontology alone
    if isinstance(data, ox.Store):
        store = store_of(ontology)
        store.extend(data.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    else:
        store = store_of(ontology, data)
    entailed = entail(store, schema_of(ontology), defined_in)
    add_graphs(store, classified.inferred)
    store.extend(ox.Quad(*t) for t in entailed.triples)  # type: ignore[arg-type]
    inferred = Graph()
    inferred.namespace_manager.bind("dg", str(DG))
    inferred.namespace_manager.bind("id", INSTANCE_BASE)
    inferred += classified.inferred
    _add_to(inferred, entailed.triples)
    skipped = None
    if classified.skipped_reason is not None:  # no Java: the rules still run, HermiT did not
        skipped = (
            f"{classified.skipped_reason.split(':', 1)[0]}: the ontology is not classified nor "
            "proved consistent by HermiT; the facts' entailments and their consistency with "
            "the ontology come from the rules alone (install Java 11+ for HermiT)"
        )
    reasoning = Reasoning(
        inferred=inferred,
        seconds=time.perf_counter() - started,
        skipped_reason=skipped,
        warnings=classified.warnings,
        classified=classified.inferred,
    )
    return reasoning, store


def _add_to(graph: Graph, triples: list) -> None:
    """Add the entailed triples to *graph* (types and inverse values: no literals)."""
    for s, p, o in triples:
        graph.add((_node(s), URIRef(p.value), _node(o)))


def _node(term: ox.NamedNode | ox.BlankNode) -> URIRef | BNode:
    return BNode(term.value) if isinstance(term, ox.BlankNode) else URIRef(term.value)
