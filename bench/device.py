"""The phone side: recording actions and rendering state from the device store, no network.

    uv run python bench/device.py [--events 500]

Measures: one tap (local rule check + outbox append in one SQLite transaction, fsync on), and the
assignment screen's state (the server copy with N unsent actions folded through the rules).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Status, VisitState
from api_client.wire import Assignment, Engineer
from field_app.actions import VisitActions
from field_app.detail_model import DetailModel
from field_app.device_store import DeviceStore
from field_app.state import AppState
from tests.factories import request_data


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--events", type=int, default=500)
    args = p.parse_args()
    now = datetime.now(UTC)
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
    with tempfile.TemporaryDirectory() as tmp:
        store = DeviceStore(Path(tmp) / "device.sqlite3")
        store.replace_assignments([a], now)
        store.save_rate_card(EXAMPLE_RATE_CARD)
        state = AppState(store=store, engineer=me)
        state.load_local()
        state.engineer = me
        actions = VisitActions(state, a.id)
        t = now - timedelta(hours=6)
        state.clock = lambda: t
        actions.arrive(None)
        actions.start_work("Ken")
        taps = []
        for i in range(args.events):
            start = time.perf_counter()
            assert actions.log(f"entry {i}").ok
            taps.append(time.perf_counter() - start)
        renders, cold = [], []
        for _ in range(20):
            state._folds.clear()  # first render after a change: fold every unsent action again
            start = time.perf_counter()
            DetailModel.of(state, state.assignment(a.id), now)
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            DetailModel.of(state, state.assignment(a.id), now)
            renders.append(time.perf_counter() - start)
        size = (Path(tmp) / "device.sqlite3").stat().st_size + (Path(tmp) / "device.sqlite3-wal").stat().st_size
    q = statistics.quantiles(taps, n=100)
    print(f"tap -> outbox (rule check + fsync'd insert), {args.events} log entries:")
    print(f"  median {statistics.median(taps) * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms, max {max(taps) * 1000:.1f} ms")
    print(
        f"assignment screen model with {args.events + 2} unsent actions: first render after a change "
        f"{statistics.median(cold) * 1000:.1f} ms, re-render {statistics.median(renders) * 1000:.2f} ms"
    )
    print(f"device store on disk: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
