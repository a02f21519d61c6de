"""The VoID description of the dataset (answered at /void)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from ..namespaces import INSTANCE_BASE
from .published import Published
from .store_queries import DatasetStats


def void_description(base_url: str, published: Published, stats: DatasetStats) -> Graph:
    """A ``void:Dataset`` with counts, dumps, vocabularies, endpoint and one subset per graph."""
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    ds = URIRef(f"{base_url}/void#dealgraph")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("dealgraph: corporate AI deals", lang="en")))
    g.add((ds, DCTERMS.modified, Literal(published.info.built_at, datatype=XSD.dateTime)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base_url}/sparql")))
    g.add((ds, VOID.uriSpace, Literal(INSTANCE_BASE)))
    for dump in ("dump.nq", "dump.trig", "dump.ttl"):
        g.add((ds, VOID.dataDump, URIRef(f"{base_url}/{dump}")))
    g.add((ds, VOID.triples, Literal(stats.total_triples)))
    g.add((ds, VOID.entities, Literal(stats.entities)))
    g.add((ds, VOID.classes, Literal(len(stats.classes))))
    g.add((ds, VOID.properties, Literal(len(stats.properties))))
    g.add((ds, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    g.add((ds, VOID.distinctObjects, Literal(stats.distinct_objects)))
    for vocabulary in stats.vocabularies:
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    for i, (cls, _label, count) in enumerate(stats.classes):
        part = URIRef(f"{base_url}/void#class-{i}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count)))
    for i, (prop, count) in enumerate(stats.properties):
        part = URIRef(f"{base_url}/void#property-{i}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(count)))
    for graph in stats.graphs:
        name = graph.iri.rstrip("/").rsplit("/", 1)[-1]
        subset = URIRef(f"{base_url}/void#graph-{name}")
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, DCTERMS.identifier, URIRef(graph.iri)))
        g.add((subset, VOID.sparqlEndpoint, URIRef(f"{base_url}/sparql")))
        g.add((subset, VOID.triples, Literal(graph.triples)))
        g.add((subset, VOID.distinctSubjects, Literal(graph.subjects)))
        g.add((subset, VOID.properties, Literal(graph.properties)))
        g.add((subset, VOID.distinctObjects, Literal(graph.objects)))
    return g
