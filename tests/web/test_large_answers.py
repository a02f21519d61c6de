"""Answers and queries larger than a pipe buffer cross the worker pool whole."""

from __future__ import annotations

import json

# Every triple of triples: thousands of rows, megabytes of JSON from a small store.
CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 40000"


def test_large_answer_arrives_whole(client):
    r = client.get("/sparql", params={"query": CROSS_JOIN})
    assert r.status_code == 200, r.text
    assert len(r.content) > 1_000_000
    assert len(json.loads(r.content)["results"]["bindings"]) == 40000


def test_large_query_reaches_the_worker_whole(client):
    # A query text far beyond the 64 KiB pipe buffer (but under the 1 MB request limit).
    padding = "# " + "x" * 200 + "\n"
    query = padding * 2000 + "ASK { ?s ?p ?o }"
    assert 300_000 < len(query) < 1_000_000
    r = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is True
