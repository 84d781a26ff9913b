"""On site, through the view state, against the real service with a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime, timedelta
from decimal import Decimal
from email.message import Message

import httpx
import pytest
from aiosmtpd.controller import Controller
from PIL import Image
from pypdf import PdfReader

from api_client import DispatchClient
from api_client.client import Call
from api_client.clock import FixedClock, RunningClock
from api_client.events import ArriveEvent, Position, SignOffEvent, UnableReason
from api_client.rules.lifecycle import Status
from api_client.texts import site_datetime
from dispatch.demo import DEMO_TOKENS, seed
from field_app.actions import VisitActions
from field_app.detail_model import DetailModel
from field_app.device_store import Delivery, DeviceStore
from field_app.state import AppState
from tests.app.conftest import signed_in
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, LiveService, free_port, start_service
from tests.factories import request_data
from tests.inbox import Inbox

SIGNATURE = [[(10.0, 40.0), (30.0, 10.0), (50.0, 45.0), (80.0, 12.0)], [(90.0, 30.0), (140.0, 28.0)]]


def plain(m: Message) -> str:
    """The text/plain body of a mail (each mail also has an HTML part)."""
    body = next(p for p in m.walk() if p.get_content_type() == "text/plain")
    return body.get_payload(decode=True).decode(body.get_content_charset() or "utf-8")


@pytest.fixture
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture
def live(tmp_path, inbox) -> LiveService:
    _, port = inbox
    # The service's clock stands still where the test puts it: the demo is seeded "now", and the test then
    # moves time to when the engineer is back in signal.
    service_clock = FixedClock(clock())
    service = start_service(tmp_path / "dispatch.sqlite3", clock=service_clock, smtp_host="127.0.0.1", smtp_port=port)
    service.clock = service_clock  # type: ignore[attr-defined]
    service.demo = seed(service.store)  # type: ignore[attr-defined]
    yield service
    service.stop()


def job(state: AppState, title_part: str):
    return next(a for a in state.assignments if title_part in a.request.title)


def at_site(a) -> Position:
    loc = a.request.locations[0]
    return Position(latitude=loc.latitude, longitude=loc.longitude, accuracy_m=8)


def server_visit(live: LiveService, assignment_id: str):
    with DispatchClient(live.url, DISPATCHER_TOKEN) as d:
        return d.get_assignment(assignment_id).visit


def on_time(live: LiveService, state: AppState, a) -> datetime:
    """Move the service's and the phone's clocks to the engineer's arrival: on time, after the approval."""
    t0 = max(a.request.visit_start, server_visit(live, a.id).approved_at + timedelta(minutes=30))
    live.clock.set(t0)  # type: ignore[attr-defined]
    state.clock = RunningClock(t0)
    return t0


def sync(state: AppState):
    report = asyncio.run(state.sync_now())
    assert report.online, report.error
    return report


def test_approve_arrive_log_sign_bills_by_the_rules(tmp_path, live, inbox):
    box, _ = inbox
    state = signed_in(DeviceStore(tmp_path / "d.sqlite3"), live, "sato")
    a = job(state, "Core switch")  # approved; 3 h reserved + 15 min contract grace; retainer (no expedite fee)
    actions = VisitActions(state, a.id)
    t0 = on_time(live, state, a)
    state.clock = lambda: t0 - timedelta(minutes=20)
    assert actions.running_late(20).ok  # the client hears the new time before the engineer arrives
    state.clock = lambda: t0
    assert actions.arrive(at_site(a)).ok
    assert state.visit(a).status is Status.arrived and state.waiting == 2  # at once, from local state
    state.clock = lambda: t0 + timedelta(minutes=5)
    assert not actions.start_work("").ok and "assists" in state.notice
    assert actions.start_work("Hiroshi Ito").ok
    state.clock = lambda: t0 + timedelta(minutes=60)
    assert actions.log("Old switch removed, cabling labelled", photo=b"\x89PNG fake photo bytes").ok
    state.clock = lambda: t0 + timedelta(hours=3, minutes=40)  # 25 min past reservation + grace
    estimate = DetailModel.of(state, a, now=t0 + timedelta(hours=3, minutes=40)).bill
    assert not actions.sign_off(
        signer_name="Hiroshi Ito", approve_leaving=True, confirmed_steps=[], strokes=SIGNATURE, language="en"
    ).ok  # step 4 needs the client's confirmation
    assert actions.sign_off(
        signer_name="Hiroshi Ito", approve_leaving=True, confirmed_steps=[3], strokes=SIGNATURE, language="en"
    ).ok
    assert state.visit(a).status is Status.signed_off and state.waiting == 5

    live.clock.set(t0 + timedelta(hours=4))  # back in signal after the visit
    sync(state)
    assert state.waiting == 0 and all(e.state is Delivery.sent for e in state.actions(a.id))
    live.settle()  # the report and the mails are made by the job worker, after the answer
    with DispatchClient(live.url, DISPATCHER_TOKEN) as d:
        server = d.get_assignment(a.id)
        bill = d.bill(a.id)
        report = d.report(a.id)
        pdf = d.report_pdf(a.id)
        signature = d.call(Call("GET", f"/v1/assignments/{a.id}/signature.png", lambda r: r.content))
    assert server.status is Status.signed_off and server.visit.arrivals[0].check == "verified"
    # 3 h x 12,000 + overtime 25 min -> billed 30 min at 1.5 x 12,000 = 9,000
    assert bill.on_site_minutes == 220 and bill.overtime_minutes == 25 and bill.overtime_billed_minutes == 30
    assert bill.total == Decimal(36000 + 9000)
    assert estimate.total == bill.total  # the phone's live estimate and the invoice agree
    ink = Image.open(io.BytesIO(signature)).convert("L").getextrema()
    assert ink[0] < 50 and ink[1] == 255  # dark strokes on white, redrawn from the stroke data

    late = box.wait_for("running late")
    expected = site_datetime(t0, "Asia/Tokyo", "en", year=True)
    assert f"expects to arrive at {expected}" in plain(late)
    arrival = plain(box.wait_for("Engineer arrived"))
    assert "Kenji Sato" in arrival and "Arrival verified" in arrival
    signed = box.wait_for("Service report")
    attachment = next(p for p in signed.walk() if p.get_content_type() == "application/pdf")
    mailed_pdf = attachment.get_payload(decode=True)
    assert mailed_pdf == pdf
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Hiroshi Ito" in text and report.sha256 in text.replace("\n", "")
    assert "Old switch removed" in text and "photo could not be read" in text  # fake bytes: noted, not fatal


