"""Federation with an allowlisted remote store, and timeouts that stop runaway queries."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import httpx
import pytest
from process_support import oxigraph_server, start_dealgraph, stop

SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . "
    "?p ?q ?r }"
)


@pytest.fixture(scope="module")
def remote_oxigraph(tmp_path_factory):
    """A real `oxigraph serve-read-only` holding one remote fact."""
    folder = tmp_path_factory.mktemp("remote")
    data = folder / "remote.nt"
    data.write_text(
        "<https://w3id.org/dealgraph/id/company/microsoft> "
        '<http://example.org/remote#ceo> "Satya Nadella" .\n',
        encoding="utf-8",
    )
    with oxigraph_server(folder, data) as url:
        yield url


@pytest.fixture(scope="module")
def federating_server(fixture_root, fixture_store, remote_oxigraph):
    srv = start_dealgraph(fixture_root, fixture_store, services=[remote_oxigraph])
    yield srv
    stop(srv.proc)


def test_allowlisted_service_federates_end_to_end(federating_server, remote_oxigraph):
    query = f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label ?ceo WHERE {{
          ?company rdfs:label ?label FILTER(LANG(?label) = "en")
          SERVICE <{remote_oxigraph}> {{ ?company <http://example.org/remote#ceo> ?ceo }}
        }}"""
    r = httpx.get(federating_server.url + "/sparql", params={"query": query}, timeout=30)
    assert r.status_code == 200, r.text
    bindings = r.json()["results"]["bindings"]
    assert [(b["label"]["value"], b["ceo"]["value"]) for b in bindings] == [
        ("Microsoft", "Satya Nadella")
    ]


@pytest.fixture(scope="module")
def impatient_server(fixture_root, fixture_store):
    srv = start_dealgraph(fixture_root, fixture_store, timeout=1, workers=2)
    yield srv
    stop(srv.proc)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); count it as dead only if reaped, so read its state.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_slow_query_times_out_with_503_while_others_are_served(impatient_server):
    url = impatient_server.url
    before = set(httpx.get(url + "/health").json()["workers"])
    outcome: dict = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["response"] = httpx.get(url + "/sparql", params={"query": SLOW}, timeout=30)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    # Another client (address): one address may not take every worker (client_share).
    other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10)
    with other:
        quick = other.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    assert thread.is_alive(), "the slow query should still be running"
    thread.join(30)
    response = outcome["response"]
    assert response.status_code == 503
    assert "timeout" in response.text and "stopped" in response.text
    assert outcome["seconds"] < 5
    # The worker that ran it was killed: its process is gone and a fresh one replaced it.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        after = set(httpx.get(url + "/health").json()["workers"])
        if len(after) == len(before) and after != before:
            break
        time.sleep(0.2)
    killed = before - after
    assert len(killed) == 1
    assert not any(pid_alive(pid) for pid in killed)
    assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 200
