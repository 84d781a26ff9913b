"""The phone side: recording actions and rendering state from the device store, no network.

    uv run --frozen python bench/device.py [--backlogs 50,500,5000] [--taps 100] [--queue 10000]

Measures, in one run:
- a tap (the local rule check + the outbox append in one fsync'd SQLite transaction + the view state's update)
  with N unsent actions already queued, against the store's bare append (`DeviceStore.enqueue`) timed
  interleaved with it on the same store: the floor a tap cannot go below;
- the assignment screen's models (DetailModel + OnSiteModel) right after a tap, and on the first render after a
  restart (nothing folded yet);
- queueing `--queue` actions one tap after the other on a fresh device (a long day offline, sped up).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client.events import LogEvent
from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Status, VisitState
from api_client.wire import Assignment, Engineer
from field_app.actions import VisitActions
from field_app.detail_model import DetailModel
from field_app.device_store import DeviceStore
from field_app.on_site_model import OnSiteModel
from field_app.state import AppState
from tests.clock import clock
from tests.factories import request_data


@dataclass
class Device:
    state: AppState
    actions: VisitActions
    assignment_id: str

    def screen(self) -> None:
        a = self.state.assignment(self.assignment_id)
        assert a is not None
        DetailModel.of(self.state, a, self.state.clock())
        OnSiteModel.of(self.state, a)


def device(folder: Path) -> Device:
    """A signed-in device with one approved visit, arrived and working (so log entries are accepted)."""
    now = clock()
    request = ServiceRequest.model_validate(request_data())
    me = Engineer(id="ENG-1", name="Bench", company="eCorpOne", skill_level="senior")
    visit = VisitState(status=Status.approved, engineer_ids=["ENG-1"], approved_at=now, approved_by="x")
    a = Assignment(
        id="ASG-1",
        request=request,
        status=Status.approved,
        expedited=False,
        requested_at=now,
        created_at=now,
        updated_at=now,
        engineers=[me],
        visit=visit,
    )
    store = DeviceStore(folder / "device.sqlite3")
    store.replace_assignments([a], now)
    store.save_rate_card(EXAMPLE_RATE_CARD)
    state = AppState(store=store, engineer=me, clock=lambda: now + timedelta(hours=1))
    state.load_local()
    state.engineer = me
    actions = VisitActions(state, a.id)
    assert actions.arrive(None).ok and actions.start_work("Ken").ok, state.notice
    return Device(state, actions, a.id)


def prefill(d: Device, n: int) -> None:
    """n unsent log entries queued earlier (one transaction: the bench's set-up, not what it measures)."""
    at = d.state.clock()
    with d.state.store.transaction() as db:
        for i in range(n):
            d.state.store.enqueue(LogEvent(assignment_id=d.assignment_id, device_time=at, text=f"earlier {i}"), db)


def timed(fn: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Wall seconds of fn(); its CPU seconds appended to `cpu` (the wall time less the waits for fsync)."""
    start, on_cpu = time.perf_counter(), time.process_time()
    fn()
    if cpu is not None:
        cpu.append(time.process_time() - on_cpu)
    return time.perf_counter() - start


def ms(xs: list[float], q: int = 50) -> float:
    return (statistics.median(xs) if q == 50 else statistics.quantiles(xs, n=100)[q - 1]) * 1000


def backlog(n: int, taps: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        d = device(Path(tmp))
        prefill(d, n)
        d.state.outbox_changed()  # as after a restart: the app reads the outbox once
        first = [timed(d.screen)]  # the first render after start: everything folded once
        tap, bare, after, tap_cpu, bare_cpu = [], [], [], [], []
        at = d.state.clock()
        for i in range(taps):
            event = LogEvent(assignment_id=d.assignment_id, device_time=at, text=f"bare {i}")
            if i % 2:  # alternate which goes first: an fsync's cost depends on what the disk did just before
                bare.append(timed(lambda event=event: d.state.store.enqueue(event), bare_cpu))
            tap.append(timed(lambda i=i: d.actions.log(f"entry {i}"), tap_cpu))
            after.append(timed(d.screen))  # the screen re-renders from the state the tap left
            if not i % 2:
                bare.append(timed(lambda event=event: d.state.store.enqueue(event), bare_cpu))
        for _ in range(3):  # cold again: a fresh fold of everything (the cache dropped)
            d.state._folds.clear()
            first.append(timed(d.screen))
        assert d.state.waiting >= n + taps, d.state.notice
        d.state.store.close()
    return {
        "tap": ms(tap),
        "tap95": ms(tap, 95),
        "bare": ms(bare),
        "bare95": ms(bare, 95),
        "after": ms(after),
        "tap_cpu": ms(tap_cpu),
        "bare_cpu": ms(bare_cpu),
        "first": ms(first),
    }


def queue(n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        d = device(Path(tmp))
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            d.actions.log(f"entry {i}")
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert d.state.waiting == n + 2, d.state.notice
        d.state.store.close()
    return took, cpu


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--backlogs", default="50,500,5000", help="unsent actions already queued (comma-separated)")
    p.add_argument("--taps", type=int, default=100, help="taps measured at each backlog")
    p.add_argument("--queue", type=int, default=10_000, help="actions queued one tap after the other (0: skip)")
    args = p.parse_args()
    print(
        "| unsent | tap median / p95 | bare append median / p95 | tap ÷ append | CPU: tap / append "
        "| screen after a tap | first render |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in (int(x) for x in args.backlogs.split(",")):
        r = backlog(n, args.taps)
        print(
            f"| {n:,} | {r['tap']:.2f} / {r['tap95']:.2f} ms | {r['bare']:.2f} / {r['bare95']:.2f} ms "
            f"| {r['tap'] / r['bare']:.1f}× | {r['tap_cpu']:.2f} / {r['bare_cpu']:.2f} ms "
            f"| {r['after']:.2f} ms | {r['first']:.1f} ms |",
            flush=True,
        )
    if args.queue:
        took, cpu = queue(args.queue)
        each = took / args.queue * 1000
        print(
            f"queueing {args.queue:,} actions, one tap after the other: {took:.1f} s ({each:.2f} ms a tap; "
            f"{cpu:.1f} s of it on the CPU, the rest waiting for fsync)"
        )


if __name__ == "__main__":
    main()
