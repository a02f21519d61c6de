"""SPARQLWrapper, as researchers use it, against the running endpoint."""

from __future__ import annotations

from rdflib import Graph
from SPARQLWrapper import ASK, JSON, TURTLE, XML, SPARQLWrapper

COMPANIES = (
    "PREFIX dg: <https://w3id.org/dealgraph/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    'SELECT ?c ?label WHERE { ?c a dg:Company ; rdfs:label ?label FILTER(LANG(?label) = "en") }'
)


def wrapper(server) -> SPARQLWrapper:
    return SPARQLWrapper(server.url + "/sparql")


def test_sparqlwrapper_select_json(server):
    sparql = wrapper(server)
    sparql.setQuery(COMPANIES)
    sparql.setReturnFormat(JSON)
    labels = {b["label"]["value"] for b in sparql.queryAndConvert()["results"]["bindings"]}
    assert {"Microsoft", "OpenAI"} <= labels


def test_sparqlwrapper_select_xml_via_post(server):
    sparql = wrapper(server)
    sparql.setQuery(COMPANIES)
    sparql.setMethod("POST")
    sparql.setReturnFormat(XML)
    doc = sparql.queryAndConvert()
    assert len(doc.getElementsByTagName("result")) == 3


def test_sparqlwrapper_construct_turtle(server):
    sparql = wrapper(server)
    sparql.setQuery(
        "CONSTRUCT { ?c ?p ?o } WHERE "
        "{ ?c a <https://w3id.org/dealgraph/ontology#Company> ; ?p ?o }"
    )
    sparql.setReturnFormat(TURTLE)
    data = sparql.queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    assert len(graph) > 5


def test_sparqlwrapper_ask(server):
    sparql = wrapper(server)
    sparql.setQuery("ASK { <https://w3id.org/dealgraph/id/company/openai> ?p ?o }")
    sparql.setReturnFormat(JSON)
    assert sparql.query().convert()["boolean"] is True
    assert sparql.queryType == ASK  # the query type SPARQLWrapper detected
