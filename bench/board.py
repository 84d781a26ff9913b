"""The desk's board rendered server-side: 2,000 visits over 200 engineers (issue 13: < 300 ms).

    uv run python bench/board.py [--visits 2000] [--engineers 200] [--runs 15]

The service runs on 127.0.0.1 (SQLite, a temp dir) on a fixed clock. Visits are spread over three days
(requested, proposed, approved; the first day's earlier visits arrived, working with log entries, some signed
off, a few with a refused device action), ten per engineer. A dispatcher signs in, then each figure is the
median of `--runs` GETs over HTTP (the whole page: session, queries, rules, template, transfer), against, in
the same run: the board with no visits (same page, empty range) and the board's visit query alone.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client.clock import FixedClock
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Role
from api_client.wire import EngineerIn
from dispatch import accounts
from dispatch.principal import DISPATCHER, Principal
from dispatch.web.desk.board_data import DESK_ZONE, BoardQuery, _caches, load_board, visits_statement
from tests.conftest import start_service
from tests.factories import request_data

PASSWORD = "bench desk password 2026"
EMPTY = "/desk/board?date=2027-06-01&days=3"


def _event(kind: str, assignment_id: str, at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "assignment_id": assignment_id,
        "device_time": at.isoformat(),
        **fields,
    }


def seed(store: Any, clock: FixedClock, now: datetime, visits: int, engineers: int) -> datetime:
    """Returns the board's first day (the desk's calendar). Proposals and approvals are made early on the first
    day (nothing an engineer does may be dated before the approval), the engineers' actions by `now`."""
    day0 = now.astimezone(DESK_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    clock.set(day0 + timedelta(hours=6))
    eng_ids = [store.add_engineer(EngineerIn(name=f"Engineer {i:03d}", name_ja=f"技術者 {i:03d}")).engineer.id
               for i in range(engineers)]  # fmt: skip
    base = request_data()
    per_engineer = max(visits // engineers, 1)
    desk_events: list[dict[str, Any]] = []
    site: list[tuple[str, str, datetime, int]] = []  # (assignment, engineer, start, index)
    for i in range(visits):
        engineer = eng_ids[i % engineers]
        slot = i // engineers  # 0 .. per_engineer-1: spread over three days, 07:00-21:00
        day, hour = divmod(slot, max(per_engineer // 3, 1))
        start = day0 + timedelta(days=min(day, 2), hours=7 + (hour * 4) % 14, minutes=(i * 7) % 60)
        data = {**base, "title": f"Visit {i:04d}", "visit_start": start.isoformat(),
                "requested_at": (start - timedelta(days=4)).isoformat(),
                "urgency": 4 if i % 97 == 0 else 1}  # fmt: skip
        job = store.create_assignment(ServiceRequest.model_validate(data))
        kind = i % 10
        if kind == 0:
            continue  # requested: nobody proposed yet
        desk_events.append(_event("propose", job.id, now, engineer_ids=[engineer]))
        if kind == 1:
            continue  # proposed
        desk_events.append(_event("approve", job.id, now, approved_by="Bench"))
        site.append((job.id, engineer, start, i))
    for n in range(0, len(desk_events), 400):
        store.ingest(desk_events[n : n + 400], DISPATCHER)
    clock.set(now)
    by_engineer: dict[str, list[dict[str, Any]]] = {}
    for aid, engineer, start, i in site:
        if start + timedelta(minutes=20) >= now:
            continue  # not yet: approved, en route or late
        arrive = start + timedelta(minutes=5)
        events = [_event("arrive", aid, arrive, position={"latitude": 35.681236, "longitude": 139.767125}),
                  _event("start_work", aid, arrive + timedelta(minutes=5), assisted_by="Ken Ito")]  # fmt: skip
        events += [_event("log", aid, arrive + timedelta(minutes=6 + k), text=f"step {k}") for k in range(5)]
        if i % 3 == 0 and arrive + timedelta(hours=2) < now:
            events.append(_event("sign_off", aid, arrive + timedelta(hours=2), signer_name="Ken Ito",
                                 approve_leaving=True, confirmed_steps=[0], strokes=[[[0, 0], [5, 5]]]))  # fmt: skip
        if i % 7 == 0:
            events.append(_event("depart", aid, arrive + timedelta(minutes=30)))  # refused: already on site
        by_engineer.setdefault(engineer, []).extend(events)
    for engineer, events in by_engineer.items():
        store.ingest(events, Principal(Role.engineer, engineer))
    return day0


def timed(fn: Any, runs: int) -> tuple[float, float]:
    """Median wall-clock ms and median CPU ms of this thread (the CPU figure is what the work costs, whatever
    else the machine is doing; over HTTP the work runs on the server's thread, so only the wall clock counts)."""
    fn()  # warm: templates compiled, caches filled
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.thread_time()
        fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.thread_time() - c0) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def render_in_process(app: Any, query_string: str) -> Any:
    """The page's server-side work without the network: filters, data, rules, view model and the template."""
    from starlette.requests import Request

    from dispatch.web.desk import board
    from dispatch.web.pages import context, templates

    def render() -> str:
        scope = {"type": "http", "method": "GET", "path": "/desk/board", "query_string": query_string.encode(),
                 "headers": [], "app": app, "state": {}}  # fmt: skip
        request = Request(scope)
        request.state.web_session = None
        now = app.state.store.clock()
        query, view = board.query_of(request, now)
        values = board.board_values(request, query, view, now)
        return templates.env.get_template("desk/board.html").render(context(request, values))

    return render


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--visits", type=int, default=2000)
    p.add_argument("--engineers", type=int, default=200)
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--db", type=Path, help="keep the seeded database here and reuse it next time (development)")
    args = p.parse_args()
    now = datetime.fromisoformat("2026-12-03T16:00:00+09:00")
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(now)
        db = args.db or Path(tmp) / "bench.sqlite3"
        reuse = db.exists()
        svc = start_service(db, clock=clock)
        try:
            store = svc.store
            t0 = time.perf_counter()
            day0 = now.astimezone(DESK_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
            if not reuse:
                day0 = seed(store, clock, now, args.visits, args.engineers)
                accounts.add_dispatcher(store, "Bench Desk", "bench@ecorpone.example", PASSWORD)
                print(
                    f"seeded {args.visits} visits over {args.engineers} engineers in {time.perf_counter() - t0:.1f} s"
                )
            c = httpx.Client(base_url=svc.url, timeout=60)
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/desk/sign-in").text).group(1)  # type: ignore[union-attr]
            signed = c.post(
                "/desk/sign-in", data={"email": "bench@ecorpone.example", "password": PASSWORD, "csrf_token": token}
            )
            assert signed.status_code == 303, signed.text
            date = day0.date().isoformat()
            query = BoardQuery(start=day0.date(), days=3)
            board = load_board(store, query, now)
            assert len(board.visits) == args.visits, len(board.visits)
            lanes = sum(1 for lane in board.lanes if lane.engineer_id)
            states = sorted({v.status for v in board.visits})
            page = c.get(f"/desk/board?date={date}&days=3")
            assert page.status_code == 200 and page.text.count('class="bar ') >= args.visits, "every visit drawn"

            def cold() -> None:
                _caches.pop(store, None)  # as after a restart: every request's facts and state read and parsed
                load_board(store, query, now)

            def raw_query() -> None:
                with store.sessions() as s:
                    s.execute(visits_statement(query)).all()

            figures = {
                "baseline: the visit query alone": timed(raw_query, args.runs),
                "baseline: empty board page (HTTP)": timed(lambda: c.get(EMPTY), args.runs),
                "baseline: empty board, in process": timed(render_in_process(svc.app, EMPTY.split("?")[1]), args.runs),
                "board data, cold: nothing cached": timed(cold, args.runs),
                "board data, warm (queries + rules)": timed(lambda: load_board(store, query, now), args.runs),
                "board page, timeline (HTTP)": timed(lambda: c.get(f"/desk/board?date={date}&days=3"), args.runs),
                "board page, timeline, in process": timed(render_in_process(svc.app, f"date={date}&days=3"), args.runs),
                "board page, list (HTTP)": timed(lambda: c.get(f"/desk/board?date={date}&days=3&view=list"), args.runs),
                "board page, list, in process": timed(
                    render_in_process(svc.app, f"date={date}&days=3&view=list"), args.runs
                ),
                "board page, one engineer (HTTP)": timed(
                    lambda: c.get(f"/desk/board?date={date}&days=3&engineer={board.lanes[-1].engineer_id}"), args.runs
                ),
            }
            print(f"{len(board.visits)} visits, {lanes} engineer lanes, states: {', '.join(states)}; "
                  f"page {len(page.content) / 1e6:.2f} MB; load average {os.getloadavg()[0]:.1f} on "
                  f"{os.cpu_count()} cores; median of {args.runs} runs (wall / CPU of this thread):")  # fmt: skip
            for name, (wall, cpu) in figures.items():
                print(f"  {name:40s} {wall:8.1f} ms  {cpu:8.1f} ms")
            full, empty = figures["board page, timeline (HTTP)"][0], figures["baseline: empty board page (HTTP)"][0]
            inproc = figures["board page, timeline, in process"]
            bare = figures["baseline: empty board, in process"][1]
            print(f"  timeline over HTTP vs the empty board: {full / empty:.1f}x; in process, CPU "
                  f"{inproc[1]:.0f} ms vs the empty board's {bare:.0f} ms")  # fmt: skip
        finally:
            svc.stop()


if __name__ == "__main__":
    main()
