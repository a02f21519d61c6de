"""Benchmark dealgraph's SPARQL endpoint against ``oxigraph serve-read-only``, side by side.

Usage: ``python bench/run.py [--quick] [--out docs/benchmarks.md]``, or
``python bench/run.py --uncached [--store DIR]`` for the uncached-throughput comparison alone
(issue 11, item 4: see :func:`uncached`).

For each data set (the shipped dealgraph data, and a synthetic deal graph of ~1M triples, or
~50k with ``--quick``) the same quads are served by dealgraph (uvicorn + query worker
processes over the published store) and by ``oxigraph serve-read-only`` (the Rust server,
union default graph), both on 127.0.0.1 and both started and stopped here. Each query is
first checked to give the same number of results on both; then sequential latency is
measured per query (every request unique, so that dealgraph's result cache cannot answer
it: ``X-Cache: MISS`` is checked), throughput with concurrent clients for ASK and a lookup,
each both *repeated* (the same request every time; dealgraph may answer from its cache) and
*distinct* (every request unique), the cost of dealgraph's worker-process hop alone
(``bench/hop.py``), and memory after the run. The report (Markdown + a PNG chart) goes to
``--out``; raw numbers as JSON to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data_sets  # noqa: E402
import hop  # noqa: E402
import load  # noqa: E402
import pyoxigraph  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402

from queries import UNCACHED, BenchQuery, bench_queries  # noqa: E402

ROOT = HERE.parent
RESULTS = HERE / "results"


@dataclass(frozen=True)
class Settings:
    """How much to measure: quick (under a minute) or full (a few minutes)."""

    synthetic_triples: int
    latency_requests: int  # at most this many sequential requests per query and server
    latency_budget_s: float  # ... or stop after this long (but at least 5 requests)
    throughput_s: float  # one throughput run
    throughput_runs: int  # per query, variant and server; the best run counts
    clients: int
    workers: int
    loop_fallback: bool = True  # re-measure dealgraph with loop=asyncio when auto fails

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        if quick:
            return cls(50_000, 100, 0.5, 1.0, 2, 8, 2)
        return cls(1_000_000, 400, 10.0, 4.0, 3, 8, 2)


@dataclass
class QueryResult:
    """One query on one data set: result sizes on both servers and their latencies."""

    query: BenchQuery
    rows_dealgraph: int
    rows_oxigraph: int
    dealgraph: load.Latency
    oxigraph: load.Latency

    @property
    def same_results(self) -> bool:
        return self.rows_dealgraph == self.rows_oxigraph

    @property
    def ratio(self) -> float:
        """dealgraph p50 / oxigraph p50 (lower is better; 1.0 is parity)."""
        return self.dealgraph.p50 / self.oxigraph.p50


@dataclass
class DatasetResult:
    """Everything measured on one data set."""

    dataset: data_sets.Dataset
    queries: list[QueryResult] = field(default_factory=list)
    # query -> variant ("repeated" / "distinct") -> server -> best run
    throughput: dict[str, dict[str, dict[str, load.Throughput]]] = field(default_factory=dict)
    # "query/variant" -> X-Cache answers dealgraph gave in a short counted wrk run
    x_cache_check: dict[str, dict[str, int]] = field(default_factory=dict)
    memory: dict[str, servers.Memory] = field(default_factory=dict)
    startup_s: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, tuple[int | str, int | str]] = field(default_factory=dict)
    entry_point_errors: dict[str, str] = field(default_factory=dict)  # with loop=auto
    dealgraph_loop: str = "auto"
    # "query/variant/server" -> CPU µs per request: (server process, its child processes)
    cpu_us: dict[str, tuple[float, ...]] = field(default_factory=dict)
    http_stack: load.Throughput | None = None  # dealgraph OPTIONS /sparql: no query, no pool
    cached_ask: dict[str, load.Latency] = field(default_factory=dict)  # repeated ASK, sequential
    hop: hop.Hop | None = None  # dealgraph's worker pool alone
    unique_requests: int = 0  # unique queries sent to dealgraph (each leaves a cache entry)


def say(message: str) -> None:
    """Progress on stderr, with a timestamp."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rows(url: str, query: str) -> int | str:
    """The number of results *query* gives at *url* (one request), or the error answer."""
    client = load.Client(url)
    try:
        status, body, _ = client.post(load.form_body(query))
    finally:
        client.close()
    if status != 200:
        return f"HTTP {status}: {body.decode(errors='replace').strip()[:200]}"
    return load.result_size(body)


