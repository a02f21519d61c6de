"""Load generation: sequential latency and concurrent throughput against a SPARQL endpoint.

Every request is the same for both servers: ``POST`` with an
``application/x-www-form-urlencoded`` body ``query=…``, ``Accept:
application/sparql-results+json`` and ``Accept-Encoding: identity`` (no compression on
either side), over keep-alive connections.

* Latency: one client, requests one after another (stdlib ``http.client``: little client
  overhead), after a warm-up; p50/p95/p99 of the wall-clock time per request. Every request
  is made unique by a comment line (``# n``, a counter) after the query, for every server
  alike, so that a server with a result cache (dealgraph) has to evaluate each one; the
  ``X-Cache`` answers are counted to prove it.
* Throughput: ``wrk`` (C, epoll, one thread) with N connections when it is installed, with a
  Lua script that sends the POST, either the same request every time (*repeated*) or each
  one unique through a Lua ``request()`` function that appends a counter comment
  (*distinct*); otherwise a multi-process ``http.client`` fallback.
"""

from __future__ import annotations

import http.client
import itertools
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


VARIANTS = ("repeated", "distinct")  # throughput: the same request each time, or each unique

_unique = itertools.count(1)  # numbers the unique requests of this process


def form_body(query: str) -> bytes:
    """The POST body for *query*."""
    return urllib.parse.urlencode({"query": query}).encode()


def unique(query: str) -> str:
    """*query* followed by a comment line with a counter: the same query, a new request text."""
    return f"{query}\n# {next(_unique)}\n"


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
    x_cache: dict[str, int] = field(default_factory=dict)  # X-Cache answer -> count ("-": none)

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
    urls: dict[str, str],
    query: str,
    max_requests: int,
    budget_s: float,
    warmup: int = 3,
    distinct: bool = True,
) -> dict[str, Latency]:
    """Sequential latency on several servers at once, their requests interleaved.

    One request to each server per round (the order alternates between rounds), so that
    background load on a shared machine hits all of them alike. Up to *max_requests*
    rounds, stopping after *budget_s* once at least 5 rounds are done. With *distinct*
    (the default) every request text is unique (:func:`unique`), so no answer can come
    from a result cache; each server's ``X-Cache`` answers are counted in the result.
    """
    clients = {name: Client(url) for name, url in urls.items()}
    plain = form_body(query)
    samples: dict[str, list[float]] = {name: [] for name in urls}
    engine: dict[str, list[float]] = {name: [] for name in urls}
    sizes: dict[str, int] = dict.fromkeys(urls, 0)
    x_cache: dict[str, dict[str, int]] = {name: {} for name in urls}

    def one(name: str) -> float:
        body = form_body(unique(query)) if distinct else plain
        started = time.perf_counter()
        status, data, headers = clients[name].post(body)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"{urls[name]}: HTTP {status}: {data[:300]!r}")
        if "x-query-time" in headers:
            engine[name].append(float(headers["x-query-time"]) * 1000)
        answer = headers.get("x-cache", "-")
        x_cache[name][answer] = x_cache[name].get(answer, 0) + 1
        sizes[name] = len(data)
        return elapsed

    try:
        for _ in range(warmup):
            for name in urls:
                one(name)
        engine = {name: [] for name in urls}
        x_cache = {name: {} for name in urls}
        order = list(urls)
        rounds = 0
        deadline = time.perf_counter() + budget_s
        while rounds < max_requests and (rounds < 5 or time.perf_counter() < deadline):
            for name in order:
                samples[name].append(one(name))
            order.reverse()
            rounds += 1
        return {
            name: Latency(samples[name], engine[name], sizes[name], x_cache[name]) for name in urls
        }
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
    x_cache: dict[str, int] = field(default_factory=dict)  # only when counted


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _wrk_duration_ms(text: str) -> float | None:
    """``812.00us``, ``1.20ms``, ``2.00s``, ``1.00m`` in milliseconds; None if unreadable."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:
        return None
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


# Lua for wrk: each request unique (the same comment line as :func:`unique`, numbered per
# wrk thread and prefixed with a number per wrk run, so no two runs send the same text).
DISTINCT_LUA = """local prefix = [==[{prefix}]==]
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, prefix .. n .. "%0A")
end
"""
# Lua for wrk: count the X-Cache answers and print them at the end (costs the client a
# little per response, so only the short verification runs use it).
COUNT_LUA = """hit, miss, other = 0, 0, 0
response = function(status, headers, body)
  local x = headers["X-Cache"] or headers["x-cache"]
  if x == "HIT" then hit = hit + 1 elseif x == "MISS" then miss = miss + 1
  else other = other + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  for _, t in ipairs(threads) do
    io.write(string.format("X-Cache HIT %d MISS %d none %d\\n",
      t:get("hit"), t:get("miss"), t:get("other")))
  end
