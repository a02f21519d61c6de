"""CORS, gzip, ETag / Last-Modified with 304, Vary, and the self-descriptions."""

from __future__ import annotations

import gzip

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, VOID

SD = "http://www.w3.org/ns/sparql-service-description#"
QUERY = {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"}


def test_cors_allows_any_origin_for_reads(client):
    r = client.get("/sparql", params=QUERY, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"


def test_cors_preflight_is_answered(client):
    r = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 200
    assert "POST" in r.headers["access-control-allow-methods"]


def test_gzip_when_the_client_asks(client):
    r = client.get("/sparql", params=QUERY, headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in r.headers["vary"]
    raw = client.build_request("GET", "/sparql", params=QUERY, headers={"Accept-Encoding": "gzip"})
    body = client.send(raw, stream=True)
    compressed = b"".join(body.iter_raw())
    assert gzip.decompress(compressed).startswith(b'{"head"')


def test_etag_and_last_modified_give_304(client, server):
    r = client.get("/sparql", params=QUERY)
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert "Accept" in r.headers["vary"]
    build_id = client.get("/health").json()["build_id"]
    assert build_id in etag
    assert client.get("/sparql", params=QUERY, headers={"If-None-Match": etag}).status_code == 304
    assert (
        client.get("/sparql", params=QUERY, headers={"If-Modified-Since": modified}).status_code
        == 304
    )
    other = client.get("/sparql", params=QUERY, headers={"If-None-Match": 'W/"other"'})
    assert other.status_code == 200


def test_etag_differs_per_negotiated_format(client):
    a = client.get("/sparql", params=QUERY, headers={"Accept": "text/csv"}).headers["etag"]
    b = client.get("/sparql", params=QUERY, headers={"Accept": "text/tab-separated-values"})
    assert a != b.headers["etag"]


def test_service_description_is_rdf_with_union_default_graph(client, server):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    service = next(g.subjects(RDF.type, URIRef(SD + "Service")))
    assert (service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in g
    assert (service, URIRef(SD + "endpoint"), URIRef(server.url + "/sparql")) in g
    names = set(g.objects(None, URIRef(SD + "name")))
    assert URIRef("https://w3id.org/dealgraph/graph/asserted") in names
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")


def test_void_counts_and_subsets(client, server):
    r = client.get("/void", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    ds = URIRef(server.url + "/void#dealgraph")
    assert (ds, RDF.type, VOID.Dataset) in g
    health = client.get("/health").json()
    assert int(g.value(ds, VOID.triples)) == health["triples"]
    assert int(g.value(ds, VOID.entities)) >= 5
    assert int(g.value(ds, VOID.classes)) >= 3
    assert int(g.value(ds, VOID.properties)) >= 5
    assert (ds, VOID.sparqlEndpoint, URIRef(server.url + "/sparql")) in g
    assert (ds, VOID.dataDump, URIRef(server.url + "/dump.nq")) in g
    assert (ds, VOID.vocabulary, URIRef("https://w3id.org/dealgraph/ontology#")) in g
    assert len(list(g.objects(ds, VOID.subset))) == 3


def test_health_reports_build_and_store(client):
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["triples"] > 0 and body["build_id"] and body["built_at"]
    assert body["store_version"].startswith("pyoxigraph")


def test_dumps_hold_every_quad(client):
    health = client.get("/health").json()
    nq = client.get("/dump.nq")
    assert nq.headers["content-type"].startswith("application/n-quads")
    assert len([line for line in nq.text.splitlines() if line.strip()]) == health["triples"]
    trig = client.get("/dump.trig")
    assert trig.status_code == 200
    quads = list(pyoxigraph.parse(trig.content, format=pyoxigraph.RdfFormat.TRIG))
    assert len(quads) == health["triples"]
    assert all(isinstance(q.graph_name, pyoxigraph.NamedNode) for q in quads)
    ttl = client.get("/dump.ttl")
    assert len(Graph().parse(data=ttl.text, format="turtle")) > 0


def test_ontology_as_turtle_and_as_html(client):
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=ttl.text, format="turtle")) > 10
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    for text in (
        "Company",
        "Entreprise",
        "A business organisation.",
        "titulaire",
        "Qui détient le droit.",
    ):
        assert text in html.text