def check(
    ds: data_sets.Dataset, queries: list[BenchQuery], dg: servers.Server, ox: servers.Server
) -> dict[str, tuple[int | str, int | str]]:
    """Run each query once on both servers; print and return the result sizes (or errors)."""
    say(f"{ds.name}: correctness check on dealgraph (loop={dg.loop}) and oxigraph")
    sizes = {q.name: (rows(dg.query_url, q.text), rows(ox.query_url, q.text)) for q in queries}
    for name, (d, o) in sizes.items():
        verdict = "ok" if d == o else "DIFFER"
        say(f"  {name:18} dealgraph {d!s:>7.60}  oxigraph {o!s:>7.60}  {verdict}")
    return sizes


def bench_dataset(ds: data_sets.Dataset, cfg: Settings) -> DatasetResult:
    """Serve *ds* from both servers and measure; the servers are always stopped."""
    result = DatasetResult(ds)
    logs = RESULTS / ds.name
    queries = bench_queries(ds.holder, ds.resource)
    with ExitStack() as stack:
        ox = servers.oxigraph_server(ds.oxigraph_dir, logs / "oxigraph.log")
        dg = servers.dealgraph_server(ROOT, ds.store_dir, cfg.workers, logs / "dealgraph.log")
        for server in (dg, ox):
            say(f"{ds.name}: starting {server.name}")
            started = time.perf_counter()
            stack.enter_context(server)
            result.startup_s[server.name] = time.perf_counter() - started
        sizes = check(ds, queries, dg, ox)
        failed = {n: d for n, (d, _) in sizes.items() if isinstance(d, str)}
        if failed and cfg.loop_fallback:
            result.entry_point_errors = failed
            say(f"{ds.name}: dealgraph failed {len(failed)} queries; measuring with loop=asyncio")
            dg.stop()
            dg = servers.dealgraph_server(
                ROOT, ds.store_dir, cfg.workers, logs / "dealgraph-asyncio.log", loop="asyncio"
            )
            stack.enter_context(dg)
            sizes = check(ds, queries, dg, ox)
        result.dealgraph_loop = dg.loop
        result.sizes = sizes
        queries = [q for q in queries if not any(isinstance(n, str) for n in sizes[q.name])]
        urls = {"dealgraph": dg.query_url, "oxigraph": ox.query_url}
        for q in queries:
            say(f"{ds.name}: latency of {q.name} (every request unique)")
            lat = load.measure_latency(urls, q.text, cfg.latency_requests, cfg.latency_budget_s)
            lat_dg, lat_ox = lat["dealgraph"], lat["oxigraph"]
            if set(lat_dg.x_cache) != {"MISS"}:
                raise RuntimeError(
                    f"{q.name}: dealgraph answered unique requests with X-Cache {lat_dg.x_cache}"
                    " (expected MISS only): the latency would not measure evaluation"
                )
            result.unique_requests += sum(lat_dg.x_cache.values()) + 3  # and the warm-up
            d, o = sizes[q.name]
            result.queries.append(QueryResult(q, int(d), int(o), lat_dg, lat_ox))
            say(
                f"  p50 dealgraph {lat_dg.p50:8.2f} ms  oxigraph {lat_ox.p50:8.2f} ms  "
                f"ratio {lat_dg.p50 / lat_ox.p50:.2f}  (n={len(lat_dg.samples_ms)}, "
                f"dealgraph X-Cache {lat_dg.x_cache})"
            )
        ask = next((q for q in queries if q.name == "ask"), None)
        if ask is not None:
            say(f"{ds.name}: latency of ask, repeated (dealgraph answers from its cache)")
            result.cached_ask = load.measure_latency(
                urls, ask.text, cfg.latency_requests, cfg.latency_budget_s / 2, distinct=False
            )
            say(f"  dealgraph X-Cache {result.cached_ask['dealgraph'].x_cache}")
        for name in ("ask", "resource"):
            q = next((q for q in queries if q.name == name), None)
            if q is not None:
                throughput(result, q, dg, ox, cfg)
        if load.wrk_available():
            say(f"{ds.name}: HTTP stack alone: OPTIONS /sparql on dealgraph (no query run)")
            for _ in range(2):
                tp = load.wrk_throughput(
                    dg.query_url, None, cfg.clients, cfg.throughput_s, "OPTIONS"
                )
                say(f"  {tp.rps:,.0f} req/s")
                if result.http_stack is None or tp.rps > result.http_stack.rps:
                    result.http_stack = tp
        for server in (dg, ox):
            result.memory[server.name] = server.memory()
    # With both servers stopped: the worker pool alone, on the same store.
    say(f"{ds.name}: dealgraph's worker pool alone (bench/hop.py), ASK {{}} jobs")
    result.hop = hop.probe(ds.store_dir, cfg.workers, cfg.clients, cfg.latency_requests * 5)
    say(
        f"  round trip {result.hop.round_trip_us:.0f} µs, in the worker "
        f"{result.hop.worker_us:.0f} µs; {result.hop.concurrent_jobs_per_s:,.0f} jobs/s "
        f"with {cfg.clients} callers"
    )
    return result


