"""The endpoint is read-only: updates in any form are refused and change nothing."""

from __future__ import annotations

import pytest

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
INSERT = "INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }"


def count(client) -> str:
    return client.get("/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"][
        "value"
    ]


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post("/sparql", data={"update": INSERT}),
        lambda c: c.post(
            "/sparql", content=INSERT, headers={"Content-Type": "application/sparql-update"}
        ),
        lambda c: c.get("/sparql", params={"update": INSERT}),
        lambda c: c.get("/sparql", params={"query": INSERT}),
        lambda c: c.post("/sparql", data={"query": "PREFIX ex: <http://ex/> CLEAR ALL"}),
        lambda c: c.post(
            "/sparql",
            content="DELETE WHERE { ?s ?p ?o }",
            headers={"Content-Type": "application/sparql-query"},
        ),
        lambda c: c.post("/sparql", data={"query": "LOAD <http://example.org/x.ttl>"}),
        lambda c: c.post("/sparql", data={"query": "DROP ALL"}),
    ],
    ids=[
        "update-form",
        "update-body",
        "update-get",
        "insert-as-query",
        "clear",
        "delete-where",
        "load",
        "drop",
    ],
)
def test_update_is_refused_and_store_unchanged(client, send):
    before = count(client)
    r = send(client)
    assert r.status_code in (400, 403), r.text
    assert "read-only" in r.text or "not accepted" in r.text
    assert count(client) == before
