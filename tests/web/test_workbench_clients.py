"""Every client format, with the real client libraries against a real server on the shipped
data: SPARQLWrapper (N3, RDFXML, JSON-LD, CSV, TSV), rdflib, pandas and curl."""

from __future__ import annotations

import io
import subprocess
from urllib.parse import urlencode

import pandas as pd
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSONLD, N3, RDFXML, TSV, SPARQLWrapper

ROFR_CLASS = URIRef("https://w3id.org/dealgraph/ontology#RightOfFirstRefusal")
ROFR = URIRef("https://w3id.org/dealgraph/id/right/microsoft-compute-rofr")
CONSTRUCT = "CONSTRUCT { ?r a dg:RightOfFirstRefusal } WHERE { ?r a dg:RightOfFirstRefusal }"
SELECT = "SELECT ?r WHERE { ?r a dg:RightOfFirstRefusal }"


def wrapper(server, query: str, fmt: str, method: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_n3_gets_n3(real_server, method):
    result = wrapper(real_server, CONSTRUCT, N3, method).query()
    assert result.response.headers["content-type"].startswith("text/n3")
    graph = Graph().parse(data=result.convert(), format="n3")
    assert (ROFR, RDF.type, ROFR_CLASS) in graph


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [RDFXML, JSONLD])
def test_sparqlwrapper_rdfxml_and_jsonld_give_graphs(real_server, fmt, method):
    graph = wrapper(real_server, CONSTRUCT, fmt, method).queryAndConvert()
    assert (ROFR, RDF.type, ROFR_CLASS) in graph


@pytest.mark.parametrize(("fmt", "sep"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_csv_and_tsv_name_their_downloads(real_server, fmt, sep):
    result = wrapper(real_server, SELECT, fmt, "GET").query()
    ext = "csv" if fmt == CSV else "tsv"
    assert result.response.headers["content-disposition"] == (
        f'inline; filename="dealgraph-select.{ext}"'
    )
    table = pd.read_csv(io.BytesIO(result.convert()), sep=sep)
    assert str(ROFR) in {v.strip("<>") for v in table.iloc[:, 0]}


def test_rdflib_sparqlstore_selects_and_constructs(real_server):
    graph = Graph(store=SPARQLStore(real_server.url + "/sparql"))
    assert [row[0] for row in graph.query(SELECT)] == [ROFR]
    assert (ROFR, RDF.type, ROFR_CLASS) in graph.query(CONSTRUCT).graph


def test_rdflib_reads_entity_pages_and_void_by_negotiation(real_server):
    oracle = Graph().parse(real_server.url + "/id/company/oracle")
    assert len(oracle) > 3
    void = Graph().parse(real_server.url + "/void")
    assert (None, RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) in void


def test_pandas_reads_csv_answers(real_server):
    url = real_server.url + "/sparql?" + urlencode({"query": SELECT, "format": "csv"})
    frame = pd.read_csv(url)
    assert list(frame.columns) == ["r"]
    assert frame["r"].tolist() == [str(ROFR)]


def test_curl_with_accept_and_with_format(real_server):
    base = ["curl", "-sS", "--fail", "-G", real_server.url + "/sparql", "--data-urlencode"]
    by_accept = subprocess.run(
        [*base, f"query={SELECT}", "-H", "Accept: text/csv"], capture_output=True, text=True
    )
    assert by_accept.stdout.splitlines() == ["r", str(ROFR)]
    by_format = subprocess.run(
        [*base, f"query={CONSTRUCT}", "--data-urlencode", "format=rdf+xml"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert (ROFR, RDF.type, ROFR_CLASS) in Graph().parse(data=by_format.stdout, format="xml")


def test_unknown_format_falls_back_to_accept(http):
    r = http.get(
        "/sparql",
        params={"query": SELECT, "format": "no-such-format"},
        headers={"Accept": "text/tab-separated-values"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    void = http.get("/void", params={"format": "nonsense"}, headers={"Accept": "text/n3"})
    assert void.headers["content-type"].startswith("text/n3")


@pytest.mark.parametrize(
    ("name", "media"),
    [("n3", "text/n3"), ("rdf+xml", "application/rdf+xml"), ("json-ld", "application/ld+json"),
     ("text/rdf+n3", "text/n3"), ("application/x-turtle", "text/turtle"), ("ttl", "text/turtle"),
     ("nt", "application/n-triples"), ("xml", "application/rdf+xml")],
)  # fmt: skip
def test_every_graph_format_name_clients_send(http, name, media):
    r = http.get("/sparql", params={"query": CONSTRUCT, "format": name})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
