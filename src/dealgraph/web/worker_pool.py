"""A pool of killable worker processes that run :func:`dealgraph.engine.execute`.

pyoxigraph cannot cancel a running query, so each job runs in a worker process that holds
its own read-only handle on the published store. A job past the timeout is stopped by killing
its worker (which frees the CPU at once) and a fresh worker takes its place. This module does
processes only: what a job means is the engine's business.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection

import pyoxigraph

from ..engine import Job, Outcome, PingJob, QueryJob, execute, failure, open_build


class QueryTimeoutError(Exception):
    """The query ran past the timeout and its worker was killed."""


class PoolBusyError(Exception):
    """No worker became free in time."""


class WorkerCrashedError(Exception):
    """The worker died while running the query (e.g. killed for memory)."""


POOL_ERRORS = (QueryTimeoutError, PoolBusyError, WorkerCrashedError)


# ---------------------------------------------------------------- worker process side


def worker_main(conn: Connection) -> None:
    """Serve jobs from *conn* until the parent closes it (entry point of a worker process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    store: pyoxigraph.Store | None = None
    opened: str | None = None
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if job.build_dir and job.build_dir != opened:
                store = None  # close the previous build before opening the next
                store = open_build(job.build_dir)
                opened = job.build_dir
            if store is None and not isinstance(job, PingJob):
                raise RuntimeError("the job names no published build")
            outcome = execute(store, job)  # type: ignore[arg-type]  # a ping needs no store
        except Exception as exc:  # keep the worker alive; the caller gets a clear error
            outcome = failure(500, f"internal error while running the query: {exc}")
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

    def __init__(
        self,
        size: int,
        timeout: float,
        warm_build: str | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.warm_build = warm_build
        self.start_timeout = start_timeout
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
            job: Job = PingJob()
            if self.warm_build:
                job = QueryJob(build_dir=self.warm_build, query="ASK {}")
            await self._exchange(worker, job, timeout=self.start_timeout)
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

    async def _exchange(self, worker: _Worker, job: Job, timeout: float) -> Outcome:
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

    async def run(self, job: Job) -> Outcome:
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