def throughput(
    result: DatasetResult, q: BenchQuery, dg: servers.Server, ox: servers.Server, cfg: Settings
) -> None:
    """Throughput of *q*, repeated and distinct, on both servers; then check dealgraph's X-Cache.

    The runs are interleaved (each round visits every variant and server, the order
    reversing between rounds) and the best run of each counts: background load on a shared
    machine only ever lowers throughput.
    """
    name = q.name
    best = result.throughput.setdefault(name, {})
    combos = [(variant, server) for variant in load.VARIANTS for server in (dg, ox)]
    for round_ in range(cfg.throughput_runs):
        for variant, server in combos if round_ % 2 == 0 else reversed(combos):
            distinct = variant == "distinct"
            cpu_before = server.cpu_seconds()
            tp = load.measure_throughput(
                server.query_url, q.text, cfg.clients, cfg.throughput_s, distinct=distinct
            )
            cpu_after = server.cpu_seconds()
            if distinct and server is dg:
                result.unique_requests += tp.requests
            say(
                f"{result.dataset.name}: {name} {variant:8} on {server.name:9}: "
                f"{tp.rps:8,.0f} req/s ({tp.requests} requests, {tp.errors} errors)"
            )
            runs = best.setdefault(variant, {})
            if server.name not in runs or tp.rps > runs[server.name].rps:
                runs[server.name] = tp
                result.cpu_us[f"{name}/{variant}/{server.name}"] = tuple(
                    (after - before) / max(tp.requests, 1) * 1e6
                    for before, after in zip(cpu_before, cpu_after, strict=True)
                )
    if not load.wrk_available():
        return
    for variant in load.VARIANTS:
        # A short extra run that counts dealgraph's X-Cache answers (counting costs the
        # client a little per response, so the measured runs above do not count).
        tp = load.wrk_throughput(
            dg.query_url, q.text, cfg.clients, 1, distinct=variant == "distinct", count_cache=True
        )
        result.x_cache_check[f"{name}/{variant}"] = tp.x_cache
        if variant == "distinct":
            result.unique_requests += tp.requests
        say(f"  dealgraph X-Cache in a counted {variant} run: {tp.x_cache}")
        if variant == "distinct" and tp.x_cache.get("HIT"):
            raise RuntimeError(f"{name}: distinct requests answered from the cache: {tp.x_cache}")


