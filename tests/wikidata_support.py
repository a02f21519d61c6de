"""Real servers for the Wikidata tests: an `oxigraph serve-read-only` process loaded with the
Wikidata-shaped fixture, a scripted HTTP server (429, slow answers) and the dealgraph endpoint.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from process_support import oxigraph_server

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata" / "fixture.ttl"
ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def wikidata_fixture_server(folder: Path) -> Iterator[str]:
    """A real `oxigraph serve-read-only` holding the fixture; yields its SPARQL query URL."""
    with oxigraph_server(folder, FIXTURE) as url:
        yield url


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


def copy_sources(destination: Path, *, links: bool = True) -> Path:
    """A copy of the shipped sources (ontology, data, shapes, queries); without the links file
    when *links* is false."""
    root = destination / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    if not links:
        (root / "data" / "wikidata-links.ttl").unlink()
    return root
