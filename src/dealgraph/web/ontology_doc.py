"""The ontology as served at /ontology: its Turtle, and a documentation page of its terms."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..namespaces import DG, ONTOLOGY_GRAPH, ONTOLOGY_IRI, href, prefixes
from .linked_data import local_name
from .published import Published
from .store_queries import construct
from .worker_pool import WorkerPool

ONTOLOGY_QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@dataclass
class TermDoc:
    """One class or property with its labels and definitions in English and French."""

    iri: str
    name: str
    kind: str
    label_en: str = ""
    label_fr: str = ""
    definition_en: str = ""
    definition_fr: str = ""
    parents: list[tuple[str, str]] = field(default_factory=list)  # (label, href)
    domain: list[tuple[str, str]] = field(default_factory=list)
    range: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class OntologyDoc:
    """The ontology header and its terms, for the documentation page."""

    iri: str
    title: str
    description: str
    version_iri: str
    license: str
    classes: list[TermDoc]
    properties: list[TermDoc]


async def load_ontology(pool: WorkerPool, published: Published) -> Graph:
    """The ontology named graph of the published build, with the usual prefixes bound."""
    graph = await construct(pool, published, ONTOLOGY_QUERY)
    for prefix, namespace in prefixes("dg", "owl", "skos", "dcterms").items():
        graph.bind(prefix, namespace)
    return graph


def _text(graph: Graph, node: URIRef, props: tuple, lang: str) -> str:
    for prop in props:
        for value in graph.objects(node, prop):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
    return ""


def _any_text(graph: Graph, node: URIRef, props: tuple) -> str:
    for lang in ("en", "fr", None):
        for prop in props:
            for value in graph.objects(node, prop):
                if isinstance(value, Literal) and (lang is None or value.language == lang):
                    return str(value)
    return ""


def _links(graph: Graph, node: URIRef, prop: URIRef) -> list[tuple[str, str]]:
    out = []
    for value in graph.objects(node, prop):
        if isinstance(value, URIRef):
            label = _text(graph, value, (RDFS.label,), "en") or local_name(str(value))
            out.append((label, href(str(value))))
    return sorted(out)


def ontology_doc(graph: Graph) -> OntologyDoc:
    """Collect the dg: classes and properties of *graph* with labels and definitions."""
    onto = URIRef(ONTOLOGY_IRI)
    definitions = (SKOS.definition, RDFS.comment)

    def term(iri: URIRef, kind: str) -> TermDoc:
        return TermDoc(
            iri=str(iri),
            name=str(iri)[len(str(DG)) :],
            kind=kind,
            label_en=_text(graph, iri, (RDFS.label, SKOS.prefLabel), "en"),
            label_fr=_text(graph, iri, (RDFS.label, SKOS.prefLabel), "fr"),
            definition_en=_text(graph, iri, definitions, "en"),
            definition_fr=_text(graph, iri, definitions, "fr"),
            parents=_links(graph, iri, RDFS.subClassOf) + _links(graph, iri, RDFS.subPropertyOf),
            domain=_links(graph, iri, RDFS.domain),
            range=_links(graph, iri, RDFS.range),
        )

    def terms(types: tuple) -> list[TermDoc]:
        found: dict[URIRef, str] = {}
        for rdf_type in types:
            for subject in graph.subjects(RDF.type, rdf_type):
                if isinstance(subject, URIRef) and str(subject).startswith(str(DG)):
                    found.setdefault(subject, local_name(str(rdf_type)))
        return sorted((term(s, k) for s, k in found.items()), key=lambda t: t.name.lower())

    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        title=_any_text(graph, onto, (DCTERMS.title, RDFS.label)) or "dealgraph ontology",
        description=_any_text(graph, onto, (DCTERMS.description, RDFS.comment)),
        version_iri=str(next(graph.objects(onto, OWL.versionIRI), "")),
        license=str(next(graph.objects(onto, DCTERMS.license), "")),
        classes=terms(CLASS_TYPES),
        properties=terms(PROPERTY_TYPES),
    )
