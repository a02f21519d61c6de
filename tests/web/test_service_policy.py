"""SERVICE allowlist: unit cases for the lexer, and refusals over HTTP before any call."""

from __future__ import annotations

import pytest

from dealgraph.sparql_text import analyse
from dealgraph.web.service_policy import ServicePolicy, ServiceRefusedError

WDQS = "https://query.wikidata.org/sparql"
POLICY = ServicePolicy([WDQS])


def allowed(query: str) -> bool:
    try:
        POLICY.check(analyse(query))
        return True
    except ServiceRefusedError:
        return False


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * WHERE {{ SERVICE <{WDQS}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{WDQS}> {{ ?s ?p ?o }} }}",
        "PREFIX wdqs: <https://query.wikidata.org/> SELECT * { SERVICE wdqs:sparql { } }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/>" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil.example/> { }",
        "SELECT * WHERE { ?s ?p '''multi\nSERVICE <http://evil.example/> {}''' }",
        "PREFIX service: <http://ex/> SELECT ?service WHERE { ?service service:p ?o }",
        "SELECT * WHERE { <http://evil.example/SERVICE> ?p ?o }",
    ],
)
def test_allowed_or_harmless_queries_pass_the_policy(query):
    assert allowed(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://evil.example/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { { OPTIONAL { { SERVICE <http://evil.example/> { } } } } }",
        "SELECT * WHERE { ?s ?p ?o . { SELECT * { SERVICE <http://evil.example/> {} } } }",
        "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT $x { ?s ?p ?o } }",
        "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:sparql { } }",
        "SELECT * WHERE { SERVICE undeclared:sparql { } }",
        "BASE <http://evil.example/> SELECT * WHERE { SERVICE <sparql> { } }",
        "SELECT * WHERE { ?s ?p ?o.SERVICE <http://evil.example/> { } }",
        'SELECT * WHERE { ?s ?p "x".SERVICE<http://evil.example/>{} }',
        "SELECT * WHERE { SERVICE # comment\n <http://evil.example/> { } }",
        r"SELECT * WHERE { SERVICE <http://evil.example/\u0073parql> { } }",
        f"SELECT * WHERE {{ SERVICE <{WDQS}> {{ }} SERVICE <http://evil.example/> {{ }} }}",
        f"SELECT * WHERE {{ SERVICE <{WDQS}/> {{ }} }}",
    ],
)
def test_unlisted_or_unknowable_service_targets_are_refused(query):
    assert not allowed(query)


def test_service_refused_over_http_with_403_before_any_call(client):
    r = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"},
    )
    assert r.status_code == 403
    assert "SERVICE" in r.text and "refused" in r.text


def test_variable_service_target_refused_over_http(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }"})
    assert r.status_code == 403