end
"""


def wrk_lua(query: str | None, method: str = "POST", distinct: bool = False) -> str:
    """The wrk script: POST the form body of *query* (or send *method*), maybe made unique."""
    lua = f'wrk.method = "{method}"\n'
    if query is None:
        return lua
    lua += "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in HEADERS.items())
    if not distinct:
        return lua + f"wrk.body = [==[{form_body(query).decode()}]==]\n"
    prefix = form_body(f"{query}\n# r{next(_unique)}-").decode()
    return lua + DISTINCT_LUA.format(prefix=prefix)


def wrk_throughput(
    url: str,
    query: str | None,
    clients: int,
    duration_s: float,
    method: str = "POST",
    distinct: bool = False,
    count_cache: bool = False,
) -> Throughput:
    """Run ``wrk -t1 -cN`` with a Lua script that POSTs the form body (or sends *method*).

    *distinct*: every request unique (see :data:`DISTINCT_LUA`). *count_cache*: also count
    the ``X-Cache`` answers (into :attr:`Throughput.x_cache`).
    """
    lua = wrk_lua(query, method, distinct) + (COUNT_LUA if count_cache else "")
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
    if m := re.search(r"^\s*50%\s+(\S+)", out, re.M):  # not a "+/- Stdev" like 85.50%
        p50 = _wrk_duration_ms(m.group(1))
    if m := re.search(r"^\s*99%\s+(\S+)", out, re.M):
        p99 = _wrk_duration_ms(m.group(1))
    x_cache: dict[str, int] = {}
    if m := re.search(r"X-Cache HIT (\d+) MISS (\d+) none (\d+)", out):
        x_cache = {
            k: int(v) for k, v in zip(("HIT", "MISS", "-"), m.groups(), strict=True) if v != "0"
        }
    return Throughput(rps, requests, errors, p50, p99, "wrk (1 thread)", x_cache)


def _client_loop(args: tuple[str, str, bool, float, str]) -> tuple[int, int, float]:
    url, query, distinct, duration_s, salt = args
    client = Client(url)
    body = form_body(query)
    done = errors = 0
    started = time.perf_counter()
    deadline = started + duration_s
    try:
        while time.perf_counter() < deadline:
            if distinct:
                body = form_body(f"{query}\n# {salt}-{done}\n")
            status, _, _ = client.post(body)
            done += 1
            errors += status != 200
    finally:
        client.close()
    return done, errors, time.perf_counter() - started


def python_throughput(
    url: str, query: str, clients: int, duration_s: float, distinct: bool = False
) -> Throughput:
    """Fallback without wrk: *clients* processes, each a keep-alive ``http.client`` loop."""
    run = next(_unique)
    args = [(url, query, distinct, duration_s, f"p{run}.{i}") for i in range(clients)]
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        results = pool.map(_client_loop, args)
    rps = sum(done / elapsed for done, _, elapsed in results)  # each client timed itself
    done = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    return Throughput(rps, done, errors, None, None, f"{clients} http.client processes")


def measure_throughput(
    url: str, query: str, clients: int, duration_s: float, distinct: bool = False
) -> Throughput:
    """Throughput with wrk when available, else the multi-process Python client."""
    if wrk_available():
        return wrk_throughput(url, query, clients, duration_s, distinct=distinct)
    return python_throughput(url, query, clients, duration_s, distinct)
