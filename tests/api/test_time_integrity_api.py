"""A wrong clock cannot bill a fortune, through the real service: what the issue measured, now refused or held."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx

from api_client import DispatchClient
from api_client.clock import FixedClock
from api_client.events import ArriveEvent, EventBatch, SignOffEvent, StartWorkEvent
from api_client.wire import EngineerIn
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, start_service
from tests.factories import request_data

SIGN = {"signer_name": "Ken Ito", "approve_leaving": True, "confirmed_steps": [0], "strokes": [[(0, 0), (5, 5)]]}


def _visit(url: str):
    with DispatchClient(url, DISPATCHER_TOKEN) as desk:
        eng = desk.add_engineer(EngineerIn(name="Pat Kim", phone="+81 90-5555-0000"))
        a = desk.create_assignment(request_data(reserved_hours=2))
        desk.propose(a.id, [eng.engineer.id])
        approved = desk.approve(a.id, "Pat Lee")
    return eng.token, a, approved.visit.approved_at


def test_an_arrival_dated_400_days_ago_is_refused_and_bills_nothing(tmp_path: Path) -> None:
    service_clock = FixedClock(clock())
    svc = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    try:
        token, a, approved = _visit(svc.url)
        with DispatchClient(svc.url, token) as c:
            [r] = c.send_events([ArriveEvent(assignment_id=a.id, device_time=approved - timedelta(days=400))]).results
            assert (r.outcome, r.reason_code) == ("rejected", "time_before_approval")
            assert c.bill(a.id).overtime_minutes == 0 and c.get_assignment(a.id).visit.arrivals == []
    finally:
        svc.stop()


def test_a_day_long_visit_holds_the_overtime_until_the_desk_decides(tmp_path: Path) -> None:
    service_clock = FixedClock(clock())
    svc = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    try:
        token, a, approved = _visit(svc.url)
        at = max(a.request.visit_start, approved + timedelta(minutes=10))
        service_clock.set(at + timedelta(hours=12))  # the sign-off reaches the server 12 h after the arrival
        events = [
            ArriveEvent(assignment_id=a.id, device_time=at),
            StartWorkEvent(assignment_id=a.id, device_time=at, assisted_by="Ken Ito"),
            SignOffEvent(assignment_id=a.id, device_time=at + timedelta(hours=12), **SIGN),
        ]
        # The phone also says what its clock read when it sent them: 3 minutes behind the server's.
        body = EventBatch(
            events=[e.model_dump(mode="json") for e in events], sent_at=service_clock() - timedelta(minutes=3)
        )
        answer = httpx.post(
            f"{svc.url}/v1/events/batch",
            content=body.model_dump_json(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        ).json()["results"]
        assert [r["outcome"] for r in answer] == ["applied"] * 3
        assert answer[0]["clock_offset_seconds"] == -180 and answer[0]["warnings"] == []  # within the allowance
        with DispatchClient(svc.url, DISPATCHER_TOKEN) as desk:
            held = desk.bill(a.id)
            assert held.overtime_minutes == 10 * 60 and held.overtime_billed_minutes == 240
            assert held.overtime_held_minutes == 6 * 60
            accepted = httpx.post(
                f"{svc.url}/v1/assignments/{a.id}/overtime-review",
                json={"accept": True},
                headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"},
            ).json()
            assert accepted["bill"]["overtime_billed_minutes"] == 600 and accepted["bill"]["overtime_held_minutes"] == 0
            recorded = desk.events(a.id)
        assert recorded[-1].kind == "review_overtime" and recorded[-1].actor == "dispatcher"
        assert {e.clock_offset_seconds for e in recorded if e.kind == "arrive"} == {-180}
    finally:
        svc.stop()


def test_a_device_clock_far_behind_is_reported_with_the_result(tmp_path: Path) -> None:
    service_clock = FixedClock(clock())
    svc = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    try:
        token, a, approved = _visit(svc.url)
        at = max(a.request.visit_start, approved + timedelta(minutes=10))
        service_clock.set(at + timedelta(minutes=1))
        body = {
            "events": [ArriveEvent(assignment_id=a.id, device_time=at).model_dump(mode="json")],
            "sent_at": (service_clock() - timedelta(hours=1)).isoformat(),
        }
        r = httpx.post(f"{svc.url}/v1/events/batch", json=body, headers={"Authorization": f"Bearer {token}"})
        [result] = r.json()["results"]
        assert result["outcome"] == "applied" and result["warnings"] == ["device_clock_behind"]
    finally:
        svc.stop()


def test_a_clock_measured_behind_does_not_lengthen_the_billed_visit(tmp_path: Path) -> None:
    """Online, the phone sends its arrival at once, but its clock runs 2 h 55 min behind (the batch's sent_at
    shows it): the bill counts on-site time from the arrival as the server's clock saw it."""
    service_clock = FixedClock(clock())
    svc = start_service(tmp_path / "d.sqlite3", clock=service_clock)
    try:
        token, a, approved = _visit(svc.url)
        behind = timedelta(hours=2, minutes=55)
        true_arrival = max(a.request.visit_start, approved + timedelta(hours=3))
        service_clock.set(true_arrival)

        def send(event, sent_at):  # type: ignore[no-untyped-def]
            with DispatchClient(svc.url, token) as c:
                return c.send_events([event], sent_at=sent_at).results[0]

        arrived = send(ArriveEvent(assignment_id=a.id, device_time=true_arrival - behind), true_arrival - behind)
        assert arrived.outcome == "applied" and arrived.warnings == ["device_clock_behind"]
        service_clock.set(true_arrival + timedelta(hours=4))
        for kind in (StartWorkEvent, SignOffEvent):
            fields = {"assisted_by": "Ken Ito"} if kind is StartWorkEvent else SIGN
            at = service_clock() - behind
            assert send(kind(assignment_id=a.id, device_time=at, **fields), at).outcome == "applied"
        with DispatchClient(svc.url, DISPATCHER_TOKEN) as desk:
            bill = desk.bill(a.id)
        assert bill.on_site_minutes == 4 * 60  # as the server's clock saw it
    finally:
        svc.stop()


def test_a_clock_behind_only_at_the_arrival_cannot_add_its_error_to_the_bill(tmp_path: Path) -> None:
    """The arrival comes from a phone 2 h 55 min behind; the sign-off from one with the right time. Uncorrected,
    the visit would bill 6 h 55 min; the measured offset puts the arrival where the server saw it."""
    service_clock = FixedClock(clock())
    svc = start_service(tmp_path / "d.sqlite3", clock=service_clock)
    try:
        token, a, approved = _visit(svc.url)
        behind = timedelta(hours=2, minutes=55)
        true_arrival = max(a.request.visit_start, approved + timedelta(hours=3))
        service_clock.set(true_arrival)
        with DispatchClient(svc.url, token) as c:
            at = true_arrival - behind
            assert c.send_events([ArriveEvent(assignment_id=a.id, device_time=at)], sent_at=at).results[0].warnings
            service_clock.set(true_arrival + timedelta(hours=4))
            now = service_clock()
            events = [
                StartWorkEvent(assignment_id=a.id, device_time=now - timedelta(hours=3), assisted_by="Ken Ito"),
                SignOffEvent(assignment_id=a.id, device_time=now, **SIGN),
            ]
            assert [r.outcome for r in c.send_events(events, sent_at=now).results] == ["applied", "applied"]
            bill = c.bill(a.id)
        assert bill.on_site_minutes == 4 * 60
    finally:
        svc.stop()
