"""Issue 7, item 6: the 27 read-only cases of the W3C SPARQL 1.1 Protocol test suite
(rdf-tests, sparql/sparql11/protocol/manifest.ttl: the 20 query tests and the 7 bad update
tests; the 7 update tests that must succeed do not apply to a read-only endpoint).

The suite's data, three named graphs, is a TriG file (tests/fixtures/w3c-protocol/) put in the
data/ folder of a project built and served for real, so the named graphs a data file keeps
are part of what is tested.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from process_support import start_dealgraph, stop

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "fixtures" / "w3c-protocol" / "protocol-data.trig"
D = "http://kasei.us/2009/09/sparql/data/data"
RESULTS = {"application/sparql-results+xml", "application/sparql-results+json"}
TABLES = RESULTS | {"text/tab-separated-values", "text/csv"}
GRAPHS = {"application/rdf+xml", "application/rdf+json", "text/turtle", "application/n-triples"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}


def enc(text: str) -> str:
    return quote(text, safe="")


ASK_TWO = f"ASK {{ <{D}1.rdf> a ?type . <{D}2.rdf> a ?type . }}"
DEFAULTS = f"default-graph-uri={enc(D + '1.rdf')}&default-graph-uri={enc(D + '2.rdf')}"
NAMED = f"named-graph-uri={enc(D + '1.rdf')}&named-graph-uri={enc(D + '2.rdf')}"
UPDATE_CONFLICT = "using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople&update=" + enc(
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/> WITH <http://example/addresses> "
    "DELETE { ?person foaf:givenName 'Bill' } INSERT { ?person foaf:givenName 'William' } "
    "WHERE { ?person foaf:givenName 'Bill' }"
)

# name: (method, path with query string, headers, body, expected)
# expected: True/False (an ASK answer, as XML or JSON), a set of media types, or 4 (any 4xx)
CASES = {
    "query_post_form": ("POST", "/sparql", FORM, "query=ASK%20%7B%7D", True),
    "query_dataset_default_graphs_get": (
        "GET", f"/sparql?query={enc(ASK_TWO)}&{DEFAULTS}", {}, None, True,
    ),
    "query_dataset_default_graphs_post": (
        "POST", f"/sparql?{DEFAULTS}", DIRECT,
        f"ASK {{ <{D}1.rdf> ?p ?o . <{D}2.rdf> ?p ?o }}", True,
    ),
    "query_dataset_named_graphs_post": (
        "POST", f"/sparql?{NAMED}", DIRECT, "ASK { GRAPH ?g { ?s ?p ?o } }", True,
    ),
    "query_dataset_named_graphs_get": (
        "GET", f"/sparql?{NAMED}&query={enc('ASK { GRAPH ?g { ?s ?p ?o } }')}", {}, None, True,
    ),
    "query_dataset_full": (
        "POST",
        f"/sparql?default-graph-uri={enc(D + '3.rdf')}&{NAMED}",
        DIRECT, "SELECT ?g ?x ?s { ?x ?y ?o  GRAPH ?g { ?s ?p ?o } }", RESULTS,
    ),
    "query_multiple_dataset": (
        "POST", f"/sparql?default-graph-uri={enc(D + '2.rdf')}", DIRECT,
        f"ASK FROM <{D}1.rdf> {{ <{D}1.rdf> ?p ?o }}", False,
    ),
    "query_get": ("GET", "/sparql?query=ASK%20%7B%7D", {}, None, True),
    "query_content_type_select": ("POST", "/sparql", DIRECT, "SELECT (1 AS ?value) {}", TABLES),
    "query_content_type_ask": ("POST", "/sparql", DIRECT, "ASK {}", RESULTS),
    "query_content_type_describe": (
        "POST", "/sparql", DIRECT, "DESCRIBE <http://example.org/>", GRAPHS,
    ),
    "query_content_type_construct": (
        "POST", "/sparql", DIRECT, "CONSTRUCT { <s> <p> 1 } WHERE {}", GRAPHS,
    ),
    "query_post_direct": ("POST", "/sparql", DIRECT, "ASK {}", True),
    "bad_query_method": ("PUT", "/sparql?query=ASK%20%7B%7D", {}, None, 4),
    "bad_multiple_queries": (
        "GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", {}, None, 4,
    ),
    "bad_query_wrong_media_type": (
        "POST", "/sparql", {"Content-Type": "text/plain"}, "ASK {}", 4,
    ),
    "bad_query_missing_form_type": ("POST", "/sparql", {}, "query=ASK%20%7B%7D", 4),
    "bad_query_missing_direct_type": ("POST", "/sparql", {}, "ASK {}", 4),
    "bad_query_non_utf8": (
        "POST", "/sparql", {"Content-Type": "application/sparql-query; charset=UTF-16"},
        "ASK {}".encode("utf-16"), 4,
    ),
    "bad_query_syntax": ("GET", "/sparql?query=ASK%20%7B", {}, None, 4),
    "bad_update_get": ("GET", "/sparql?update=CLEAR%20ALL", {}, None, 4),
    "bad_multiple_updates": (
        "POST", "/sparql", FORM, "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", 4,
    ),
    "bad_update_wrong_media_type": (
        "POST", "/sparql", {"Content-Type": "text/plain"}, "CLEAR NAMED", 4,
    ),
    "bad_update_missing_form_type": ("POST", "/sparql", {}, "update=CLEAR%20NAMED", 4),
    "bad_update_non_utf8": (
        "POST", "/sparql", {"Content-Type": "application/sparql-update; charset=UTF-16"},
        "CLEAR NAMED".encode("utf-16"), 4,
    ),
    "bad_update_syntax": ("POST", "/sparql", FORM, "update=CLEAR%20XYZ", 4),
    "bad_update_dataset_conflict": ("POST", "/sparql", FORM, UPDATE_CONFLICT, 4),
}  # fmt: skip


@pytest.fixture(scope="module")
def protocol_server(tmp_path_factory):
    """A project whose data/ holds the suite's TriG file, built and served."""
    root = tmp_path_factory.mktemp("w3c-project")
    for folder in ("ontology", "shapes"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "data").mkdir()
    shutil.copy(DATA, root / "data" / DATA.name)
    store = root / ".dealgraph" / "store"
    build = [sys.executable, "-m", "dealgraph", "build", "--root", str(root), "--store", str(store)]
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    srv = start_dealgraph(root, store)
    yield srv
    stop(srv.proc)


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return response.json()["boolean"]
    ns = "{http://www.w3.org/2005/sparql-results#}"
    return ET.fromstring(response.content).find(f"{ns}boolean").text == "true"


def test_the_suite_has_its_27_read_only_cases():
    assert len(CASES) == 27


@pytest.mark.parametrize("name", list(CASES))
def test_w3c_protocol_case(protocol_server, name):
    method, path, headers, body, expected = CASES[name]
    r = httpx.request(method, protocol_server.url + path, headers=headers, content=body, timeout=30)
    if expected == 4:
        assert 400 <= r.status_code < 500, (r.status_code, r.text)
        return
    assert 200 <= r.status_code < 400, (r.status_code, r.text)
    media = r.headers["content-type"].split(";")[0]
    if isinstance(expected, set):
        assert media in expected
    else:
        assert media in RESULTS
        assert _boolean(r) is expected
