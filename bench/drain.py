"""A day offline, drained: a crew's queued actions delivered through the app's own sync, against a baseline
of one POST per event (plain httpx) measured in the same run on the same service.

    uv run python bench/drain.py [--actions 10000] [--assignments 10] [--crew 4] [--baseline 1000] [--postgres]
                                 [--phones-apart]

The service runs on 127.0.0.1 (uvicorn in this process, SQLite in a temp dir, or a throwaway PostgreSQL 15
cluster with --postgres). Every engineer of the crew has a real device store with their share of the actions
queued (arrivals, the start of work, log entries, across all assignments); the drain is every device's
`Syncer.push` running at once until all outboxes are empty — in this process (sharing its GIL with the service,
as the figures before 2026-12 were measured) or, with --phones-apart, in a process of their own (they are other
devices). The baseline sends other, equally shaped events one request each. Figures are medians of --runs runs;
the ratio is the one to quote.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client import DispatchClient
from api_client.client import AsyncDispatchClient
from api_client.clock import FixedClock
from api_client.wire import EngineerIn
from field_app.device_store import Delivery, DeviceStore
from field_app.sync import Syncer
from tests.clock import clock as test_clock
from tests.conftest import DISPATCHER_TOKEN, LiveService, start_service
from tests.factories import request_data


def crew_day(url: str, clock: FixedClock, crew: int, assignments: int) -> tuple[list[tuple[str, str]], list[str]]:
    with DispatchClient(url, DISPATCHER_TOKEN) as desk:
        people = [desk.add_engineer(EngineerIn(name=f"Bench {n}", email=f"b{n}@example.com")) for n in range(crew)]
        ids = []
        for _ in range(assignments):
            a = desk.create_assignment(request_data(engineer_count=crew, reserved_hours=8))
            desk.propose(a.id, [p.engineer.id for p in people])
            desk.approve(a.id, "Bench")
            ids.append(a.id)
    return [(p.engineer.id, p.token) for p in people], ids


def actions(assignment_ids: list[str], engineers: int, total: int, t0) -> list[list[dict]]:
    """`total` actions over the assignments, per engineer in device order: arrive, (lead) start, then logs."""
    per_engineer: list[list[dict]] = [[] for _ in range(engineers)]
    per_assignment = total // len(assignment_ids)
    for aid in assignment_ids:
        made = 0

        def ev(n: int, kind: str, seconds: float, aid: str = aid, **fields: object) -> None:
            nonlocal made
            at = (t0 + timedelta(seconds=seconds)).isoformat()
            per_engineer[n].append(
                {"id": str(uuid.uuid4()), "assignment_id": aid, "kind": kind, "device_time": at, **fields}
            )
            made += 1

        for n in range(engineers):
            ev(n, "arrive", n)
        ev(0, "start_work", engineers, assisted_by="Ken Ito")
        i = 0
        while made < per_assignment:
            ev(i % engineers, "log", 10 + i, text=f"step {i}: checked, labelled and photographed")
            i += 1
    return per_engineer


def queued(tokens: list[tuple[str, str]], queues: list[list[dict]], tmp: Path) -> list[Path]:
    """Each engineer's phone store with their actions queued (during the day, one tap at a time; not measured)."""
    paths = []
    for n, queue in enumerate(queues):
        path = tmp / f"device-{uuid.uuid4().hex[:6]}-{n}.sqlite3"
        store = DeviceStore(path)
        with store.transaction() as db:
            for body in queue:
                db.execute(
                    "INSERT INTO outbox (event_id, assignment_id, kind, body, device_time, state) "
                    "VALUES (?, ?, ?, ?, ?, 'pending')",
                    (body["id"], body["assignment_id"], body["kind"], _json(body), body["device_time"]),
                )
        store.close()
        paths.append(path)
    return paths


