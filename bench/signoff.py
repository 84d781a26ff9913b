"""The client's sign-off as the phone waits for it, against one work-log entry in the same run.

    uv run python bench/signoff.py [--visits 20]

The service runs on 127.0.0.1 (SQLite, a temp dir). Each visit is approved, arrived and working, with 30 log
entries; then the sign-off batch is timed from request to answer, and one more log entry on another visit is
timed the same way as the baseline. The report and the mail are made by the job worker after the answer; the
time until they exist is printed too (the worker's latency, not the engineer's wait).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client import DispatchClient
from api_client.clock import FixedClock
from api_client.events import ArriveEvent, LogEvent, SignOffEvent, StartWorkEvent
from api_client.wire import EngineerIn
from tests.clock import clock as test_clock
from tests.conftest import DISPATCHER_TOKEN, start_service
from tests.factories import request_data

SIGN = {"signer_name": "Ken Ito", "approve_leaving": True, "confirmed_steps": [0]}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--visits", type=int, default=20)
    args = p.parse_args()
    signs, logs, reports = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(test_clock())
        svc = start_service(Path(tmp) / "bench.sqlite3", clock=clock)
        try:
            with DispatchClient(svc.url, DISPATCHER_TOKEN) as d:
                eng = d.add_engineer(EngineerIn(name="Bench Engineer", email="bench@example.com"))
                ids = []
                for _ in range(args.visits + 1):
                    a = d.create_assignment(request_data())
                    d.propose(a.id, [eng.engineer.id])
                    d.approve(a.id, "Bench")
                    ids.append(a.id)
            t0 = clock() + timedelta(minutes=10)
            clock.advance(timedelta(hours=3))
            strokes = [[(float(x), float((x * 7) % 40)) for x in range(200)] for _ in range(5)]
            with DispatchClient(svc.url, eng.token) as c:
                for aid in ids:
                    c.send_events(
                        [
                            ArriveEvent(assignment_id=aid, device_time=t0),
                            StartWorkEvent(assignment_id=aid, device_time=t0, assisted_by="Ken"),
                            *[
                                LogEvent(assignment_id=aid, device_time=t0 + timedelta(minutes=i), text=f"step {i}")
                                for i in range(30)
                            ],
                        ]
                    )
                svc.settle()
            http = httpx.Client(base_url=svc.url, headers={"Authorization": f"Bearer {eng.token}"}, timeout=60)
            spare = ids[-1]
            for n, aid in enumerate(ids[:-1]):
                at = t0 + timedelta(hours=2)
                sign = SignOffEvent(assignment_id=aid, device_time=at, strokes=strokes, **SIGN)
                log = LogEvent(assignment_id=spare, device_time=at + timedelta(seconds=n), text="baseline")
                for body, out in ((log, logs), (sign, signs)):
                    start = time.perf_counter()
                    r = http.post("/v1/events/batch", json={"events": [body.model_dump(mode="json")]})
                    out.append(time.perf_counter() - start)
                    assert r.json()["results"][0]["outcome"] == "applied", r.text
                start = time.perf_counter()
                svc.settle()
                reports.append(time.perf_counter() - start)
            http.close()
        finally:
            svc.stop()
    sign_ms, log_ms = statistics.median(signs) * 1000, statistics.median(logs) * 1000
    print(f"{args.visits} sign-offs (5 strokes x 200 points each), 30 log entries per visit")
    print(f"sign-off answered: median {sign_ms:.1f} ms (p90 {sorted(signs)[int(len(signs) * 0.9)] * 1000:.1f} ms)")
    print(f"one log entry (baseline, same run): median {log_ms:.1f} ms")
    print(f"ratio: the sign-off costs {sign_ms / log_ms:.2f}x a log entry")
    print(f"report + mail made by the worker after the answer: median {statistics.median(reports) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
