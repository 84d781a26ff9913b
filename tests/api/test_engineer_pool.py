"""The right engineer's pool as the store reads it (dispatch/engineer_profiles.pool): each engineer's other
visits around the request's day — window and first site taken from the stored request's JSON by the database —
on SQLite and on PostgreSQL (the JSON path operators differ)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from api_client.clock import FixedClock
from api_client.events import CancelEvent, ProposeEvent
from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.request import ServiceRequest
from api_client.wire import EngineerIn
from dispatch import engineer_profiles
from dispatch.db import create_schema, make_engine
from dispatch.store import Store
from tests.factories import TOKYO_STATION, request_data
from tests.postgres import postgres_cluster

TOKYO = ZoneInfo("Asia/Tokyo")
DAY = datetime(2026, 12, 10, tzinfo=TOKYO)


def _request(hour: int, **kw: object) -> ServiceRequest:
    start = DAY.replace(hour=hour)
    return ServiceRequest.model_validate(
        request_data(visit_start=start.isoformat(), requested_at=(start - timedelta(days=3)).isoformat(), **kw)
    )


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        yield _store(f"sqlite:///{tmp_path / 'db.sqlite3'}")
        return
    with postgres_cluster() as cluster:
        yield _store(cluster.new_database())


def _store(url: str) -> Store:
    engine = make_engine(url)
    create_schema(engine)
    return Store(engine, EXAMPLE_RATE_CARD, clock=FixedClock(DAY - timedelta(days=2)))


def _propose(store: Store, request: ServiceRequest, engineer_id: str) -> str:
    a = store.create_assignment(request)
    store.dispatcher_action(ProposeEvent(assignment_id=a.id, device_time=store.clock(), engineer_ids=[engineer_id]))
    return a.id


def test_pool_reads_each_engineers_visits_around_that_day(store: Store):
    ann = store.add_engineer(EngineerIn(name="Ann")).engineer.id
    bob = store.add_engineer(EngineerIn(name="Bob")).engineer.id
    morning = _propose(store, _request(9, reserved_hours="1.5"), ann)
    default = _propose(store, _request(17), ann)  # 2 h + 30 min grace by default
    cancelled = _propose(store, _request(12), ann)
    store.dispatcher_action(CancelEvent(assignment_id=cancelled, device_time=store.clock(), reason="no"))
    _propose(store, _request(9).model_copy(update={"visit_start": DAY + timedelta(days=3)}), ann)  # far away
    wanted = _request(14)
    days = {d.engineer.id: d for d in engineer_profiles.pool(store, wanted)}
    assert set(days) == {ann, bob} and days[bob].visits == ()
    visits = sorted(days[ann].visits, key=lambda v: v.start)
    assert [v.assignment_id for v in visits] == [morning, default]
    assert visits[0].end - visits[0].start == timedelta(hours=1, minutes=30)
    assert visits[1].end - visits[1].start == timedelta(hours=2, minutes=30)
    assert visits[0].point == pytest.approx(TOKYO_STATION)
    assert all(v.start.utcoffset() == timedelta(0) for v in visits)
