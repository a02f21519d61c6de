"""Who gets the next free query worker: fair across client addresses, with preemption.

Each client address is *guaranteed* its share of the workers (by default all but one). It
may *borrow* a free worker beyond that while its running jobs are all young (started less
than a grace period ago): so a lone client's concurrent light queries run side by side, but
a client whose jobs run long keeps its share only, and the other workers stay free for others.

A borrowed job can still turn out long. Once another client waits, and is entitled to a
worker, the oldest job of a client running more than its share is preempted when it has run
for the grace period. pyoxigraph cannot cancel a query, so preempting means killing that
worker; the job goes back to the head of its client's line and runs again when a worker is
due to it (it is read-only, so running it again gives the same answer).

A free worker goes to the waiting client with the fewest running jobs (ties: in turn), so a
client that floods the server never starves one that sends a query now and then. This module
only decides; :class:`~dealgraph.web.worker_pool.WorkerPool` runs jobs, kills workers and
starts new ones.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

W = TypeVar("W")  # a worker: this module never looks inside one
Client = str | None  # an address; None for the server's own jobs (pages, dumps)


class Lease(Generic[W]):
    """One job's hold on one worker, from the moment it got the worker."""

    __slots__ = ("client", "ended", "started", "worker")

    def __init__(self, client: Client, worker: W) -> None:
        self.client = client
        self.worker = worker
        self.started = time.monotonic()
        self.ended = False


class FairShare(Generic[W]):
    """Free workers of one kind (offline or online) and the clients waiting for them.

    Invariant: after every change, a worker is free only while every waiting client runs at
    least its share and has a job older than the grace period (it may not borrow)."""

    def __init__(self, share: int, grace: float, preempt: Callable[[Lease[W]], bool]) -> None:
        """Guarantee each client *share* workers; preempt a surplus job older than *grace*
        seconds while another client waits for one, by calling *preempt* with its lease
        (which answers False when that job has finished meanwhile)."""
        self.share = share
        self.grace = grace
        self._preempt = preempt
        self._free: deque[W] = deque()
        self._lines: dict[Client, deque[asyncio.Future[Lease[W]]]] = {}
        self._leases: dict[Client, list[Lease[W]]] = {}
        self._timer: asyncio.TimerHandle | None = None
        # Workers killed by preemption whose replacements are not here yet (roughly: any
        # worker that comes back counts as one of them).
        self._coming = 0

    def free(self) -> int:
        """How many workers are free right now."""
        return len(self._free)

    def running(self, client: Client) -> int:
        """How many jobs *client* runs right now."""
        return len(self._leases.get(client, ()))

    def add(self, worker: W) -> None:
        """A worker became free (new, or back from a job)."""
        self._free.append(worker)
        self._coming = max(0, self._coming - 1)
        self._dispatch()
        if self._lines:  # a preempted worker's replacement may not have been enough
            self._consider_preempting()

    def take(self, client: Client) -> Lease[W] | None:
        """A free worker for *client* at once, or None (then :meth:`wait`)."""
        if not self._free or not self._may_run(client):
            return None
        return self._lease(client, self._free.popleft())

    async def wait(self, client: Client, timeout: float, first: bool = False) -> Lease[W]:
        """Queue *client* for the next worker due to it (*first*: at the head of its line,
        for a job that was preempted); TimeoutError after *timeout* seconds."""
        if lease := self.take(client):
            return lease
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[Lease[W]] = loop.create_future()
        line = self._lines.setdefault(client, deque())
        if first:
            line.appendleft(turn)
        else:
            line.append(turn)
        self._consider_preempting()
        timer = loop.call_later(timeout, _expire, turn)
        try:
            return await turn
        except BaseException:
            # Timed out or cancelled; a worker handed over meanwhile goes to the next in line.
            if turn.done() and not turn.cancelled() and turn.exception() is None:
                self.release(turn.result(), returned=True)
            else:
                self._leave(client, turn)
            raise
        finally:
            timer.cancel()

    def release(self, lease: Lease[W], returned: bool) -> None:
        """*lease*'s job ended; its worker is free again when *returned* (not when it was
        killed: its replacement comes through :meth:`add`). Once per lease: a job preempted
        just as its request was cancelled is released by whichever comes first."""
        if lease.ended:
            return
        lease.ended = True
        held = self._leases[lease.client]
        held.remove(lease)
        if not held:
            del self._leases[lease.client]
        if returned:
            self.add(lease.worker)

    # ------------------------------------------------------------------ internals

    def _lease(self, client: Client, worker: W) -> Lease[W]:
        lease = Lease(client, worker)
        self._leases.setdefault(client, []).append(lease)
        return lease

    def _leave(self, client: Client, turn: asyncio.Future[Lease[W]]) -> None:
        line = self._lines.get(client)
        if line is not None and turn in line:
            line.remove(turn)
            if not line:
                del self._lines[client]

    def _may_run(self, client: Client) -> bool:
        """Within its share, or every job it runs is young enough to borrow a worker for."""
        leases = self._leases.get(client, ())
        if len(leases) < self.share:
            return True
        young = time.monotonic() - self.grace
        return all(lease.started > young for lease in leases)

    def _dispatch(self) -> None:
        """Hand free workers to waiting clients, the one running fewest jobs first."""
        while self._free and self._lines:
            eligible = [c for c in self._lines if self._may_run(c)]
            if not eligible:
                return  # the free workers stay for clients with light or no jobs
            client = min(eligible, key=self.running)  # ties: the first in line
            line = self._lines[client]
            turn = line.popleft()
            del self._lines[client]
            if line:  # to the back: equals take turns
                self._lines[client] = line
            if turn.done():  # its caller gave up
                continue
            turn.set_result(self._lease(client, self._free.popleft()))

    def _consider_preempting(self) -> None:
        """Preempt the oldest surplus job now, or set a timer for when it is old enough,
        while clients entitled to a worker wait for more workers than are coming."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while not self._free and self._entitled() > self._coming:
            surplus = [
                lease
                for leases in self._leases.values()
                if len(leases) > self.share
                for lease in leases
            ]
            if not surplus:
                return  # every client runs within its share: wait for a job to finish
            victim = min(surplus, key=lambda lease: lease.started)
            delay = victim.started + self.grace - time.monotonic()
            if delay > 0:
                loop = asyncio.get_running_loop()
                self._timer = loop.call_later(delay, self._consider_preempting)
                return
            if not self._preempt(victim):
                return  # it finished meanwhile: its worker is on its way back
            self.release(victim, returned=False)
            self._coming += 1

    def _entitled(self) -> int:
        """How many waiting jobs are within their client's share."""
        return sum(
            min(len(line), self.share - self.running(client))
            for client, line in self._lines.items()
            if self.running(client) < self.share
        )


def _expire(turn: asyncio.Future[object]) -> None:
    if not turn.done():
        turn.set_exception(TimeoutError())
