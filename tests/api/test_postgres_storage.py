"""The same service on PostgreSQL (the multi-instance deployment), where a server is available here.

Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 (as the `postgres` user when the tests run as root,
since initdb refuses root) and drives the service through the typed client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from api_client import DispatchClient
from api_client.clock import FixedClock
from api_client.events import ArriveEvent, LogEvent, SignOffEvent, StartWorkEvent
from api_client.rules.lifecycle import Status
from api_client.wire import EngineerIn
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, start_service
from tests.factories import request_data
from tests.postgres import postgres_cluster


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_cluster() as cluster:
        yield cluster.new_database()


def test_service_on_postgresql_keeps_the_same_rules(tmp_path: Path, postgres_url: str) -> None:
    service_clock = FixedClock(clock())
    svc = start_service(
        tmp_path / "unused", database_url=postgres_url, clock=service_clock, mail_spool_dir=tmp_path / "mail"
    )
    try:
        with DispatchClient(svc.url, DISPATCHER_TOKEN) as d:
            eng = d.add_engineer(EngineerIn(name="Pat Kim", phone="+81 90-5555-0000"))
            a = d.create_assignment(request_data(reserved_hours=2))
            d.propose(a.id, [eng.engineer.id])
            d.approve(a.id, "Pat Lee")
        t0 = service_clock() + timedelta(minutes=10)  # arrival 10 min after the approval
        service_clock.advance(timedelta(hours=3))  # all of it synced when the engineer is back in signal
        events = [
            ArriveEvent(assignment_id=a.id, device_time=t0),
            StartWorkEvent(assignment_id=a.id, device_time=t0 + timedelta(minutes=3), assisted_by="Ken"),
            LogEvent(
                assignment_id=a.id,
                device_time=t0 + timedelta(minutes=30),
                text="配線を確認しました",
                photo_base64="iVBORw0KGgo=",
            ),
            SignOffEvent(
                assignment_id=a.id,
                device_time=t0 + timedelta(hours=2, minutes=16),
                signer_name="Ken",
                approve_leaving=True,
                confirmed_steps=[0],
                strokes=[[(0, 0), (9, 9), (18, 2)]],
            ),
        ]
        with DispatchClient(svc.url, eng.token) as c:
            first = c.send_events(events).results
            again = c.send_events(events).results
            done = c.get_assignment(a.id)
            bill = c.bill(a.id)
            report = c.report(a.id)
            assert c.report_pdf(a.id).startswith(b"%PDF")
            clash = c.send_events([events[0].model_copy(update={"device_time": t0 + timedelta(seconds=1)})])
        assert [r.outcome for r in first] == ["applied"] * 4 and [r.outcome for r in again] == ["duplicate"] * 4
        assert clash.results[0].reason_code == "idempotency_conflict"
        assert done.status is Status.signed_off and done.visit.log[0].text == "配線を確認しました"
        assert done.visit.arrivals[0].at == t0  # timezone-aware UTC survives the round trip
        assert bill.overtime_minutes == 16 and bill.total == Decimal(24000 + 9000)
        assert len(report.sha256) == 64
    finally:
        svc.stop()
