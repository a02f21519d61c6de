"""Query execution in a pool of killable worker processes.

pyoxigraph cannot cancel a running query, so each query runs in a worker process that holds
its own read-only handle on the published store. A query past the timeout is stopped by
killing its worker (which frees the CPU at once) and a fresh worker takes its place. A worker
computes and serializes the whole result before sending anything back, so a stopped query
never yields partial output.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph

from ..store import OXIGRAPH_FOLDER


@dataclass(frozen=True)
class QueryJob:
    """One unit of work for a worker.

    ``kind`` is ``query`` (run ``query``) or ``dump`` (serialize the whole store as
    ``graph_type``). For a query, ``tabular_type`` / ``graph_type`` are the media types to
    answer SELECT/ASK and CONSTRUCT/DESCRIBE with (None: the client accepts no such format).
    ``default_graphs`` / ``named_graphs`` set the dataset (None: the union default graph
    unless the query has FROM). ``bindings`` pre-binds variables to IRIs safely.
    """

    build_dir: str
    kind: str = "query"
    query: str = ""
    tabular_type: str | None = "application/sparql-results+json"
    graph_type: str | None = "text/turtle"
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default: bool = True
    bindings: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """A finished job: an HTTP status, the media type and the complete body, or an error."""

    status: int
    media_type: str
    body: bytes
    elapsed: float = 0.0


class QueryTimeoutError(Exception):
    """The query ran past the timeout and its worker was killed."""


class PoolBusyError(Exception):
    """No worker became free in time."""


class WorkerCrashedError(Exception):
    """The worker died while running the query (e.g. killed for memory)."""


# ---------------------------------------------------------------- worker process side


def _error(status: int, message: str) -> Outcome:
    return Outcome(status, "text/plain; charset=utf-8", message.encode("utf-8"))


def execute(store: pyoxigraph.Store, job: QueryJob) -> Outcome:
    """Run *job* on *store* and serialize its full result (in the worker process)."""
    if job.kind == "dump":
        fmt = pyoxigraph.RdfFormat.from_media_type(job.graph_type or "application/n-quads")
        if fmt is None:
            return _error(406, f"cannot dump as {job.graph_type}")
        if fmt in (pyoxigraph.RdfFormat.N_QUADS, pyoxigraph.RdfFormat.TRIG):
            return Outcome(200, fmt.media_type, store.dump(format=fmt))
        triples = store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        body = pyoxigraph.serialize(triples, format=fmt, prefixes=job.prefixes or None)
        return Outcome(200, fmt.media_type, body or b"")
    kwargs: dict = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        # The protocol's dataset replaces FROM / FROM NAMED (SPARQL 1.1 Protocol §2.1.4).
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graphs or ()]
    elif job.union_default:
        kwargs["use_default_graph_as_union"] = True
    if job.bindings:
        kwargs["substitutions"] = {
            pyoxigraph.Variable(k): pyoxigraph.NamedNode(v) for k, v in job.bindings.items()
        }
    try:
        result = store.query(job.query, **kwargs)
        if isinstance(result, pyoxigraph.QueryTriples):
            if job.graph_type is None:
                return _error(
                    406, "CONSTRUCT/DESCRIBE results cannot be sent in the requested format"
                )
            fmt = pyoxigraph.RdfFormat.from_media_type(job.graph_type)
            if job.prefixes and fmt in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.RDF_XML):
                body = pyoxigraph.serialize(result, format=fmt, prefixes=job.prefixes)
            else:
                body = result.serialize(format=fmt)
            return Outcome(200, job.graph_type, body or b"")
        if job.tabular_type is None:
            return _error(406, "SELECT/ASK results cannot be sent in the requested format")
        fmt = pyoxigraph.QueryResultsFormat.from_media_type(job.tabular_type)
        return Outcome(200, job.tabular_type, result.serialize(format=fmt) or b"")
    except SyntaxError as exc:
        return _error(400, f"SPARQL syntax error: {exc}")
    except (ValueError, TypeError) as exc:
        return _error(400, f"query cannot be evaluated: {exc}")
    except OSError as exc:
        # Typically a SERVICE call that failed: the problem is upstream, not in the request.
        return _error(502, f"query evaluation failed: {exc}")


def worker_main(conn: Connection) -> None:
    """Serve jobs from *conn* until the parent closes it (entry point of a worker process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    store: pyoxigraph.Store | None = None
    opened: str | None = None
    while True:
        try:
            job: QueryJob = conn.recv()
        except (EOFError, OSError):
            return
        started = time.perf_counter()
        if job.kind == "ping":
            conn.send(Outcome(200, "text/plain", b"pong"))
            continue
        try:
            if job.build_dir != opened:
                store = None  # close the previous build before opening the next
                store = pyoxigraph.Store.read_only(os.path.join(job.build_dir, OXIGRAPH_FOLDER))
                opened = job.build_dir
            assert store is not None
            outcome = execute(store, job)
        except Exception as exc:  # keep the worker alive; the caller gets a clear error
            outcome = _error(500, f"internal error while running the query: {exc}")
        outcome = Outcome(
            outcome.status, outcome.media_type, outcome.body, time.perf_counter() - started
        )
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


# ---------------------------------------------------------------- server side


class _Worker:
    """A worker process and the parent's end of its pipe."""

    def __init__(self, ctx: multiprocessing.context.BaseContext) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.conn: Connection = parent
        self.process = ctx.Process(target=worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def kill(self) -> None:
        """Stop the process at once (SIGKILL) and reap it, so it leaves no zombie."""
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """A fixed number of worker processes; each query runs in one, with a timeout."""

    def __init__(self, size: int, timeout: float, warm_build: str | None = None) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.warm_build = warm_build
        self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded event loop
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._closed = False

    async def start(self) -> None:
        """Start every worker and wait until each answers (and has opened the store)."""
        await asyncio.gather(*(self._add_worker() for _ in range(self.size)))

    async def _add_worker(self) -> None:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(None, _Worker, self._ctx)
        self._all.add(worker)
        try:
            # Warm up: the first job pays for imports and opening the store, not a user query.
            job = QueryJob(build_dir=self.warm_build or "", kind="ping")
            if self.warm_build:
                job = QueryJob(build_dir=self.warm_build, query="ASK {}")
            await self._exchange(worker, job, timeout=60)
        except Exception:
            self._all.discard(worker)
            await loop.run_in_executor(None, worker.kill)
            if not self._closed:
                loop.call_later(1.0, lambda: asyncio.ensure_future(self._add_worker()))
            return
        if self._closed:
            worker.kill()
        else:
            self._idle.put_nowait(worker)

    def pids(self) -> list[int]:
        """Process ids of the live workers (for /health and tests)."""
        return sorted(w.pid for w in self._all if w.pid is not None)

    async def _exchange(self, worker: _Worker, job: QueryJob, timeout: float) -> Outcome:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        fd = worker.conn.fileno()

        def on_readable() -> None:
            loop.remove_reader(fd)
            if future.done():
                return
            try:
                # uvloop's add_reader makes the fd non-blocking; a large answer arrives in
                # several chunks, which recv() must be allowed to wait for (the worker has
                # finished the query and is writing the rest of it).
                os.set_blocking(fd, True)
                future.set_result(worker.conn.recv())
            except Exception as exc:  # EOF: the worker died
                future.set_exception(WorkerCrashedError(str(exc) or "worker exited"))

        try:
            os.set_blocking(fd, True)  # a query larger than the pipe buffer is written in parts
            worker.conn.send(job)
        except OSError as exc:
            raise WorkerCrashedError(str(exc) or "worker exited") from None
        loop.add_reader(fd, on_readable)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            loop.remove_reader(fd)

    async def run(self, job: QueryJob) -> Outcome:
        """Run *job* in a free worker; raise :class:`QueryTimeoutError` past the timeout."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise PoolBusyError(
                f"all {self.size} query workers stayed busy for {self.timeout:g} s"
            ) from None
        try:
            outcome = await self._exchange(worker, job, self.timeout)
        except BaseException as exc:
            # Timed out, crashed, or the request was cancelled: the worker's state is
            # unknown (it may still be computing), so it is replaced, never reused.
            await self._replace(worker)
            if isinstance(exc, TimeoutError):
                raise QueryTimeoutError(
                    f"the query ran longer than the {self.timeout:g} s limit and was stopped"
                ) from None
            raise
        self._idle.put_nowait(worker)
        return outcome

    async def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, worker.kill)
        if not self._closed:
            asyncio.ensure_future(self._add_worker())

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        loop = asyncio.get_running_loop()
        workers, self._all = list(self._all), set()
        await asyncio.gather(*(loop.run_in_executor(None, w.kill) for w in workers))
