"""Helpers of the hardening tests: a loopback HTTP recorder, clients from other addresses."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

EMPTY_RESULTS = json.dumps({"head": {"vars": []}, "results": {"bindings": [{}]}}).encode()


class Recorder:
    """A loopback HTTP server that writes down every request it gets (path and body) and
    answers *status* with *body* (default: one empty SPARQL solution)."""

    def __init__(self, status: int = 200, body: bytes = EMPTY_RESULTS) -> None:
        self.hits: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                payload = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                recorder.hits.append(f"{self.command} {self.path} {payload}")
                self.send_response(status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Recorder:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def client_from(address: str, base_url: str, timeout: float = 30) -> Iterator[httpx.Client]:
    """An HTTP client whose connections leave from *address* (any 127.x.y.z is loopback on
    Linux): the server sees another client address."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=base_url, transport=transport, timeout=timeout) as client:
        yield client
