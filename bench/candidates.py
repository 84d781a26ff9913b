"""The right engineer: ranking one request over 500 engineers, each with a few visits that day.

    uv run python bench/candidates.py [--engineers 500] [--visits 3] [--runs 30] [--cpu]

A store on SQLite (a temp dir) gets N engineers with profiles (bases scattered over Greater Tokyo, working hours,
some days off) and `--visits` proposed visits each on the request's day, through the store's own paths
(create_assignment, the dispatcher's ProposeEvent). Then, in the same run, medians over `--runs`:

- rank (rules only): `matching.rank` over the pool already read, its distance cache cleared every run;
- the baseline: the same ranking over the first 50 engineers of that pool;
- the database read alone: `engineer_profiles.pool` (engineers, profiles, visits around that day);
- the page's work: read + rank, as `/desk/assignments/{id}/candidates` does.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from api_client.clock import FixedClock
from api_client.events import ProposeEvent
from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.request import ServiceRequest, SkillLevel
from api_client.rules import matching
from api_client.wire import EngineerIn
from dispatch import engineer_profiles
from dispatch.db import create_schema, make_engine
from dispatch.engineer_profiles import ProfileIn
from dispatch.store import Store
from tests.factories import request_data

TOKYO = ZoneInfo("Asia/Tokyo")
DAY = datetime(2026, 12, 10, tzinfo=TOKYO)


def _site(rng: random.Random) -> tuple[float, float]:
    return 35.45 + rng.random() * 0.4, 139.45 + rng.random() * 0.45


def _request(start: datetime, point: tuple[float, float], **kw: object) -> ServiceRequest:
    data = request_data(visit_start=start.isoformat(), requested_at=(start - timedelta(days=5)).isoformat(), **kw)
    data["locations"][0]["maps_url"] = f"https://www.google.com/maps/search/?api=1&query={point[0]},{point[1]}"
    return ServiceRequest.model_validate(data)


def build(store: Store, engineers: int, visits: int, seed: int = 7) -> ServiceRequest:
    rng = random.Random(seed)
    for i in range(engineers):
        skill = rng.choice(list(SkillLevel))
        languages = rng.choice([["en"], ["ja"], ["en", "ja"]])
        created = store.add_engineer(EngineerIn(name=f"Engineer {i:03d}", skill_level=skill, languages=languages))
        base = _site(rng)
        engineer_profiles.save_profile(
            store,
            created.engineer.id,
            ProfileIn(
                name=created.engineer.name,
                name_ja="",
                skill_level=skill,
                languages=languages,
                phone=None,
                email=None,
                whatsapp=None,
                base_address="",
                base_maps_url="",
                base_latitude=base[0],
                base_longitude=base[1],
                timezone="Asia/Tokyo",
                work_start=rng.choice(["08:00", "09:00", "10:00"]),
                work_end=rng.choice(["17:00", "18:00", "20:00"]),
                weekly_days_off=rng.sample(range(7), rng.choice([0, 1, 2])),
                days_off=[],
            ),
        )
        for _ in range(visits):
            start = DAY.replace(hour=rng.randrange(8, 19), minute=rng.choice([0, 15, 30, 45]))
            request = _request(
                start,
                _site(rng),
                skill_level="entry",
                assistance_provided=True,
                languages=languages,
                reserved_hours="1",
            )
            a = store.create_assignment(request)
            store.dispatcher_action(
                ProposeEvent(assignment_id=a.id, device_time=store.clock(), engineer_ids=[created.engineer.id])
            )
    return _request(DAY.replace(hour=14), (35.681236, 139.767125), languages=["en"], engineer_count=2)


# On a shared machine a long run is stretched by other processes far more than a short one (a 1 ms run often
# fits in one time slice): the clock is selectable, and the CPU time of this process is printed beside the wall.
CLOCK = time.perf_counter


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        matching.forget_distances()
        t0 = CLOCK()
        result = fn()
        times.append((CLOCK() - t0) * 1000)
    return statistics.median(times), result


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--engineers", type=int, default=500)
    p.add_argument("--visits", type=int, default=3)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--cpu", action="store_true", help="measure this process's CPU time instead of the wall clock")
    args = p.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")

        @event.listens_for(engine, "connect")
        def _fast(dbapi_conn: Any, _record: Any) -> None:  # setting up the scene only: no fsync per visit
            dbapi_conn.execute("PRAGMA synchronous=OFF")

        create_schema(engine)
        store = Store(engine, EXAMPLE_RATE_CARD, clock=FixedClock(DAY - timedelta(days=2)))
        t0 = time.perf_counter()
        request = build(store, args.engineers, args.visits)
        print(f"built {args.engineers} engineers × {args.visits} visits in {time.perf_counter() - t0:.1f} s")
        pool = engineer_profiles.pool(store, request)
        small = pool[:50]
        rank_all, ranking = median_ms(lambda: matching.rank(request, pool), args.runs)
        rank_50, _ = median_ms(lambda: matching.rank(request, small), args.runs)
        slices = [pool[i : i + 50] for i in range(0, len(pool), 50)]
        rank_slices = sum(median_ms(lambda s=s: matching.rank(request, s), args.runs)[0] for s in slices)
        read, _ = median_ms(lambda: engineer_profiles.pool(store, request), args.runs)
        page, _ = median_ms(lambda: matching.rank(request, engineer_profiles.pool(store, request)), args.runs)
        r = ranking  # type: ignore[assignment]
        reasons: dict[str, int] = {}
        for x in r.excluded:  # type: ignore[attr-defined]
            for code in x.codes:
                reasons[code] = reasons.get(code, 0) + 1
        print(f"candidates {len(r.candidates)}, excluded {len(r.excluded)}: {reasons}")  # type: ignore[attr-defined]
        print(f"{'':34} median of {args.runs} ({'CPU time' if args.cpu else 'wall clock'})")
        print(f"{'rank, ' + str(len(pool)) + ' engineers':34} {rank_all:8.2f} ms")
        print(f"{'baseline: rank, 50 engineers':34} {rank_50:8.2f} ms   ratio {rank_all / rank_50:.1f}×")
        print(f"{'the pool as slices of 50, summed':34} {rank_slices:8.2f} ms   (linear would equal the first line)")
        print(f"{'database read alone (pool)':34} {read:8.2f} ms")
        print(f"{'read + rank (the page)':34} {page:8.2f} ms   = {page / read:.2f}× the read alone")


if __name__ == "__main__":
    main()