def test_signing_twice_is_refused(tmp_path, live):
    state = signed_in(DeviceStore(tmp_path / "d.sqlite3"), live, "sato")
    a = job(state, "Core switch")
    on_time(live, state, a)
    actions = VisitActions(state, a.id)
    actions.arrive(at_site(a))
    actions.start_work("Hiroshi Ito")
    assert actions.sign_off(
        signer_name="H. Ito", approve_leaving=True, confirmed_steps=[3], strokes=SIGNATURE, language="en"
    ).ok
    second = actions.sign_off(
        signer_name="Someone else", approve_leaving=True, confirmed_steps=[3], strokes=SIGNATURE, language="en"
    )
    assert not second.ok and "locked" in second.message
    sync(state)
    # a second sign-off that bypasses the phone's check is refused by the server too
    again = SignOffEvent(
        assignment_id=a.id,
        device_time=state.clock(),
        signer_name="X",
        approve_leaving=True,
        confirmed_steps=[3],
        strokes=SIGNATURE,
    )
    with DispatchClient(live.url, DEMO_TOKENS["sato"]) as c:
        result = c.send_events([again]).results[0]
        assert (result.outcome, result.reason_code) == ("rejected", "locked")
        assert c.get_assignment(a.id).visit.signer_name == "H. Ito"


def test_arrival_before_approval_is_refused_with_the_reason(tmp_path, live):
    state = signed_in(DeviceStore(tmp_path / "d.sqlite3"), live, "sato")
    urgent = job(state, "Network outage")  # proposed, not yet approved
    result = VisitActions(state, urgent.id).arrive(None)
    assert not result.ok and "approval" in result.message and state.waiting == 0
    state.set_language("ja")
    assert "承認" in VisitActions(state, urgent.id).arrive(None).message

    # A stale phone that believes otherwise still cannot get it applied: the server refuses, the
    # action stays visible with the reason.
    state.store.enqueue(ArriveEvent(assignment_id=urgent.id, device_time=clock()))
    sync(state)
    entry = state.actions(urgent.id)[-1]
    assert entry.state is Delivery.refused and entry.reason_code == "not_approved"
    assert state.refused == 1


def test_unable_to_enter_charges_full_reservation_and_notifies(tmp_path, live, inbox):
    box, _ = inbox
    state = signed_in(DeviceStore(tmp_path / "d.sqlite3"), live, "carter")
    ups = job(state, "UPS")  # 2 specialists, default reservation 2 h + 30 min
    on_time(live, state, ups)
    actions = VisitActions(state, ups.id)
    assert actions.arrive(None).ok
    assert not actions.unable_to_enter(UnableReason.other).ok  # 'other' needs a description
    assert actions.unable_to_enter(UnableReason.devices_not_arrived, "UPS batteries not delivered").ok
    sync(state)
    with DispatchClient(live.url, DISPATCHER_TOKEN) as d:
        server = d.get_assignment(ups.id)
        bill = d.bill(ups.id)
    assert server.status is Status.unable_to_enter
    assert bill.total == Decimal(2 * 2 * 18000) and bill.charged_hours == 2
    mail = plain(box.wait_for("入館不可のお知らせ"))  # a Japanese-only client
    assert "機器未着" in mail and "UPS batteries not delivered" in mail and "Reason" not in mail


