"""The SPARQL 1.1 Service Description of the endpoint (answered at GET /sparql), as RDF or as
a page: languages, result formats, features, the dataset, and the predeclared prefixes (as SHACL
``sh:declare``, the way prefix declarations are usually published)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, VOID, XSD

from ..namespaces import PREFIXES
from .negotiation import GRAPH_TYPES, TABULAR_TYPES
from .published import Published

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N3",
)


def service_description(base_url: str, published: Published) -> Graph:
    """An ``sd:Service`` for ``base_url/sparql``: languages, formats, features, default dataset."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    g.bind("dcterms", DCTERMS)
    endpoint = URIRef(f"{base_url}/sparql")
    service = endpoint
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, DCTERMS.title, Literal("dealgraph SPARQL endpoint (read-only)", lang="en")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.feature, SD.BasicFederatedQuery))
    g.bind("sh", SH)
    for prefix, namespace in PREFIXES.items():
        declaration = BNode(f"prefix-{prefix}")
        g.add((service, SH.declare, declaration))
        g.add((declaration, SH.prefix, Literal(prefix)))
        g.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, VOID.sparqlEndpoint, endpoint))
    g.add((dataset, DCTERMS.modified, Literal(published.info.built_at, datatype=XSD.dateTime)))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(published.info.total_triples)))
    for iri, count in sorted(published.info.triples.items()):
        named, graph = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(count)))
    return g


def service_page_context(base_url: str, published: Published) -> dict:
    """What the HTML view of the service description shows."""
    return {
        "endpoint": f"{base_url}/sparql",
        "info": published.info,
        "prefixes": PREFIXES,
        "tabular": list(TABULAR_TYPES),
        "graph": list(GRAPH_TYPES),
        "graphs": sorted(published.info.triples.items()),
    }