def environment() -> dict[str, str]:
    """What the numbers were measured on."""
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    cpu = platform.processor() or "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    import uvicorn

    return {
        "cpu": f"{os.cpu_count()} cores ({cpu})",
        "ram": f"{mem_kb / 2**20:.0f} GB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "oxigraph": servers.oxigraph_version(),
        "uvicorn": uvicorn.__version__,
        "load average at the start (1/5/15 min; the machine is shared)": " / ".join(
            f"{x:.2f}" for x in os.getloadavg()
        ),
        "load tool": "wrk (1 thread, keep-alive)"
        if load.wrk_available()
        else "multi-process http.client",
    }


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="~50k synthetic triples, short runs")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--skip-shipped", action="store_true", help="only the synthetic graph")
    parser.add_argument(
        "--uncached", action="store_true", help="only the uncached-throughput comparison"
    )
    parser.add_argument("--store", type=Path, default=ROOT / ".dealgraph" / "store")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    if args.uncached:
        out = args.out if args.out.is_absolute() else Path.cwd() / args.out
        found = uncached(args.store, args.rounds, args.seconds)
        (RESULTS / "uncached.json").write_text(json.dumps(found, indent=2))
        report.write_uncached(found, out)
        say(f"done: {out}, {RESULTS / 'uncached.json'}")
        return
    cfg = Settings.for_mode(args.quick)
    mode = "quick" if args.quick else "full"
    started = time.perf_counter()
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = environment()
    say(f"{mode} run; throughput client: {env['load tool']}")
    results: list[DatasetResult] = []
    if not args.skip_shipped:
        ds = data_sets.shipped(ROOT, RESULTS / "shipped", say)
        results.append(bench_dataset(ds, cfg))
    ds = data_sets.synthetic(ROOT, RESULTS / "synthetic", cfg.synthetic_triples, say)
    results.append(bench_dataset(ds, cfg))
    elapsed = time.perf_counter() - started
    env["load average at the end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    raw = RESULTS / f"results-{mode}.json"
    raw.write_text(json.dumps([_raw(r) for r in results], indent=2, default=str))
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    png = out.with_suffix(".png")
    report.write_chart(results, png)
    notes = report.overhead_notes(results)
    report.write_markdown(results, env, cfg, mode, elapsed, out, png, notes)
    say(f"done in {elapsed:.0f} s: {out}, {png}, {raw}")


def uncached(store: Path, rounds: int, seconds: float, workers: int = 2) -> dict:
    """Issue 11, item 4, on the published *store*: ``wrk -c8``, every request unique (a
    counter comment), against dealgraph and ``oxigraph serve-read-only`` on the same quads,
    alternating the two servers every run (the machine is shared: background load hits both
    alike); CPU per request, memory per process, what a worker imports, the pool hop alone,
    and a cold ``dealgraph query``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = RESULTS / "uncached"
    work.mkdir(exist_ok=True)
    found: dict = {"load_before": os.getloadavg(), "workers": workers, "clients": 8}
    found["measured_at"] = time.strftime("%Y-%m-%d %H:%M %Z")
    found["environment"] = environment()
    oxigraph_dir = data_sets._export_and_load_oxigraph(store, work, {}, say)  # noqa: SLF001
    holder = "https://w3id.org/dealgraph/id/company/microsoft"
    resource = "https://w3id.org/dealgraph/id/right/microsoft-openai-ip-2030"
    queries = [q for q in bench_queries(holder, resource) if q.name in UNCACHED]
    dg = servers.dealgraph_server(ROOT, store, workers, work / "dealgraph.log")
    ox = servers.oxigraph_server(oxigraph_dir, work / "oxigraph.log")
    runs: dict[str, dict[str, list[dict]]] = {}
    with dg, ox:
        found["rows"] = {
            q.name: [rows(dg.query_url, q.text), rows(ox.query_url, q.text)] for q in queries
        }
        for round_ in range(rounds):
            for q in queries:
                for server in (dg, ox) if round_ % 2 == 0 else (ox, dg):
                    before = server.cpu_seconds()
                    tp = load.wrk_throughput(server.query_url, q.text, 8, seconds, distinct=True)
                    cpu = [b - a for a, b in zip(before, server.cpu_seconds(), strict=True)]
                    per = [c / max(tp.requests, 1) * 1e6 for c in cpu]
                    runs.setdefault(q.name, {}).setdefault(server.name, []).append(
                        {"rps": tp.rps, "errors": tp.errors, "cpu_us": per, "p50_ms": tp.p50_ms}
                    )
                    say(f"{q.name:14} {server.name:9} {tp.rps:9,.0f} req/s  cpu µs {per}")
        check = load.wrk_throughput(dg.query_url, "ASK {}", 8, 1, distinct=True, count_cache=True)
        found["x_cache_distinct_ask"] = check.x_cache
        found["processes"] = {s.name: s.processes() for s in (dg, ox)}
    found["runs"] = runs
    found["worker_imports"] = _worker_imports()
    say("the worker pool alone (bench/hop.py)")
    found["hop"] = asdict(hop.probe(store, workers, 8, sequential=1500, duration_s=2.0))
    found["cold_query_ms"] = _cold_queries(store)
    found["load_after"] = os.getloadavg()
    return found


HEAVY = ("owlready2", "pyshacl", "rdflib", "httpx", "fastapi", "starlette", "typer", "pydantic")


def _worker_imports() -> dict:
    """What a query worker imports: its entry point's module and the engine (that is what a
    spawned worker loads), with ``-X importtime``'s total and the heavy modules among them."""
    probe = (
        "import sys, dealgraph.web.worker_pool, dealgraph.engine; "
        f"print(len(sys.modules), [m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", probe], capture_output=True, text=True
    )
    total_us = sum(
        int(line.split("|")[0].split(":")[1]) for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.split("|")[0].split(":")[1].strip().isdigit()
    )  # fmt: skip
    modules, heavy = done.stdout.strip().split(" ", 1)
    return {"modules": int(modules), "heavy": heavy, "import_ms": total_us / 1000}


