"""Event ingestion through the real service: how fast a phone's backlog drains after a day offline.

    uv run python bench/ingest.py [--assignments 20] [--logs 50]

Starts the dispatch service on 127.0.0.1 (uvicorn, SQLite in a temp dir), creates approved assignments for one
engineer, then sends each assignment's day of events (arrive, start, N log entries, sign-off) in batches of 50
through the typed client — first delivery, then the same batches again (all duplicates).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client import DispatchClient
from api_client.clock import FixedClock
from api_client.wire import EngineerIn
from tests.clock import clock as test_clock
from tests.conftest import DISPATCHER_TOKEN, start_service
from tests.factories import request_data


def day_of_events(assignment_id: str, logs: int, t0: datetime) -> list[dict]:
    def ev(kind: str, minutes: float, **fields: object) -> dict:
        return {
            "id": str(uuid.uuid4()),
            "assignment_id": assignment_id,
            "kind": kind,
            "device_time": (t0 + timedelta(minutes=minutes)).isoformat(),
            **fields,
        }

    events = [ev("arrive", 0), ev("start_work", 2, assisted_by="Ken Ito")]
    events += [ev("log", 3 + i, text=f"step {i}: checked and recorded") for i in range(logs)]
    events.append(
        ev(
            "sign_off",
            4 + logs,
            signer_name="Ken Ito",
            approve_leaving=True,
            confirmed_steps=[0],
            strokes=[[(float(x), float(x % 7)) for x in range(40)]],
        )
    )
    return events


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--assignments", type=int, default=20)
    p.add_argument("--logs", type=int, default=50)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(test_clock())
        svc = start_service(Path(tmp) / "bench.sqlite3", clock=clock, mail_spool_dir=Path(tmp) / "mail")
        try:
            with DispatchClient(svc.url, DISPATCHER_TOKEN) as d:
                eng = d.add_engineer(EngineerIn(name="Bench Engineer", email="bench@example.com"))
                ids = []
                for _ in range(args.assignments):
                    a = d.create_assignment(request_data())
                    d.propose(a.id, [eng.engineer.id])
                    d.approve(a.id, "Bench")
                    ids.append(a.id)
            t0 = clock() + timedelta(minutes=10)  # on site after the approval ...
            clock.advance(timedelta(hours=8))  # ... and synced at the end of the day
            events = [e for aid in ids for e in day_of_events(aid, args.logs, t0)]
            batches = [events[i : i + 50] for i in range(0, len(events), 50)]
            with DispatchClient(svc.url, eng.token) as c:
                start = time.perf_counter()
                for b in batches:
                    assert all(r.outcome == "applied" for r in c.send_events(b).results)
                first = time.perf_counter() - start
                start = time.perf_counter()
                for b in batches:
                    assert all(r.outcome == "duplicate" for r in c.send_events(b).results)
                again = time.perf_counter() - start
        finally:
            svc.stop()
    n = len(events)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"events: {n} in {len(batches)} batches ({args.assignments} assignments, sign-off renders a PDF each)")
    print(f"first delivery: {first:.2f} s  = {n / first:,.0f} events/s  ({first / n * 1000:.2f} ms/event)")
    print(f"redelivery (all duplicates): {again:.2f} s = {n / again:,.0f} events/s")
    print(f"peak RSS of this process (service + client): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
