"""Issue 11, item 4: a lone client uses every free worker; issue 7's protection still holds,
by preempting a busy client's surplus once another client waits (real worker processes)."""

from __future__ import annotations

import asyncio
import json
import time

from dealgraph.engine import QueryJob
from dealgraph.web.fair_share import FairShare, Lease
from dealgraph.web.worker_pool import WorkerPool

NUMBERS = " ".join(str(i) for i in range(5000))
# About 3 s of one core on this machine: 25 million rows counted, no store needed.
SLOW = (
    f"SELECT (COUNT(*) AS ?n) {{ VALUES ?a {{ {NUMBERS} }} VALUES ?b {{ {NUMBERS} }} "
    "FILTER (?a + ?b >= 0) }"
)


def _build(fixture_store) -> str:
    return str(next((fixture_store / "builds").iterdir()))


async def _fewest_free_workers_seen(build: str, callers: int, jobs: int) -> int:
    """The fewest free workers seen while *callers* of one client each run *jobs* light
    queries (every text distinct) on a pool of two."""
    pool = WorkerPool(2, timeout=30, warm_build=build, online_size=0)
    await pool.start()
    fewest = pool.idle()
    done = False

    async def caller(i: int) -> None:
        for n in range(jobs):
            outcome = await pool.run(QueryJob(build, f"ASK {{}} # {i} {n}"), client="10.0.0.1")
            assert outcome.status == 200

    async def watch() -> None:
        nonlocal fewest
        while not done:
            fewest = min(fewest, pool.idle())
            await asyncio.sleep(0)

    watcher = asyncio.create_task(watch())
    try:
        await asyncio.gather(*(caller(i) for i in range(callers)))
    finally:
        done = True
        await watcher
        await pool.close()
    return fewest


def test_a_lone_clients_concurrent_light_queries_run_on_several_workers_at_once(fixture_store):
    # Held to its share (all workers but one), this client always left one worker free.
    assert asyncio.run(_fewest_free_workers_seen(_build(fixture_store), 8, 100)) == 0


async def _flood_then_other_client(build: str) -> tuple[int, list[tuple[int, str]], float, int]:
    pool = WorkerPool(2, timeout=60, warm_build=build, online_size=0, preempt_seconds=0.25)
    await pool.start()
    try:
        flood = [
            asyncio.create_task(pool.run(QueryJob(build, f"{SLOW} # {i}"), client="10.0.0.1"))
            for i in range(2)
        ]
        await asyncio.sleep(0.5)
        free_while_flooded = pool.idle()
        started = time.monotonic()
        light = await pool.run(QueryJob(build, "ASK { }"), client="10.0.0.2")
        waited = time.monotonic() - started
        answers = [
            (o.status, json.loads(o.body)["results"]["bindings"][0]["n"]["value"])
            for o in await asyncio.gather(*flood)
        ]
        return free_while_flooded, answers, waited, light.status
    finally:
        await pool.close()


def test_another_client_preempts_a_lone_clients_surplus_query_which_runs_again(fixture_store):
    free, answers, waited, status = asyncio.run(_flood_then_other_client(_build(fixture_store)))
    assert free == 0, "the lone client should have had both workers"
    assert status == 200
    assert waited < 1.5, f"the light query waited {waited:.1f} s behind another client"
    # The preempted query was queued again, not failed: both give the full count.
    assert answers == [(200, "25000000"), (200, "25000000")]


async def _order_of_service() -> list[str]:
    """Who is served as the workers come back: "busy" took both workers while alone (its
    share is one), then queued two more jobs; "quiet" queued one."""
    preempted: list[str] = []

    def preempt(lease: Lease[str]) -> bool:
        preempted.append(lease.worker)
        return True

    fair: FairShare[str] = FairShare(1, grace=60, preempt=preempt)
    fair.add("w1")
    fair.add("w2")
    running = [fair.take("busy"), fair.take("busy")]
    waiting = {
        name: asyncio.create_task(fair.wait(name.split("-")[0], timeout=5))
        for name in ("busy-3", "busy-4", "quiet")
    }
    await asyncio.sleep(0)
    served: list[str] = []
    while running:
        fair.release(running.pop(0), returned=True)
        await asyncio.sleep(0)
        for name, turn in waiting.items():
            if turn.done() and name not in served:
                served.append(name)
                running.append(turn.result())
    assert preempted == []  # the grace period (60 s) never ran out
    return served


def test_a_free_worker_goes_to_the_waiting_client_running_fewest_jobs():
    assert asyncio.run(_order_of_service()) == ["quiet", "busy-3", "busy-4"]


async def _free_after_a_long_job() -> tuple[int, str | None]:
    fair: FairShare[str] = FairShare(1, grace=0.0, preempt=lambda lease: False)
    fair.add("w1")
    fair.add("w2")
    assert fair.take("busy") is not None  # its share; with no grace, at once a long job
    second = asyncio.create_task(fair.wait("busy", timeout=5))
    await asyncio.sleep(0.01)
    free = fair.free()
    other = fair.take("quiet")
    second.cancel()
    return free, other.worker if other else None


def test_a_client_whose_jobs_run_long_does_not_borrow_the_worker_kept_for_others():
    assert asyncio.run(_free_after_a_long_job()) == (1, "w2")
