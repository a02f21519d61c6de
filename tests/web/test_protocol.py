"""SPARQL 1.1 Protocol over real HTTP: methods, media types, datasets and error cases."""

from __future__ import annotations

import csv
import io
import json

import httpx

SELECT_ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
COMPANIES = (
    "PREFIX dg: <https://w3id.org/dealgraph/ontology#> "
    "SELECT ?c WHERE { ?c a dg:Company } ORDER BY ?c"
)
ASSERTED = "https://w3id.org/dealgraph/graph/asserted"
ONTOLOGY = "https://w3id.org/dealgraph/graph/ontology"


def rows(response: httpx.Response) -> list[dict]:
    return response.json()["results"]["bindings"]


def test_get_select_returns_sparql_json_by_default(client):
    r = client.get("/sparql", params={"query": COMPANIES})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert len(rows(r)) == 3


def test_post_form_and_post_direct_give_the_same_answer(client):
    form = client.post("/sparql", data={"query": COMPANIES})
    direct = client.post(
        "/sparql", content=COMPANIES, headers={"Content-Type": "application/sparql-query"}
    )
    assert form.status_code == direct.status_code == 200
    assert rows(form) == rows(direct)


def test_results_formats_by_accept_header(client):
    for accept, expected in [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
    ]:
        r = client.get("/sparql", params={"query": COMPANIES}, headers={"Accept": accept})
        assert r.status_code == 200, accept
        assert r.headers["content-type"].startswith(expected)
    r = client.get("/sparql", params={"query": COMPANIES}, headers={"Accept": "text/csv"})
    assert len(list(csv.reader(io.StringIO(r.text)))) == 4  # header + 3 companies


def test_accept_q_values_pick_the_preferred_format(client):
    r = client.get(
        "/sparql",
        params={"query": COMPANIES},
        headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"},
    )
    assert r.headers["content-type"].startswith("application/sparql-results+xml")


def test_format_parameter_overrides_accept(client):
    r = client.get(
        "/sparql", params={"query": COMPANIES, "format": "tsv"}, headers={"Accept": "text/csv"}
    )
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    r = client.get("/sparql", params={"query": COMPANIES, "format": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")


def test_construct_is_returned_as_rdf_in_each_format(client):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
    for accept in [
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    ]:
        r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code == 200, accept
        assert r.headers["content-type"].startswith(accept)
    r = client.get("/sparql", params={"query": query, "format": "jsonld"})
    assert isinstance(json.loads(r.text), list | dict)


def test_ask_answers_a_boolean(client):
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.json()["boolean"] is True


def test_unacceptable_accept_header_gets_406(client):
    r = client.get("/sparql", params={"query": COMPANIES}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = client.get("/sparql", params={"query": COMPANIES, "format": "turtle"})
    assert r.status_code == 406


def test_default_graph_uri_restricts_the_default_graph(client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = int(rows(client.get("/sparql", params={"query": query}))[0]["n"]["value"])
    asserted = int(
        rows(client.get("/sparql", params={"query": query, "default-graph-uri": ASSERTED}))[0]["n"][
            "value"
        ]
    )
    assert 0 < asserted < everything


def test_protocol_dataset_overrides_from_in_the_query(client):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}"
    from_only = rows(client.get("/sparql", params={"query": query}))[0]["n"]["value"]
    overridden = rows(
        client.get("/sparql", params={"query": query, "default-graph-uri": ASSERTED})
    )[0]["n"]["value"]
    asserted = rows(
        client.get(
            "/sparql",
            params={
                "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                "default-graph-uri": ASSERTED,
            },
        )
    )[0]["n"]["value"]
    assert overridden == asserted != from_only


def test_from_clause_is_honoured_instead_of_the_union(client):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ASSERTED}> WHERE {{ ?s ?p ?o }}"
    n = rows(client.get("/sparql", params={"query": query}))[0]["n"]["value"]
    everything = rows(
        client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    )[0]["n"]["value"]
    assert int(n) < int(everything)


def test_named_graph_uri_limits_graph_patterns(client):
    r = client.get(
        "/sparql",
        params=[
            ("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
            ("named-graph-uri", ASSERTED),
            ("named-graph-uri", ONTOLOGY),
        ],
    )
    assert sorted(b["g"]["value"] for b in rows(r)) == [ASSERTED, ONTOLOGY]


def test_two_query_parameters_are_refused(client):
    r = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert r.status_code == 400
    assert "more than one" in r.text


def test_syntax_error_names_line_and_column(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE {\n ?s ?p \n}"})
    assert r.status_code == 400
    assert "syntax error" in r.text.lower() and "3:" in r.text


def test_post_without_content_type_gets_415(client):
    r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": ""})
    assert r.status_code == 415


def test_post_with_wrong_content_type_gets_415(client):
    r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert "application/sparql-query" in r.text


def test_body_that_is_not_utf8_gets_400(client):
    r = client.post(
        "/sparql",
        content=b"ASK { ?s ?p '\xff\xfe' }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 400
    assert "UTF-8" in r.text


def test_percent_encoded_bytes_that_are_not_utf8_get_400(client):
    r = client.get("/sparql?query=ASK%20%7B%7D%FF")
    assert r.status_code == 400


def test_unsupported_method_gets_405_with_allow(client):
    r = client.put("/sparql", content=b"ASK {}")
    assert r.status_code == 405
    assert "POST" in r.headers["allow"]


def test_post_without_query_is_a_400(client):
    r = client.post("/sparql", data={"nothing": "here"})
    assert r.status_code == 400


def test_huge_query_gets_413(client):
    huge = "ASK {} #" + "x" * 1_100_000
    r = client.post("/sparql", content=huge, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    r = client.post("/sparql", data={"query": huge})
    assert r.status_code == 413


def test_unknown_parameters_are_ignored(client):
    r = client.get("/sparql", params={"query": "ASK {}", "foo": "bar", "timeout": "x"})
    assert r.status_code == 200


def test_unknown_format_parameter_leaves_the_choice_to_accept(client):
    r = client.get(
        "/sparql",
        params={"query": "ASK {}", "format": "excel"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+xml")


def test_invalid_graph_iri_is_a_400(client):
    r = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert r.status_code == 400
