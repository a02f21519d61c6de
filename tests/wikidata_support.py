"""Real servers for the Wikidata tests: an `oxigraph serve-read-only` process loaded with the
Wikidata-shaped fixture, a scripted HTTP server (429, slow answers) and the dealgraph endpoint.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata" / "fixture.ttl"
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
ROOT = Path(__file__).resolve().parents[1]


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


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def wikidata_fixture_server(folder: Path) -> Iterator[str]:
    """A real `oxigraph serve-read-only` holding the fixture; yields its SPARQL query URL."""
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(folder / "db"), "--file", str(FIXTURE)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    proc = subprocess.Popen(
        [OXIGRAPH, "serve-read-only", "--location", str(folder / "db")]
        + ["--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url + "?query=ASK%7B%7D", proc)
        yield url
    finally:
        stop(proc)


@dataclass
class Scripted:
    """What a scripted server answers, in turn, and what it was asked."""

    answers: list[tuple[int, dict[str, str], bytes, float]]  # status, headers, body, delay
    requests: list[dict[str, str]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)


@contextmanager
def scripted_server(script: Scripted) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 answering *script.answers* one per request (the last
    one again once they run out); yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server naming
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            script.requests.append(dict(self.headers.items()))
            script.times.append(time.monotonic())
            index = min(len(script.requests), len(script.answers)) - 1
            status, headers, body, delay = script.answers[index]
            time.sleep(delay)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Endpoint:
    url: str
    proc: subprocess.Popen


def start_dealgraph(root: Path, store: Path, services: list[str]) -> Endpoint:
    """The real dealgraph endpoint over a published *store*, federating with *services*."""
    port = free_port()
    cmd = [sys.executable, "-m", "dealgraph.web.server", "--root", str(root)]
    cmd += ["--store", str(store), "--port", str(port), "--workers", "2"]
    for service in services:
        cmd += ["--allow-service", service]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/health", proc)
    except Exception:
        proc.kill()
        raise
    return Endpoint(url, proc)


def copy_sources(destination: Path, *, links: bool = True) -> Path:
    """A copy of the shipped sources (ontology, data, shapes, queries); without the links file
    when *links* is false."""
    root = destination / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    if not links:
        (root / "data" / "wikidata-links.ttl").unlink()
    return root
