"""Helpers for the web tests: free ports, a published fixture store, real server processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from rdflib import Graph

from dealgraph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from dealgraph.publish import publish

HERE = Path(__file__).parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


def publish_fixture(store_dir: Path) -> None:
    """Publish the small Turtle fixture as ontology / asserted / inferred named graphs."""
    ontology = Graph().parse(HERE / "fixture_ontology.ttl")
    data = Graph().parse(HERE / "fixture_data.ttl")
    inferred = Graph().parse(
        data="<https://w3id.org/dealgraph/id/company/microsoft> a "
        "<http://www.w3.org/2002/07/owl#Thing> .",
        format="turtle",
    )
    publish(
        {str(ONTOLOGY_GRAPH): ontology, str(ASSERTED_GRAPH): data, str(INFERRED_GRAPH): inferred},
        store_dir,
        source_digest="test",
    )


@dataclass
class Server:
    """A running endpoint: its base URL, process and store folder."""

    url: str
    proc: subprocess.Popen
    store: Path


def start_server(
    root: Path, store: Path, *, timeout: float = 30, workers: int = 2, services: list[str] = ()
) -> Server:
    port = free_port()
    cmd = [
        PYTHON,
        "-m",
        "dealgraph.web.server",
        "--root",
        str(root),
        "--store",
        str(store),
        "--port",
        str(port),
        "--timeout",
        str(timeout),
        "--workers",
        str(workers),
    ]
    for service in services:
        cmd += ["--allow-service", service]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/health", proc)
    except Exception:
        proc.kill()
        raise
    return Server(url, proc, store)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
