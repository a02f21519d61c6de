"""Fixtures for the web tests: a published store and a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from process_support import Server, start_dealgraph, stop
from web_support import REPO_ROOT, publish_fixture


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory) -> Path:
    """A project root whose queries/ holds two example queries."""
    root = tmp_path_factory.mktemp("root")
    (root / "queries").mkdir()
    (root / "queries" / "01-companies.rq").write_text(
        "# title: Which companies are in the graph?\n"
        "# description: Every dg:Company with its English label.\n"
        "PREFIX dg: <https://w3id.org/dealgraph/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?company ?label WHERE { ?company a dg:Company ; rdfs:label ?label "
        'FILTER(LANG(?label) = "en") } ORDER BY ?label\n',
        encoding="utf-8",
    )
    (root / "queries" / "02-rights.rq").write_text(
        "# title: Which rights does Microsoft hold?\n"
        "# description: Rights whose holder is Microsoft, with <b>evidence</b>.\n"
        "PREFIX dg: <https://w3id.org/dealgraph/ontology#>\n"
        "SELECT ?right WHERE {\n  ?right dg:holder <https://w3id.org/dealgraph/id/company/microsoft>\n}\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("store")
    publish_fixture(store)
    return store


@pytest.fixture(scope="session")
def server(fixture_root: Path, fixture_store: Path) -> Iterator[Server]:
    """The endpoint over the fixture store, started once per session."""
    srv = start_dealgraph(fixture_root, fixture_store, workers=2)
    yield srv
    stop(srv.proc)


@pytest.fixture()
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def real_server(shipped_store_dir: Path) -> Iterator[Server]:
    """The shipped sources built through the real gate, served by a real server process."""
    srv = start_dealgraph(REPO_ROOT, shipped_store_dir, workers=2)
    yield srv
    stop(srv.proc)


@pytest.fixture()
def http(real_server: Server) -> Iterator[httpx.Client]:
    """An HTTP client on the real-data server."""
    with httpx.Client(base_url=real_server.url, timeout=30) as c:
        yield c
