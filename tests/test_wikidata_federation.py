"""Federated queries of queries/ run through the real dealgraph endpoint, with their Wikidata
SERVICE pointed at a local oxigraph server holding the Wikidata-shaped fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from process_support import Server, start_dealgraph, stop
from wikidata_support import ROOT

from dealgraph.queries import load_queries

WIKIDATA_SERVICE = "<https://query.wikidata.org/sparql>"
ID = "https://w3id.org/dealgraph/id/"
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def endpoint(shipped_store_dir: Path, wikidata: str) -> Iterator[Server]:
    """The shipped sources built through the gate, served with the fixture server allowed."""
    server = start_dealgraph(ROOT, shipped_store_dir, services=[wikidata])
    yield server
    stop(server.proc)


def federated(name: str, wikidata: str) -> str:
    """queries/NAME.rq with its Wikidata SERVICE pointed at the fixture server."""
    query = next(q for q in load_queries(ROOT / "queries") if q.name == name)
    assert WIKIDATA_SERVICE in query.text, f"{name} does not federate with Wikidata"
    return query.text.replace(WIKIDATA_SERVICE, f"<{wikidata}>")


def test_headquarters_of_parties_to_rights_expiring_by_2030(
    endpoint: Server, wikidata: str
) -> None:
    query = federated("headquarters-of-parties-to-rights-expiring-by-2030", wikidata)
    response = httpx.post(
        endpoint.url + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    rows = [
        (
            b["party"]["value"].removeprefix(ID),
            b["item"]["value"].removeprefix(WD),
            b["headquartersLabel"]["value"],
        )
        for b in response.json()["results"]["bindings"]
    ]
    assert rows == [
        ("company/microsoft", "Q2283", "Redmond"),
        ("company/openai", "Q21708200", "San Francisco"),
    ]


def test_the_federated_query_is_refused_where_wikidata_is_not_allowed(
    endpoint: Server, wikidata: str
) -> None:
    query = next(
        q for q in load_queries(ROOT / "queries") if WIKIDATA_SERVICE in q.text
    ).text  # unchanged: Wikidata itself, not on this test server's allowlist
    response = httpx.post(endpoint.url + "/sparql", data={"query": query}, timeout=30)
    assert response.status_code == 403
    assert response.text == (
        "SERVICE <https://query.wikidata.org/sparql> refused: "
        f"this endpoint only federates with {wikidata}\n"
    )


def test_resource_pages_show_the_wikidata_link_of_the_real_data(endpoint: Server) -> None:
    response = httpx.get(
        endpoint.url + "/id/company/nvidia", headers={"Accept": "text/html"}, timeout=30
    )
    assert response.status_code == 200, response.text
    assert f'href="{WD}Q182477"' in response.text
    assert "Wikidata Q182477" in response.text
