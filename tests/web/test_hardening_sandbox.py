"""Issue 7, item 1 (defence in depth) and item 2: workers without network, one-sentence
SERVICE errors, and no query that crashes a worker."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from hardening_support import Recorder
from process_support import free_port, start_dealgraph, stop

from dealgraph.engine import QueryJob
from dealgraph.web.worker_pool import WorkerCrashedError, WorkerPool

SERVICE_FAILED = "query: a SERVICE call failed: the remote endpoint gave no usable answer"


async def _run_in_pool(job: QueryJob, network: bool) -> tuple[int, str]:
    pool = WorkerPool(1, timeout=20, online_size=1)
    await pool.start()
    try:
        assert pool.sandboxed, "this machine lets the workers leave the network"
        outcome = await pool.run(job, network=network)
        return outcome.status, outcome.message
    finally:
        await pool.close()


def test_a_service_the_guard_misses_finds_no_network_in_an_offline_worker(fixture_store):
    build = str(next((fixture_store / "builds").iterdir()))
    with Recorder() as recorder:
        job = QueryJob(build, f"SELECT * {{ SERVICE <{recorder.url}> {{ }} }}")
        offline = asyncio.run(_run_in_pool(job, network=False))
        assert offline == (502, SERVICE_FAILED)
        assert recorder.hits == []
        # The same job in an online worker reaches it: the recorder works.
        assert asyncio.run(_run_in_pool(job, network=True))[0] == 200
        assert len(recorder.hits) == 1


@pytest.fixture(scope="module")
def federating(fixture_root, fixture_store):
    """A server allowed to call a recorder that answers 500 with a secret body, and a port
    where nothing listens."""
    with Recorder(status=500, body=b"SECRET upstream body") as failing:
        closed = f"http://127.0.0.1:{free_port()}/sparql"
        srv = start_dealgraph(fixture_root, fixture_store, services=[failing.url, closed])
        yield srv, failing.url, closed
        stop(srv.proc)


def test_service_errors_are_one_sentence_without_body_status_or_port_state(federating):
    srv, failing, closed = federating
    answers = []
    for target in (failing, closed):
        query = f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
        r = httpx.get(srv.url + "/sparql", params={"query": query}, timeout=30)
        answers.append((r.status_code, r.text))
    # An open port that fails and a closed port answer alike: no port scanning, no echo.
    assert answers == [(502, SERVICE_FAILED)] * 2


DEEP = "SELECT * " + "{ " * 3000 + "}" * 3000


def test_a_deeply_nested_query_is_a_400_and_no_worker_dies(client):
    before = client.get("/health").json()["workers"]
    for _ in range(4):  # the four looping clients, in short
        r = client.post(
            "/sparql", content=DEEP, headers={"Content-Type": "application/sparql-query"}
        )
        assert (r.status_code, r.text) == (
            400,
            "query nested too deeply: 3000 levels of brackets, the limit is 200; flatten the "
            "groups\n",
        )
    assert client.get("/health").json()["workers"] == before


def test_nesting_at_the_limit_runs_on_the_workers_deep_stack(client):
    query = "ASK " + "{ " * 200 + "}" * 200
    r = client.get("/sparql", params={"query": query})
    assert (r.status_code, r.json()["boolean"]) == (200, True)


HUNGRY = (
    "SELECT ?c {{ VALUES ?a {{ {v} }} VALUES ?b {{ {v} }} "
    'BIND(CONCAT(STR(?a), STR(?b), "{pad}") AS ?c) }} ORDER BY DESC(?c) LIMIT 1'
).format(v=" ".join(str(i) for i in range(1500)), pad="y" * 300)


async def _starve(build: str) -> tuple[str, int]:
    pool = WorkerPool(1, timeout=60, online_size=0, memory_bytes=1024**3)
    await pool.start()
    try:
        with pytest.raises(WorkerCrashedError) as crashed:
            await pool.run(QueryJob(build, HUNGRY))  # sorts over 1 GB of rows
        for _ in range(100):  # the pool starts a fresh worker in its place
            if pool.idle():
                break
            await asyncio.sleep(0.1)
        after = await pool.run(QueryJob(build, "ASK {}"))
        return str(crashed.value), after.status
    finally:
        await pool.close()


def test_a_query_past_the_worker_memory_cap_stops_its_worker_not_the_machine(fixture_store):
    build = str(next((fixture_store / "builds").iterdir()))
    message, status_after = asyncio.run(_starve(build))
    assert message == "killed by SIGABRT; the query may need more memory than a worker may use"
    assert status_after == 200