class Phones:
    """The crew's phones, each syncing in its own thread: `run()` is every `Syncer.push` at once, to the end."""

    def __init__(self, url: str, tokens: list[str], paths: list[Path]) -> None:
        self.stores = [DeviceStore(path) for path in paths]
        # The app makes its client once per session (not per sync): made here, before the clock starts.
        self.clients = [AsyncDispatchClient(url, token, timeout=60) for token in tokens]

    def run(self) -> None:
        async def push(store: DeviceStore, client: AsyncDispatchClient) -> None:
            try:
                await Syncer(store, client).push()
            finally:
                await client.aclose()

        threads = [
            threading.Thread(target=lambda s=s, c=c: asyncio.run(push(s, c)))
            for s, c in zip(self.stores, self.clients, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def close(self) -> None:
        for store in self.stores:
            counts = store.counts()
            assert counts[Delivery.sent] == sum(counts.values()), counts  # everything applied, nothing refused
            store.close()


def drain(svc: LiveService, tokens: list[tuple[str, str]], paths: list[Path], apart: bool) -> tuple[float, float]:
    """(seconds, CPU seconds of this process while it drained: the service, and the phones unless `apart`)."""
    child = None
    if apart:  # the phones in a process of their own, as they are other devices: started before the clock
        args = [x for (_, token), path in zip(tokens, paths, strict=True) for x in (token, str(path))]
        child = subprocess.Popen(
            [sys.executable, __file__, "--phones-of", svc.url, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == b"ready"
    else:
        phones = Phones(svc.url, [token for _, token in tokens], paths)
    gc.collect()
    gc.freeze()  # the queued actions and the service's start-up objects: as `field-dispatch serve` does after start-up
    start, cpu = time.perf_counter(), time.process_time()
    if child is not None:
        child.stdin.write(b"go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == b"done"
    else:
        phones.run()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if child is not None:
        assert child.wait(timeout=60) == 0
        phones = Phones(svc.url, [], [])
        phones.stores = [DeviceStore(path) for path in paths]
    phones.close()
    return elapsed, cpu


def phones_of(url: str, args: list[str]) -> None:
    """The child process of --phones-apart: ready, then on `go` every phone's sync at once, then `done`."""
    phones = Phones(url, args[0::2], [Path(p) for p in args[1::2]])
    gc.collect()
    gc.freeze()
    print("ready", flush=True)
    sys.stdin.readline()
    phones.run()
    print("done", flush=True)
    for store in phones.stores:
        store.close()


def per_event_loop(svc: LiveService, token: str, events: list[dict]) -> float:
    with httpx.Client(base_url=svc.url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        start = time.perf_counter()
        for body in events:
            r = http.post("/v1/events/batch", json={"events": [body]})
            assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied", r.text
        return time.perf_counter() - start


def _json(body: dict) -> str:
    import json

    return json.dumps(body, ensure_ascii=False)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--actions", type=int, default=10_000)
    p.add_argument("--assignments", type=int, default=10)
    p.add_argument("--crew", type=int, default=4)
    p.add_argument("--baseline", type=int, default=1_000, help="events sent one per request (the baseline)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL 15 cluster instead of SQLite")
    p.add_argument("--phones-apart", action="store_true", help="the phones in a process of their own")
    p.add_argument("--phones-of", nargs="+", help=argparse.SUPPRESS)  # the child process of --phones-apart
    args = p.parse_args()
    if args.phones_of:
        phones_of(args.phones_of[0], args.phones_of[1:])
        return

    drains, cpus, loops = [], [], []
    with tempfile.TemporaryDirectory() as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        cluster = None
        if args.postgres:
            from tests.postgres import postgres_cluster

            cluster = stack.enter_context(postgres_cluster())
        for run in range(args.runs):
            clock = FixedClock(test_clock())
            db = cluster.new_database() if cluster else None
            svc = start_service(tmp / f"drain-{run}.sqlite3", database_url=db, clock=clock, mail_spool_dir=tmp / "m")
            try:
                tokens, ids = crew_day(svc.url, clock, args.crew, args.assignments)
                t0 = clock() + timedelta(minutes=10)
                clock.advance(timedelta(hours=9))  # back in signal at the end of the day
                queues = actions(ids, args.crew, args.actions, t0)
                extra = actions(ids, args.crew, args.baseline, t0 + timedelta(hours=6))
                baseline_events = [e for q in extra for e in q if e["kind"] == "log"][: args.baseline]
                # Side by side on the same service, machine and moment; the baseline's log entries need the
                # crew on site, so they follow the drain.
                seconds, cpu = drain(svc, tokens, queued(tokens, queues, tmp), args.phones_apart)
                drains.append(seconds)
                cpus.append(cpu)
                loops.append(per_event_loop(svc, tokens[0][1], baseline_events) / len(baseline_events))
            finally:
                svc.stop()
    n = sum(len(q) for q in queues)
    drain_s = statistics.median(drains)
    loop_per_event = statistics.median(loops)
    loop_s = loop_per_event * n
    store = "PostgreSQL 15" if args.postgres else "SQLite (WAL)"
    where = "the phones in a process of their own" if args.phones_apart else "the service and the phones in one process"
    print(
        f"{store}: {n:,} queued actions, {args.crew} engineers, {args.assignments} assignments, {args.runs} runs; "
        + where
    )
    print(
        f"drain through the app's sync: {drain_s:.2f} s = {n / drain_s:,.0f} events/s  (runs: "
        + ", ".join(f"{d:.2f}" for d in drains)
        + f"); CPU of {'the service' if args.phones_apart else 'both'} {statistics.median(cpus):.2f} s"
    )
    print(
        f"baseline, one POST per event: {loop_per_event * 1000:.2f} ms/event = {1 / loop_per_event:,.0f} events/s"
        f" -> {loop_s:.1f} s for the same {n:,}"
    )
    print(f"ratio: the drain is {loop_s / drain_s:.1f}x the per-event loop")


if __name__ == "__main__":
    main()
