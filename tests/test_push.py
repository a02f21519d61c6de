"""`dealgraph push`: a published build into a Graph Store Protocol store (a real Oxigraph
server, and Virtuoso where its Debian package is installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from process_support import OXIGRAPH, free_port, stop, wait_until_up

from dealgraph.push import PushError, push
from dealgraph.store import current_info

ASSERTED = "https://w3id.org/dealgraph/graph/asserted"
STAGING_PREFIX = "urn:dealgraph:push:"


@contextmanager
def writable_oxigraph(folder: Path) -> Iterator[str]:
    """A real ``oxigraph serve`` (read-write) on an empty store; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", proc)
        yield base
    finally:
        stop(proc)


def graph_counts(base: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    answer = httpx.post(
        f"{base}/query", data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )  # fmt: skip
    answer.raise_for_status()
    rows = answer.json()["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    with writable_oxigraph(tmp_path / "oxigraph") as base:
        yield base


def test_push_writes_every_graph_of_the_build_in_one_update(
    shipped_store_dir: Path, oxigraph: str
) -> None:
    info = current_info(shipped_store_dir)
    assert info is not None
    result = push(shipped_store_dir, f"{oxigraph}/store", update_url=f"{oxigraph}/update")
    assert result.graphs == info.triples
    assert graph_counts(oxigraph) == info.triples  # and no staging graph is left


def test_push_replaces_the_old_graphs_and_keeps_others(
    shipped_store_dir: Path, oxigraph: str
) -> None:
    old = "<urn:old> <urn:p> <urn:o> .\n"
    for graph in (ASSERTED, "urn:someone-else"):
        httpx.put(f"{oxigraph}/store", params={"graph": graph}, content=old,
                  headers={"Content-Type": "application/n-triples"}).raise_for_status()  # fmt: skip
    push(shipped_store_dir, f"{oxigraph}/store")  # no update endpoint: one PUT per graph
    counts = graph_counts(oxigraph)
    info = current_info(shipped_store_dir)
    assert info is not None
    assert counts == {**info.triples, "urn:someone-else": 1}
    assert not any(g.startswith(STAGING_PREFIX) for g in counts)


def test_push_to_a_read_only_store_changes_nothing(shipped_store_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "ro").mkdir()
    subprocess.run([OXIGRAPH, "load", "--location", str(tmp_path / "ro"), "--file", "/dev/null",
                    "--format", "nt"], check=True, capture_output=True)  # fmt: skip
    proc = subprocess.Popen(
        [OXIGRAPH, "serve-read-only", "--location", str(tmp_path / "ro"),
         "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", proc)
        info = current_info(shipped_store_dir)
        assert info is not None
        with pytest.raises(PushError) as refused:
            push(shipped_store_dir, f"{base}/store")
        staging = f"urn:dealgraph:push:{info.build_id}:0"
        assert str(refused.value) == (
            f"PUT {base}/store?graph={_quoted(staging)} answered 403: The server is read-only: "
            "nothing was replaced"
        )
        assert graph_counts(base) == {}
    finally:
        stop(proc)


def _quoted(iri: str) -> str:
    return str(httpx.URL("http://x/", params={"graph": iri})).split("graph=", 1)[1]


def test_push_command_reports_each_graph(shipped_store_dir: Path, oxigraph: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dealgraph", "push", f"{oxigraph}/store",
         "--update", f"{oxigraph}/update", "--store", str(shipped_store_dir)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    info = current_info(shipped_store_dir)
    assert info is not None
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"pushed build {info.build_id} to {oxigraph}/store"
    assert sorted(lines[1:]) == sorted(f"  {g}  {n} triples" for g, n in info.triples.items())


VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
[HTTPServer]
ServerPort = {http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
"""


@pytest.mark.skipif(VIRTUOSO is None, reason="Debian's virtuoso-opensource is not installed")
def test_push_into_virtuoso(shipped_store_dir: Path, tmp_path: Path) -> None:
    ini = tmp_path / "virtuoso.ini"
    http = free_port()
    ini.write_text(VIRTUOSO_INI.format(d=tmp_path, sql=free_port(), http=http), encoding="utf-8")
    proc = subprocess.Popen([VIRTUOSO, "-f", "-c", str(ini)], cwd=tmp_path,  # type: ignore[list-item]
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{http}"
    try:
        wait_until_up(f"{base}/sparql?query=ASK%7B%7D", proc, seconds=120)
        info = current_info(shipped_store_dir)
        assert info is not None
        result = push(
            shipped_store_dir,
            f"{base}/sparql-graph-crud-auth",
            update_url=f"{base}/sparql-auth",
            auth=httpx.DigestAuth("dba", "dba"),  # a fresh database's administrator
        )
        assert result.graphs == info.triples
        for graph, count in info.triples.items():
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            answer = httpx.get(f"{base}/sparql", params={"query": query},
                               headers={"Accept": "application/sparql-results+json"})  # fmt: skip
            assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == count, graph
    finally:
        stop(proc)
