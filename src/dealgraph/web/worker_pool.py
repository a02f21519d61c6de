"""A pool of killable worker processes that run :func:`dealgraph.engine.execute`.

pyoxigraph cannot cancel a running query, so each job runs in a worker process that holds
its own read-only handle on the published store. A job past the timeout is stopped by killing
its worker (which frees the CPU at once) and a fresh worker takes its place. This module does
processes only: what a job means is the engine's business.

Two kinds of workers: *offline* ones (most) leave every network behind as they start
(:func:`dealgraph.sandbox.drop_network`), so a query that calls no allowlisted SERVICE has
nothing to reach even if it hides a SERVICE from the guard; a few *online* ones run the
queries that call an allowlisted endpoint. Each worker caps its own memory and runs jobs on
a thread with a deep stack, so a deeply nested query cannot overflow it. Which waiting job
gets a free worker is :mod:`.fair_share`'s decision: a lone client may use them all, but each
client address is guaranteed its share, preempting another client's surplus if need be.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import pyoxigraph

from ..engine import Job, Outcome, PingJob, QueryJob, execute, failure, open_build
from ..sandbox import die_with_parent, drop_network, limit_memory
from .fair_share import Client, FairShare, Lease

if TYPE_CHECKING:
    from ..settings import ServeSettings

log = logging.getLogger("dealgraph.workers")


class QueryTimeoutError(Exception):
    """The query ran past the timeout and its worker was killed."""


class PoolBusyError(Exception):
    """No worker became free in time."""


class WorkerCrashedError(Exception):
    """The worker died while running the query (e.g. killed for memory)."""


class PreemptedError(Exception):
    """The job ran on a worker borrowed beyond its client's share, and another client needs
    that worker: the worker is killed and the job queued again (never seen by a caller)."""


POOL_ERRORS = (QueryTimeoutError, PoolBusyError, WorkerCrashedError)
DAMAGED_STORE = "the published build cannot be opened (damaged or missing files): rebuild it"


# ---------------------------------------------------------------- worker process side


def worker_main(conn: Connection, offline: bool, memory_bytes: int, stack_bytes: int) -> None:
    """Serve jobs from *conn* until the parent closes it (entry point of a worker process).

    First it says whether it could leave the network (``("hello", None | reason)``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    die_with_parent()
    refused = drop_network() if offline else None  # before any thread: unshare needs one
    threading.stack_size(stack_bytes)  # the engine's parser recurses once per nested group
    limit_memory(memory_bytes)
    # The whole loop runs on the deep-stack thread: handing each job to a thread and back
    # cost two thread wake-ups per job, a third of the hop for a small query.
    serving = threading.Thread(target=_serve, args=(conn, refused), name="jobs")
    serving.start()
    serving.join()


def send(conn: Connection, message: object) -> None:
    """Write *message* to *conn* with plain pickle: multiprocessing's own pickler costs twice
    as much per message, for reducers (sockets, processes) that jobs and outcomes never hold."""
    conn.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _serve(conn: Connection, refused: str | None) -> None:
    send(conn, ("hello", refused))
    store: pyoxigraph.Store | None = None
    opened: str | None = None
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if job.build_dir and job.build_dir != opened:
                store, opened = None, None  # close the previous build before opening the next
                try:
                    store = open_build(job.build_dir)
                except OSError:  # never the path: the message goes to any client
                    send(conn, failure(500, DAMAGED_STORE))
                    continue
                opened = job.build_dir
            if store is None and not isinstance(job, PingJob):
                raise RuntimeError("the job names no published build")
            outcome = execute(store, job)  # type: ignore[arg-type]
        except MemoryError:
            outcome = failure(507, "the query needed more memory than a query worker may use")
        except Exception as exc:  # keep the worker alive; the caller gets a clear error
            # The type only: a message may hold paths of the server's file system.
            outcome = failure(500, f"internal error while running the query ({type(exc).__name__})")
        try:
            send(conn, outcome)
        except (BrokenPipeError, OSError):
            return


# ---------------------------------------------------------------- server side


class _Worker:
    """A worker process and the parent's end of its pipe."""

    def __init__(
        self, ctx: multiprocessing.context.BaseContext, online: bool, limits: tuple[int, int]
    ) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.conn: Connection = parent
        self.online = online
        self.process = ctx.Process(
            target=worker_main, args=(child, not online, *limits), daemon=True
        )
        self.process.start()
        child.close()
        self.waiter: asyncio.Future[object] | None = None  # the answer being waited for
        self.watched: asyncio.AbstractEventLoop | None = None

    def watch(self, loop: asyncio.AbstractEventLoop) -> None:
        """Have *loop* deliver each message of the worker to :attr:`waiter`. The reader stays
        registered for the worker's life: adding and removing it per job cost two system
        calls (and with uvloop two more to make the pipe blocking again)."""
        fd = self.conn.fileno()
        loop.add_reader(fd, self._on_readable)
        # uvloop's add_reader makes the fd non-blocking; a large answer arrives in several
        # chunks, which recv() must be allowed to wait for (the worker has finished the
        # query and is writing the rest), and a large query is written in parts.
        os.set_blocking(fd, True)
        self.watched = loop

    def unwatch(self) -> None:
        """Stop delivering messages (before the pipe is closed)."""
        loop, self.watched = self.watched, None
        if loop is not None:
            with contextlib.suppress(Exception):
                loop.remove_reader(self.conn.fileno())

    def _on_readable(self) -> None:
        waiter = self.waiter
        try:
            message = self.conn.recv()
        except Exception as exc:  # EOF: the worker died
            self.unwatch()
            if waiter is not None and not waiter.done():
                waiter.set_exception(WorkerCrashedError(_death(self, exc)))
            return
        if waiter is not None and not waiter.done():
            waiter.set_result(message)

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def kill(self) -> None:
        """Stop the process at once (SIGKILL) and reap it, so it leaves no zombie (call
        :meth:`unwatch` first, on the event loop's thread)."""
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(timeout=5)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """Worker processes, offline and online; each job runs in one, with a timeout."""

    def __init__(
        self,
        size: int,
        timeout: float,
        warm_build: str | None = None,
        start_timeout: float = 60.0,
        online_size: int = 1,
        memory_bytes: int = 0,
        stack_bytes: int = 256 * 1024 * 1024,
        client_share: int = 0,
        preempt_seconds: float = 0.25,
    ) -> None:
        self.size = max(1, size)
        self.online_size = max(0, online_size)
        self.timeout = timeout
        self.warm_build = warm_build
        self.start_timeout = start_timeout
        self.limits = (memory_bytes, stack_bytes)
        # Each client is guaranteed all workers but one, so another client's light query is
        # never locked out; a lone client may borrow the last one (see fair_share).
        share = client_share or max(1, self.size - 1)
        self._lanes: dict[bool, FairShare[_Worker]] = {
            online: FairShare(share, preempt_seconds, _preempt) for online in (False, True)
        }
        self.sandboxed = True  # until an offline worker reports it cannot leave the network
        self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded event loop
        self._all: set[_Worker] = set()
        self._closed = False

    @classmethod
    def from_settings(cls, serve: ServeSettings) -> WorkerPool:
        """The pool *serve* describes."""
        return cls(
            serve.worker_count,
            serve.timeout,
            start_timeout=serve.worker_start_seconds,
            online_size=serve.federation_workers if serve.allowed_services else 0,
            memory_bytes=serve.worker_memory_bytes,
            stack_bytes=serve.worker_stack_bytes,
            client_share=serve.client_share,
            preempt_seconds=serve.preempt_seconds,
        )

    async def start(self) -> None:
        """Start every worker and wait until each answers (and has opened the store)."""
        await asyncio.gather(
            *(self._add_worker(False) for _ in range(self.size)),
            *(self._add_worker(True) for _ in range(self.online_size)),
        )

    async def _add_worker(self, online: bool) -> None:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(None, _Worker, self._ctx, online, self.limits)
        self._all.add(worker)
        try:
            worker.watch(loop)
            hello = await self._receive(worker, self.start_timeout)
            if hello[1] and self.sandboxed:
                self.sandboxed = False
                log.warning(
                    "query workers keep the network: %s; every query is held to the guard's "
                    "strict SERVICE rule instead",
                    hello[1],
                )
            # Warm up: the first job pays for imports and opening the store, not a user query.
            job: Job = PingJob()
            if self.warm_build:
                job = QueryJob(build_dir=self.warm_build, query="ASK {}")
            await self._exchange(worker, job, timeout=self.start_timeout)
        except Exception:
            self._all.discard(worker)
            worker.unwatch()
            await loop.run_in_executor(None, worker.kill)
            if not self._closed:
                loop.call_later(1.0, lambda: asyncio.ensure_future(self._add_worker(online)))
            return
        if self._closed:
            worker.unwatch()
            worker.kill()
        else:
            self._lanes[online].add(worker)

    def pids(self) -> list[int]:
        """Process ids of the live workers (for /health and tests)."""
        return sorted(w.pid for w in self._all if w.pid is not None)

    def idle(self) -> int:
        """How many offline workers are free right now (readiness)."""
        return self._lanes[False].free()

    async def _receive(self, worker: _Worker, timeout: float) -> object:
        """The worker's next message; TimeoutError after *timeout* seconds."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[object] = loop.create_future()
        worker.waiter = future
        # A timer, not asyncio.wait_for: that costs a task and several callbacks per job.
        timer = loop.call_later(timeout, _expire, future)
        try:
            return await future
        finally:
            timer.cancel()
            worker.waiter = None

    async def _exchange(self, worker: _Worker, job: Job, timeout: float) -> Outcome:
        if worker.watched is None:  # its pipe reported the end: it died while idle
            raise WorkerCrashedError("worker exited")
        try:
            send(worker.conn, job)
        except OSError as exc:
            raise WorkerCrashedError(str(exc) or "worker exited") from None
        return await self._receive(worker, timeout)  # type: ignore[return-value]

    async def run(self, job: Job, *, network: bool = False, client: Client = None) -> Outcome:
        """Run *job* in a free worker (an online one when *network*), fairly among client
        addresses (*client*); raise :class:`QueryTimeoutError` past the timeout."""
        if network and not self.online_size:
            raise PoolBusyError("no query worker may reach the network on this server")
        lane = self._lanes[network]
        deadline = 0.0
        while True:
            lease = lane.take(client) or await self._wait(lane, client, network, deadline)
            worker = lease.worker
            # A preempted job runs again with what is left of its time, not a new allowance.
            now = time.monotonic()
            deadline = deadline or now + self.timeout
            if deadline <= now:
                lane.release(lease, returned=True)
                raise QueryTimeoutError(self._too_long())
            try:
                return await self._finish(lane, lease, job, deadline - now)
            except PreemptedError:
                await self._replace(worker)  # the lane has already let go of its lease

    async def _finish(
        self, lane: FairShare[_Worker], lease: Lease[_Worker], job: Job, timeout: float
    ) -> Outcome:
        """Run *job* on *lease*'s worker and give the worker back (or replace it)."""
        worker = lease.worker
        try:
            outcome = await self._exchange(worker, job, timeout)
        except PreemptedError:
            raise
        except BaseException as exc:
            # Timed out, crashed, or the request was cancelled: the worker's state is
            # unknown (it may still be computing), so it is replaced, never reused.
            lane.release(lease, returned=False)
            await self._replace(worker)
            if isinstance(exc, TimeoutError):
                raise QueryTimeoutError(self._too_long()) from None
            raise
        lane.release(lease, returned=True)
        return outcome

    def _too_long(self) -> str:
        return f"the query ran longer than the {self.timeout:g} s limit and was stopped"

    async def _wait(
        self, lane: FairShare[_Worker], client: Client, network: bool, deadline: float
    ) -> Lease[_Worker]:
        """A worker once one is due to *client*; :class:`PoolBusyError` after the timeout,
        or :class:`QueryTimeoutError` at the *deadline* of a preempted job (0: none)."""
        preempted = bool(deadline)
        timeout = max(0.0, deadline - time.monotonic()) if preempted else self.timeout
        try:
            return await lane.wait(client, timeout, first=preempted)
        except TimeoutError:
            if preempted:
                raise QueryTimeoutError(self._too_long()) from None
            running = lane.running(client)
            if running >= lane.share:
                raise PoolBusyError(
                    f"this client already runs {running} quer{'ies' if running > 1 else 'y'} "
                    f"and no other worker became free for {self.timeout:g} s"
                ) from None
            count = self.online_size if network else self.size
            kind = "federation" if network else "query"
            raise PoolBusyError(
                f"all {count} {kind} workers stayed busy for {self.timeout:g} s"
            ) from None

    async def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.unwatch()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, worker.kill)
        if not self._closed:
            asyncio.ensure_future(self._add_worker(worker.online))

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        loop = asyncio.get_running_loop()
        workers, self._all = list(self._all), set()
        for worker in workers:
            worker.unwatch()
        await asyncio.gather(*(loop.run_in_executor(None, w.kill) for w in workers))


def _preempt(lease: Lease[_Worker]) -> bool:
    """Stop waiting for *lease*'s job (its worker is killed next); False if it has ended."""
    waiter = lease.worker.waiter
    if waiter is None or waiter.done():
        return False
    waiter.set_exception(PreemptedError())
    return True


def _expire(future: asyncio.Future[object]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


def _death(worker: _Worker, exc: Exception) -> str:
    """Why a worker stopped answering, in words (its exit status, not a traceback)."""
    with contextlib.suppress(Exception):
        worker.process.join(timeout=1)
    code = worker.process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return f"killed by {name}; the query may need more memory than a worker may use"
    return str(exc) or "worker exited"
