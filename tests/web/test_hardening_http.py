"""Issue 7, items 3, 4 and 6: no lock-out, bounded memory, protocol manners."""

from __future__ import annotations

import os
import socket
import threading
import time

import httpx
import pytest
from hardening_support import client_from
from process_support import start_dealgraph, stop

HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . "
    "?p ?q ?r }"
)


def rows(count: int) -> str:
    """A query whose JSON answer has *count* rows of about 150 bytes each."""
    values = " ".join(str(i) for i in range(count))
    return f'SELECT ?a ?c {{ VALUES ?a {{ {values} }} BIND(CONCAT(STR(?a), "{"x" * 100}") AS ?c) }}'


@pytest.fixture(scope="module")
def spool(tmp_path_factory):
    return tmp_path_factory.mktemp("spool")


@pytest.fixture(scope="module")
def strict(fixture_root, fixture_store, spool):
    """A server with short timeouts and small limits, its temporary files in *spool*."""
    env = {
        "DEALGRAPH_HEADER_TIMEOUT_SECONDS": "1",
        "DEALGRAPH_BODY_TIMEOUT_SECONDS": "1",
        "DEALGRAPH_CLIENT_CONNECTIONS": "8",
        "DEALGRAPH_LIMIT_CONCURRENCY": "20",
        "DEALGRAPH_MAX_ANSWER_BYTES": "2000000",
        "DEALGRAPH_SPILL_BYTES": "20000",
        "TMPDIR": str(spool),
    }
    srv = start_dealgraph(fixture_root, fixture_store, timeout=3, workers=2, env=env)
    yield srv
    stop(srv.proc)


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_connections_that_never_finish_their_headers_lock_nobody_out(strict):
    idle = []
    for _ in range(30):  # more than limit_concurrency (20): this locked everyone out
        s = socket.create_connection(("127.0.0.1", _port(strict.url)))
        s.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")
        idle.append(s)
    try:
        with client_from("127.0.0.2", strict.url) as other:
            r = other.get("/sparql", params={"query": "ASK {}"})
        assert r.status_code == 200
        time.sleep(1.5)  # past the header timeout
        assert all(_closed_by_server(s) for s in idle)
    finally:
        for s in idle:
            s.close()
    assert httpx.get(strict.url + "/sparql", params={"query": "ASK {}"}).status_code == 200


def _closed_by_server(s: socket.socket) -> bool:
    s.settimeout(2)
    try:
        return s.recv(100) == b""  # an orderly close
    except ConnectionResetError:  # or a reset: closed either way
        return True


def test_a_body_that_never_arrives_is_a_408(strict):
    with socket.create_connection(("127.0.0.1", _port(strict.url))) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK {"
        )
        s.settimeout(5)
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 408 Request Timeout"
    assert body == b"request body too slow: it must arrive within 1 s\n"


def _heavy_from(address: str, url: str, results: list) -> threading.Thread:
    def run() -> None:
        with client_from(address, url) as c:
            results.append(c.get("/sparql", params={"query": HEAVY}).status_code)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_one_client_cannot_take_every_worker(strict):
    results: list = []
    threads = [_heavy_from("127.0.0.1", strict.url, results) for _ in range(4)]
    time.sleep(0.5)
    with client_from("127.0.0.2", strict.url) as other:
        started = time.monotonic()
        r = other.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        waited = time.monotonic() - started
    assert (r.status_code, r.json()["boolean"]) == (200, True)
    assert waited < 1.5, f"the light query waited {waited:.1f} s behind another client"
    for t in threads:
        t.join()
    assert sorted(results) == [503] * 4  # heavy ones time out (3 s) or wait for their share


def test_health_tells_busy_from_down(strict):
    results: list = []
    threads = [_heavy_from(address, strict.url, results) for address in ("127.0.0.1", "127.0.0.3")]
    time.sleep(0.7)  # both workers are taken now, one by each client
    health = httpx.get(strict.url + "/health")
    ready = httpx.get(strict.url + "/health/ready")
    live = httpx.get(strict.url + "/health/live")
    for t in threads:
        t.join()
    assert (health.status_code, health.json()["status"]) == (200, "busy")
    assert (ready.status_code, ready.json()) == (503, {"status": "busy"})
    assert (live.status_code, live.json()) == (200, {"status": "up"})
    deadline = time.monotonic() + 20  # the killed workers are being replaced
    while httpx.get(strict.url + "/health/ready").status_code != 200:
        assert time.monotonic() < deadline, "the server never became ready again"
        time.sleep(0.2)


def test_an_answer_over_the_limit_names_the_limit_and_suggests_a_limit(strict):
    r = httpx.post(strict.url + "/sparql", data={"query": rows(20000)}, timeout=30)
    assert (r.status_code, r.text) == (
        422,
        "query: the answer is larger than the 2 MB limit (max_answer_bytes): add a LIMIT or "
        "select fewer variables",
    )


def test_a_large_answer_is_streamed_from_a_file_removed_once_sent(strict, spool):
    r = httpx.post(
        strict.url + "/sparql",
        data={"query": rows(3000)},
        headers={"Accept-Encoding": "identity"},  # gzip would stream it without a length
        timeout=30,
    )
    assert r.status_code == 200
    assert int(r.headers["content-length"]) == len(r.content) > 20000  # over spill_bytes
    assert len(r.json()["results"]["bindings"]) == 3000
    assert [p for p in os.listdir(spool) if p.startswith("dealgraph-answer-")] == []


def test_a_long_query_is_checked_off_the_event_loop(strict):
    # About 2 s of lexing: the event loop used to stop for all of it.
    query = "SELECT * { ?s ?p " + ",?o" * 330000 + " }"
    done: list = []

    def send() -> None:
        r = httpx.post(
            strict.url + "/sparql",
            content=query,
            headers={"Content-Type": "application/sparql-query"},
            timeout=30,
        )
        done.append(r.status_code)

    thread = threading.Thread(target=send)
    thread.start()
    worst = 0.0
    with client_from("127.0.0.2", strict.url) as other:
        while thread.is_alive():
            started = time.monotonic()
            other.options("/sparql")
            worst = max(worst, time.monotonic() - started)
            time.sleep(0.01)
    thread.join()
    assert done == [400]  # ",?o" alone is not SPARQL: the engine says so, after the guard
    assert worst < 0.5, f"a request waited {worst:.2f} s for the event loop"


def test_relative_iris_resolve_against_the_endpoint_url(client, server):
    r = client.get("/sparql", params={"query": "SELECT ?x { BIND(<s> AS ?x) }"})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"][0]["x"]["value"] == server.url + "/s"


def test_a_conditional_get_of_a_query_that_does_not_parse_is_never_a_304(client):
    r = client.get("/sparql", params={"query": "ASK {"}, headers={"If-None-Match": "*"})
    assert r.status_code == 400
    assert r.text.startswith("query:1:6: SPARQL syntax error:")
