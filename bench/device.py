"""The phone side: recording actions and rendering state from the device store, no network.

    uv run --frozen python bench/device.py [--backlogs 50,500,5000] [--taps 100] [--queue 10000]

Measures, in one run:
- a tap (the local rule check + the outbox append in one fsync'd SQLite transaction + the view state's update)
  with N unsent actions already queued, against the store's bare append (`DeviceStore.enqueue`) timed
  interleaved with it on the same store: the floor a tap cannot go below;
- the assignment screen's models (DetailModel + OnSiteModel) right after a tap;
- a restart, each in a fresh interpreter (`--probe`): the store read at start (`AppState.load_local`), then the
  assignment screen's first render — the visit read back from the fold stored on the device with the later
  actions folded on top — against, in the same run and interleaved, the first render as it was before (every
  unsent action decoded and `apply`'d one at a time) and the first render with no fold stored (all folded by
  `lifecycle.fold`, then stored); wall and CPU time, medians of 5; and once with the stored fold 99 actions
  behind (the most it can be: it is stored every 100);
- queueing `--queue` actions one tap after the other on a fresh device (a long day offline, sped up).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client.events import LogEvent, visit_event_adapter
from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Refused, Role, Status, VisitState, apply
from api_client.wire import Assignment, Engineer
from field_app.actions import VisitActions
from field_app.detail_model import DetailModel
from field_app.device_store import DeviceStore
from field_app.fold_snapshot import SAVE_EVERY
from field_app.main import freeze_start_up
from field_app.on_site_model import OnSiteModel
from field_app.state import AppState, _Fold
from tests.clock import clock
from tests.factories import request_data

ME = Engineer(id="ENG-1", name="Bench", company="eCorpOne", skill_level="senior")


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
    me = ME
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


def one_by_one(d: Device) -> None:
    """The first render as it was before `lifecycle.fold` and the stored fold: every unsent action decoded and
    applied with its own `apply` (which copies the work log each time) from the server's copy, kept as the
    screen's fold, then the screen's models."""
    s = d.state
    a, card, me = s.assignment(d.assignment_id), s.rate_card, s.engineer
    assert a is not None and card is not None and me is not None
    entries = s.outbox.get(a.id, [])
    todo = [e for e in entries if e.affects_local_state]
    state = a.visit
    for entry in todo:
        try:
            event = visit_event_adapter.validate_json(entry.body_json)
            state = apply(state, a.request, event, role=Role.engineer, actor=me.id, card=card)
        except Refused:
            continue
    s._folds[a.id] = _Fold(a, card, entries, [e.seq for e in todo], state)
    d.screen()


def probe(mode: str, path: str) -> None:
    """One app start in this fresh process, on a device store the bench filled (`restart`): the store read at
    start, then, by `mode`, the assignment screen's first render (`first`); the same as it was before, with the
    event-by-event fold (`old`); the first render with no fold stored (`cold`)."""
    store = DeviceStore(path)
    if mode == "cold":
        with store.transaction() as db:
            db.execute("DELETE FROM folds")
    now = clock()
    s = AppState(store=store, engineer=ME, clock=lambda: now + timedelta(hours=1))
    cpu: list[float] = []
    start = timed(s.load_local)
    freeze_start_up()  # as the app does after the store read at start (field_app.main)
    s.engineer = ME  # signed in (the bench's device keeps no session)
    d = Device(s, VisitActions(s, "ASG-1"), "ASG-1")
    took = timed(lambda: one_by_one(d) if mode == "old" else d.screen(), cpu)
    store.close()
    print(json.dumps({"start": start, "took": took, "cpu": cpu[0]}))


def restart(path: Path, mode: str) -> dict[str, float]:
    """`probe` in a new process: a restart is a new interpreter, with its own heap (the collector's work)."""
    out = subprocess.run(
        [sys.executable, __file__, "--probe", mode, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.splitlines()[-1])


def backlog(n: int, taps: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        d = device(Path(tmp))
        prefill(d, n)
        d.state.outbox_changed()  # as after a restart: the app reads the outbox once
        d.screen()  # the first render: folds them all (the bench's set-up; the restarts below measure it)
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
        # The first render after a restart, interleaved with what it is compared with in the same run: the
        # event-by-event fold of the same actions (the first render's work before) and the first render with no
        # fold stored (which folds them all, and stores the fold). Each in a fresh process.
        path = Path(tmp) / "device.sqlite3"
        runs: dict[str, list[dict[str, float]]] = {"first": [], "old": [], "cold": []}
        for _ in range(5):
            for mode, out in runs.items():
                out.append(restart(path, mode))
        # The worst case: the stored fold SAVE_EVERY - 1 actions behind (the app stores it every SAVE_EVERY).
        prefill(d, SAVE_EVERY - 1)
        behind = [restart(path, "first") for _ in range(3)]
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
        "start": ms([r["start"] for r in runs["first"]]),
        **{k: ms([r["took"] for r in out]) for k, out in runs.items()},
        **{f"{k}_cpu": ms([r["cpu"] for r in out]) for k, out in runs.items()},
        "behind": ms([r["took"] for r in behind]),
        "behind_cpu": ms([r["cpu"] for r in behind]),
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
    if sys.argv[1:2] == ["--probe"]:
        return probe(sys.argv[2], sys.argv[3])
    p = argparse.ArgumentParser()
    p.add_argument("--backlogs", default="50,500,5000", help="unsent actions already queued (comma-separated)")
    p.add_argument("--taps", type=int, default=100, help="taps measured at each backlog")
    p.add_argument("--queue", type=int, default=10_000, help="actions queued one tap after the other (0: skip)")
    args = p.parse_args()
    rows = []
    print(
        "| unsent | tap median / p95 | bare append median / p95 | tap ÷ append | CPU: tap / append "
        "| screen after a tap |"
    )
    print("|---|---|---|---|---|---|")
    for n in (int(x) for x in args.backlogs.split(",")):
        r = backlog(n, args.taps)
        rows.append((n, r))
        print(
            f"| {n:,} | {r['tap']:.2f} / {r['tap95']:.2f} ms | {r['bare']:.2f} / {r['bare95']:.2f} ms "
            f"| {r['tap'] / r['bare']:.1f}× | {r['tap_cpu']:.2f} / {r['bare_cpu']:.2f} ms "
            f"| {r['after']:.2f} ms |",
            flush=True,
        )
    print()
    print(
        "| unsent | restart: the store read at start | first render after it (CPU) | the same, stored fold "
        f"{SAVE_EVERY - 1} actions behind (CPU) | before: event-by-event fold, same run (CPU) | first ÷ before (CPU) "
        "| no fold stored: fold all + store it (CPU) |"
    )
    print("|---|---|---|---|---|---|---|")
    for n, r in rows:
        print(
            f"| {n:,} | {r['start']:.1f} ms | {r['first']:.1f} ms ({r['first_cpu']:.1f}) "
            f"| {r['behind']:.1f} ms ({r['behind_cpu']:.1f}) | {r['old']:.1f} ms ({r['old_cpu']:.1f}) "
            f"| {r['first'] / r['old']:.2f}× ({r['first_cpu'] / r['old_cpu']:.2f}×) "
            f"| {r['cold']:.1f} ms ({r['cold_cpu']:.1f}) |"
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