def test_the_same_batch_delivered_twice_changes_nothing(tmp_path, live):
    state = signed_in(DeviceStore(tmp_path / "d.sqlite3"), live, "sato")
    a = job(state, "Core switch")
    on_time(live, state, a)
    actions = VisitActions(state, a.id)
    actions.arrive(at_site(a))
    actions.start_work("Hiroshi Ito")
    actions.log("Checked uplinks")
    bodies = [e.body for e in state.actions(a.id)]
    sync(state)
    with DispatchClient(live.url, DEMO_TOKENS["sato"]) as c:
        before = (c.events(a.id), c.get_assignment(a.id).visit)
        again = c.send_events(bodies).results
        after = (c.events(a.id), c.get_assignment(a.id).visit)
    assert [r.outcome for r in again] == ["duplicate"] * 3 and {r.original for r in again} == {"applied"}
    assert before == after


def test_killed_between_send_and_ack_delivers_exactly_once(tmp_path, live):
    path = tmp_path / "d.sqlite3"
    state = signed_in(DeviceStore(path), live, "sato")
    a = job(state, "Core switch")
    on_time(live, state, a)
    VisitActions(state, a.id).arrive(at_site(a))
    batch = state.store.take_batch()  # the app sent it ...
    with DispatchClient(live.url, DEMO_TOKENS["sato"]) as c:
        assert c.send_events([e.body for e in batch]).results[0].outcome == "applied"
    state.store.close()  # ... and was killed before recording the answer

    restarted = AppState(store=DeviceStore(path))
    asyncio.run(restarted.restore())
    assert restarted.waiting == 1  # in-flight went back to pending on start-up
    sync(restarted)
    assert restarted.actions(a.id)[0].state is Delivery.sent
    with DispatchClient(live.url, DEMO_TOKENS["sato"]) as c:
        assert [e.kind for e in c.events(a.id)].count("arrive") == 1


def test_no_signal_keeps_actions_until_the_network_returns(tmp_path):
    db = tmp_path / "server.sqlite3"
    server_clock = FixedClock(clock())
    server = start_service(db, clock=server_clock)
    server.clock = server_clock  # type: ignore[attr-defined]
    seed(server.store)
    port = int(server.url.rsplit(":", 1)[1])
    state = signed_in(DeviceStore(tmp_path / "d.sqlite3"), server, "sato")
    a = job(state, "Core switch")
    on_time(server, state, a)
    server.stop()
    actions = VisitActions(state, a.id)
    assert actions.arrive(None).ok and actions.start_work("Hiroshi Ito").ok
    report = asyncio.run(state.sync_now())
    assert not report.online and state.waiting == 2
    assert all(e.state is Delivery.pending and e.last_error for e in state.actions(a.id))
    assert state.visit(a).status is Status.working  # the screen still shows what was done
    server = start_service(db, port=port, clock=server_clock)
    try:
        sync(state)
        assert state.waiting == 0 and state.assignment(a.id).status is Status.working
    finally:
        server.stop()


def test_badge_qr_verifies_and_tampering_is_caught(tmp_path, live):
    import zxingcpp
    from PIL import Image

    from field_app.qr import qr_png

    state = signed_in(DeviceStore(tmp_path / "d.sqlite3"), live, "sato")
    a = job(state, "Network outage")  # starts within the hour: its badge is valid now
    assert state.badge(a.id) is None  # proposed, not approved: no badge yet
    with DispatchClient(live.url, DISPATCHER_TOKEN) as d:
        d.approve(a.id, "Sarah Kim")
    sync(state)
    badge = state.badge(a.id)  # cached by the sync, for the offline badge screen
    assert badge is not None and badge.engineer.name == "Kenji Sato" and state.engineer_photo(badge.engineer.id)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(badge.verify_url))))[0].text
    assert decoded == badge.verify_url and decoded.startswith(live.url + "/verify/")
    page = httpx.get(decoded)
    assert page.status_code == 200 and 'data-status="genuine"' in page.text and "Kenji Sato" in page.text
    assert httpx.get(decoded + "/photo").headers["content-type"] == "image/png"
    kid, payload, mac = decoded.rsplit("/", 1)[1].split(".")
    tampered = f"{live.url}/verify/{kid}.{payload[:-2]}xx.{mac}"
    forged = httpx.get(tampered)
    assert forged.status_code == 403 and 'data-status="forged"' in forged.text and "Kenji" not in forged.text
    with DispatchClient(live.url, DISPATCHER_TOKEN) as d:  # a visit 6 h from now, whatever the time of day
        tonight = d.create_assignment(request_data(visit_start=(live.clock() + timedelta(hours=6)).isoformat()))
        d.propose(tonight.id, [state.engineer.id])
        d.approve(tonight.id, "Pat Lee")
    sync(state)
    later = state.badge(tonight.id)  # valid from 3 h before the visit: not yet
    early = httpx.get(later.verify_url)
    assert early.status_code == 403 and 'data-status="not_yet_valid"' in early.text