def _cold_queries(store: Path, runs: int = 15) -> dict[str, list[float]]:
    """Wall-clock ms of a cold ``dealgraph query``: one that needs no offline child, and one
    whose text holds the word ``service`` (so it runs in a forked child without network)."""
    cli = str(Path(sys.executable).parent / "dealgraph")
    texts = {
        "ASK {}": "ASK {}",
        "ASK with 'service' in a literal": 'ASK { FILTER ("service" != "") }',
    }
    times: dict[str, list[float]] = {name: [] for name in texts}
    for _ in range(runs):
        for name, text in texts.items():  # alternated, so background load hits both alike
            started = time.perf_counter()
            subprocess.run(
                [cli, "query", "--store", str(store), text], check=True, capture_output=True
            )
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def _raw(result: DatasetResult) -> dict:
    return {
        "dataset": asdict(result.dataset),
        "queries": [
            {
                "name": q.query.name,
                "kind": q.query.kind,
                "rows": [q.rows_dealgraph, q.rows_oxigraph],
                "dealgraph_ms": q.dealgraph.samples_ms,
                "dealgraph_engine_ms": q.dealgraph.engine_ms,
                "dealgraph_x_cache": q.dealgraph.x_cache,
                "oxigraph_ms": q.oxigraph.samples_ms,
            }
            for q in result.queries
        ],
        "throughput": {
            k: {variant: {s: asdict(t) for s, t in runs.items()} for variant, runs in v.items()}
            for k, v in result.throughput.items()
        },
        "x_cache_check": result.x_cache_check,
        "cached_ask_ms": {k: v.samples_ms for k, v in result.cached_ask.items()},
        "hop": asdict(result.hop) if result.hop else None,
        "memory": {k: asdict(v) for k, v in result.memory.items()},
        "startup_s": result.startup_s,
        "entry_point_errors": result.entry_point_errors,
        "dealgraph_loop": result.dealgraph_loop,
        "cpu_us_per_request": result.cpu_us,
        "http_stack": asdict(result.http_stack) if result.http_stack else None,
        "unique_requests": result.unique_requests,
    }


if __name__ == "__main__":
    main()
