"""The VoID description of the dataset (answered at /void), as RDF or as a page."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, VOID, XSD

from ..namespaces import INSTANCE_BASE, shorten
from .citation import DATASET_TITLE, SourceCitation
from .published import Published
from .store_queries import DatasetStats

DUMPS = ("dump.nq", "dump.trig", "dump.ttl")


def void_description(
    base_url: str,
    published: Published,
    stats: DatasetStats,
    citation: SourceCitation | None = None,
) -> Graph:
    """A ``void:Dataset`` with counts, dumps, vocabularies, endpoint and one subset per graph;
    with *citation*, its version (the build), licence and how to cite it."""
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.bind("owl", OWL)
    ds = URIRef(f"{base_url}/void#dealgraph")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal(DATASET_TITLE, lang="en")))
    g.add((ds, DCTERMS.modified, Literal(published.info.built_at, datatype=XSD.dateTime)))
    g.add((ds, OWL.versionInfo, Literal(published.info.build_id)))
    g.add((ds, DCTERMS.hasVersion, Literal(published.info.build_id)))
    if citation is not None:
        g.add((ds, DCTERMS.bibliographicCitation, Literal(citation.text, lang="en")))
        g.add((ds, DCTERMS.creator, Literal(citation.author)))
        if citation.license:
            g.add((ds, DCTERMS.license, URIRef(citation.license)))
        for ext in ("bib", "json"):
            g.add((ds, DCTERMS.references, URIRef(f"{base_url}/cite.{ext}")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base_url}/sparql")))
    g.add((ds, VOID.uriSpace, Literal(INSTANCE_BASE)))
    for dump in DUMPS:
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


def void_page_context(
    base_url: str, published: Published, stats: DatasetStats, citation: SourceCitation
) -> dict:
    """What the HTML view of VoID shows: the same facts as the RDF, for people."""
    return {
        "base": base_url,
        "info": published.info,
        "stats": stats,
        "citation": citation,
        "dumps": [f"/{d}" for d in DUMPS],
        "classes": [(c, label or shorten(c) or c, n) for c, label, n in stats.classes],
        "properties": [(p, shorten(p) or p, n) for p, n in stats.properties],
    }
