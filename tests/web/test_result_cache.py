"""Repeated queries on the same build are answered from the cache; volatile ones never."""

from __future__ import annotations

from dealgraph.engine import Outcome
from dealgraph.web.result_cache import ENTRY_OVERHEAD, ResultCache

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_repeated_query_is_served_from_the_cache_with_the_same_answer(client):
    query = COUNT + " # cache test"
    first = client.get("/sparql", params={"query": query})
    second = client.get("/sparql", params={"query": query})
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    assert first.content == second.content


def test_cache_tells_formats_apart(client):
    query = COUNT + " # formats"
    as_json = client.get("/sparql", params={"query": query})
    as_csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert as_csv.headers["x-cache"] == "MISS"
    assert as_csv.text.startswith("n\r\n") and as_json.json()["results"]["bindings"]


def test_query_calling_now_is_never_cached(client):
    query = "SELECT (NOW() AS ?t) WHERE {}"
    client.get("/sparql", params={"query": query})
    again = client.get("/sparql", params={"query": query})
    assert again.headers["x-cache"] == "MISS"


def test_errors_are_not_cached(client):
    bad = "SELECT ?x WHERE { ?x ?y } # errors are not cached"
    first = client.get("/sparql", params={"query": bad})
    second = client.get("/sparql", params={"query": bad})
    assert (first.status_code, second.status_code) == (400, 400)
    # The second one was evaluated again (a cached answer says HIT).
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "MISS")


def test_cache_evicts_least_recently_used_beyond_its_byte_bound():
    cache = ResultCache(max_bytes=2 * ENTRY_OVERHEAD + 10, max_entry_bytes=8)
    cache.put("a", Outcome(200, "text/plain", b"aaaa"))
    cache.put("b", Outcome(200, "text/plain", b"bbbb"))
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("c", Outcome(200, "text/plain", b"cccc"))
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    cache.put("big", Outcome(200, "text/plain", b"x" * 9))
    cache.put("error", Outcome(400, "text/plain", b"e"))
    assert cache.get("big") is None and cache.get("error") is None


def test_cache_counts_query_texts_so_many_small_entries_stay_bounded():
    cache = ResultCache(max_bytes=100 * (ENTRY_OVERHEAD + 1000), max_entry_bytes=1024)
    for n in range(1000):
        cache.put(("q" * 990 + str(n),), Outcome(200, "application/json", b"{}"))
    assert len(cache) <= 100
