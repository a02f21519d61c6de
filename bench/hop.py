"""The cost of dealgraph's process hop alone: its worker pool, without HTTP.

dealgraph evaluates every query it has not cached in a killable worker process
(``dealgraph.web.worker_pool.WorkerPool``): the job is pickled, written to a pipe, the worker
wakes up, runs it, pickles the answer and writes it back, and the event loop wakes up on the
pipe. This probe drives that pool directly with ``ASK {}`` jobs, on the same event loop
uvicorn picks (uvloop when installed), so the hop can be told apart from the HTTP stack.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from dealgraph.engine import QueryJob
from dealgraph.store import current_build
from dealgraph.web.worker_pool import WorkerPool


@dataclass
class Hop:
    """Per-job figures of the worker pool alone, for ``ASK {}`` (µs, jobs/s)."""

    round_trip_us: float  # p50 of one job, sequential: pool.run() until the answer is back
    worker_us: float  # p50 of the time inside the worker (query + serialization)
    concurrent_jobs_per_s: float  # with *callers* concurrent callers on *workers* workers
    callers: int
    workers: int
    loop: str

    @property
    def hop_us(self) -> float:
        """What the hop adds to a job: round trip minus the time spent in the worker."""
        return self.round_trip_us - self.worker_us


def _new_loop() -> tuple[asyncio.AbstractEventLoop, str]:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop(), "asyncio"
    return uvloop.new_event_loop(), "uvloop"


def probe(
    store_dir: Path, workers: int, callers: int, sequential: int = 2000, duration_s: float = 2.0
) -> Hop:
    """Time *sequential* single jobs, then *callers* concurrent callers for *duration_s*."""
    build = current_build(store_dir)
    if build is None:
        raise RuntimeError(f"nothing published in {store_dir}")

    async def main() -> tuple[list[float], list[float], float]:
        pool = WorkerPool(workers, timeout=60, warm_build=str(build))
        await pool.start()
        try:
            n = 0

            def job() -> QueryJob:
                nonlocal n
                n += 1  # distinct texts, as the benchmark's uncached requests are
                return QueryJob(build_dir=str(build), query=f"ASK {{}}\n# {n}\n")

            for _ in range(50):  # warm-up
                await pool.run(job())
            trips: list[float] = []
            inside: list[float] = []
            for _ in range(sequential):
                started = time.perf_counter()
                outcome = await pool.run(job())
                trips.append(time.perf_counter() - started)
                inside.append(outcome.elapsed)
            done = 0
            deadline = time.perf_counter() + duration_s

            async def caller() -> None:
                nonlocal done
                while time.perf_counter() < deadline:
                    await pool.run(job())
                    done += 1

            started = time.perf_counter()
            await asyncio.gather(*(caller() for _ in range(callers)))
            return trips, inside, done / (time.perf_counter() - started)
        finally:
            await pool.close()

    loop, name = _new_loop()
    try:
        trips, inside, rate = loop.run_until_complete(main())
    finally:
        loop.close()
    return Hop(
        statistics.median(trips) * 1e6,
        statistics.median(inside) * 1e6,
        rate,
        callers,
        workers,
        name,
    )


if __name__ == "__main__":  # python bench/hop.py STORE_DIR
    import sys

    print(probe(Path(sys.argv[1]), workers=2, callers=8))
