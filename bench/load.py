"""Load generation: sequential latency and concurrent throughput against a SPARQL endpoint.

Every request is the same for both servers: ``POST`` with an
``application/x-www-form-urlencoded`` body ``query=…``, ``Accept:
application/sparql-results+json`` and ``Accept-Encoding: identity`` (no compression on
either side), over keep-alive connections.

* Latency: one client, requests one after another (stdlib ``http.client``: little client
  overhead), after a warm-up; p50/p95/p99 of the wall-clock time per request.
* Throughput: ``wrk`` (C, epoll, one thread) with N connections when it is installed, with a
  Lua script that sends the POST; otherwise a multi-process ``http.client`` fallback.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/sparql-results+json",
    "Accept-Encoding": "identity",
}


def form_body(query: str) -> bytes:
    """The POST body for *query*."""
    return urllib.parse.urlencode({"query": query}).encode()


class Client:
    """A keep-alive HTTP/1.1 connection to one endpoint URL."""

    def __init__(self, url: str, timeout: float = 300.0) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def post(self, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        """Send one query; the status, body and headers (lower-case names)."""
        try:
            self.conn.request("POST", self.path, body=body, headers=HEADERS)
            response = self.conn.getresponse()
        except (http.client.HTTPException, ConnectionError):
            self.conn.close()  # the server closed the idle connection: reconnect once
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request("POST", self.path, body=body, headers=HEADERS)
            response = self.conn.getresponse()
        data = response.read()
        return response.status, data, {k.lower(): v for k, v in response.getheaders()}

    def close(self) -> None:
        self.conn.close()


def result_size(body: bytes) -> int:
    """Rows of a SELECT JSON result, or 1/0 for an ASK result."""
    doc = json.loads(body)
    if "boolean" in doc:
        return int(bool(doc["boolean"]))
    return len(doc["results"]["bindings"])


@dataclass
class Latency:
    """Sequential latency of one query on one server, in milliseconds."""

    samples_ms: list[float]
    engine_ms: list[float] = field(default_factory=list)  # from X-Query-Time, when sent
    response_bytes: int = 0

    def pct(self, q: float) -> float:
        data = sorted(self.samples_ms)
        if not data:
            return float("nan")
        k = min(len(data) - 1, max(0, round(q / 100 * (len(data) - 1))))
        return data[k]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return self.pct(95)

    @property
    def p99(self) -> float:
        return self.pct(99)

    @property
    def engine_p50(self) -> float | None:
        return statistics.median(self.engine_ms) if self.engine_ms else None


def measure_latency(
    urls: dict[str, str], query: str, max_requests: int, budget_s: float, warmup: int = 3
) -> dict[str, Latency]:
    """Sequential latency on several servers at once, their requests interleaved.

    One request to each server per round (the order alternates between rounds), so that
    background load on a shared machine hits all of them alike. Up to *max_requests*
    rounds, stopping after *budget_s* once at least 5 rounds are done.
    """
    clients = {name: Client(url) for name, url in urls.items()}
    body = form_body(query)
    samples: dict[str, list[float]] = {name: [] for name in urls}
    engine: dict[str, list[float]] = {name: [] for name in urls}
    sizes: dict[str, int] = dict.fromkeys(urls, 0)

    def one(name: str) -> float:
        started = time.perf_counter()
        status, data, headers = clients[name].post(body)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"{urls[name]}: HTTP {status}: {data[:300]!r}")
        if "x-query-time" in headers:
            engine[name].append(float(headers["x-query-time"]) * 1000)
        sizes[name] = len(data)
        return elapsed

    try:
        for _ in range(warmup):
            for name in urls:
                one(name)
        engine = {name: [] for name in urls}
        order = list(urls)
        rounds = 0
        deadline = time.perf_counter() + budget_s
        while rounds < max_requests and (rounds < 5 or time.perf_counter() < deadline):
            for name in order:
                samples[name].append(one(name))
            order.reverse()
            rounds += 1
        return {name: Latency(samples[name], engine[name], sizes[name]) for name in urls}
    finally:
        for client in clients.values():
            client.close()


@dataclass
class Throughput:
    """Requests per second with N concurrent keep-alive clients, and the tool that measured."""

    rps: float
    requests: int
    errors: int
    p50_ms: float | None
    p99_ms: float | None
    tool: str


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _wrk_duration_ms(text: str) -> float | None:
    """``812.00us``, ``1.20ms``, ``2.00s``, ``1.00m`` in milliseconds; None if unreadable."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        return None
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_throughput(
    url: str, query: str | None, clients: int, duration_s: float, method: str = "POST"
) -> Throughput:
    """Run ``wrk -t1 -cN`` with a Lua script that POSTs the form body (or sends *method*)."""
    lua = f'wrk.method = "{method}"\n'
    if query is not None:
        lua += f"wrk.body = [==[{form_body(query).decode()}]==]\n"
        lua += "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in HEADERS.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        argv = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(duration_s))}s", "--latency"]
        argv += ["-s", script.name, url]
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    p50 = p99 = None
    if m := re.search(r"50%\s+(\S+)", out):
        p50 = _wrk_duration_ms(m.group(1))
    if m := re.search(r"99%\s+(\S+)", out):
        p99 = _wrk_duration_ms(m.group(1))
    return Throughput(rps, requests, errors, p50, p99, "wrk (1 thread)")


def _client_loop(args: tuple[str, bytes, float, int]) -> tuple[int, int, float]:
    url, body, duration_s, _index = args
    client = Client(url)
    done = errors = 0
    started = time.perf_counter()
    deadline = started + duration_s
    try:
        while time.perf_counter() < deadline:
            status, _, _ = client.post(body)
            done += 1
            errors += status != 200
    finally:
        client.close()
    return done, errors, time.perf_counter() - started


def python_throughput(url: str, query: str, clients: int, duration_s: float) -> Throughput:
    """Fallback without wrk: *clients* processes, each a keep-alive ``http.client`` loop."""
    body = form_body(query)
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        results = pool.map(_client_loop, [(url, body, duration_s, i) for i in range(clients)])
    rps = sum(done / elapsed for done, _, elapsed in results)  # each client timed itself
    done = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    return Throughput(rps, done, errors, None, None, f"{clients} http.client processes")


def measure_throughput(url: str, query: str, clients: int, duration_s: float) -> Throughput:
    """Throughput with wrk when available, else the multi-process Python client."""
    if wrk_available():
        return wrk_throughput(url, query, clients, duration_s)
    return python_throughput(url, query, clients, duration_s)
