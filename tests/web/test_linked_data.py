"""Linked Data under /id/: HTML, Turtle and JSON-LD by Accept; 404s; hostile paths."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

MSFT = "https://w3id.org/dealgraph/id/company/microsoft"


def test_resource_page_shows_label_types_facts_evidence_and_links(client):
    r = client.get("/id/right/microsoft-openai-ip-2032", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "Microsoft&#39;s rights to OpenAI IP until 2032" in page
    assert 'href="/ontology#Right"' in page  # type, linked to the ontology docs
    assert 'href="/id/company/microsoft"' in page  # outgoing link, local path
    assert ">holder<" in page and ">Microsoft<" in page  # property and value labels
    assert "jusqu&#39;en 2032" in page  # the verbatim quote
    assert "le-monde-2025-10-28.md" in page  # the article identifier


def test_company_page_links_incoming_facts_and_wikidata(client):
    page = client.get("/id/company/microsoft", headers={"Accept": "text/html"}).text
    assert 'href="/id/right/microsoft-openai-ip-2032"' in page  # incoming
    assert "http://www.wikidata.org/entity/Q2283" in page
    assert "Wikidata Q2283" in page


def test_resource_as_turtle_and_jsonld(client):
    ttl = client.get("/id/company/microsoft", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=ttl.text, format="turtle")
    assert (URIRef(MSFT), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q2283")) in g
    jsonld = client.get("/id/company/microsoft", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    json.loads(jsonld.text)
    assert client.get("/id/company/microsoft?format=ntriples").status_code == 200


def test_unknown_resource_is_404(client):
    assert client.get("/id/company/nobody").status_code == 404
    assert client.get("/id/company/nobody", headers={"Accept": "text/html"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/id/../../etc/passwd",
        "/id/%2e%2e/%2e%2e/etc/passwd",
        "/id/company/..%2F..%2Fstore",
        "/id/a%3E%20%3Cb",
        "/id/%00",
        "/id/" + "x" * 5000,
        "/id/company/microsoft>{}",
    ],
)
def test_hostile_id_paths_get_a_4xx_never_a_5xx(client, path):
    r = client.get(path)
    assert 400 <= r.status_code < 500


def test_injected_html_in_data_is_escaped(client):
    page = client.get("/id/company/evil", headers={"Accept": "text/html"}).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
