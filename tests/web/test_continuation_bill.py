"""Continuation consent end to end on the real service: the ordering party's answer on the visit page decides what
the bill and the signed report say, and after a "no" the service refuses the engineer's work past the reservation."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from api_client import DispatchClient
from api_client.clients import Company
from dispatch.principal import SYSTEM
from tests.web.conftest import WebService, http_sign_in_client, session_csrf
from tests.web.visits import SIGNATURE, Visit, new_visit


def _working_and_asked(web: WebService, acme: Company) -> tuple[Visit, object, str]:
    aoi = web.person(acme, "aoi@acme.example", "Aoi Aoki", approver=True)
    visit = new_visit(web, acme)  # 2 h reserved, no grace
    c = http_sign_in_client(web, aoi.email)
    path = f"/portal/visits/{visit.id}"
    c.post(f"{path}/approve", data={"csrf_token": session_csrf(c, path)})
    visit.send("arrive")
    visit.send("start_work", assisted_by="Ken Ito")
    web.clock.jump_to(web.clock() + timedelta(minutes=110))
    page = c.get(path).text
    assert "The reserved time ends soon" in page  # the warning before the reservation ends
    visit.send("ask_continuation", extra_minutes=60)
    return visit, c, path


def _report_text(web: WebService, visit: Visit) -> str:
    web.service.settle()
    with DispatchClient(web.url, visit.engineer_token) as c:
        pdf = c.report_pdf(visit.id)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_accepted_continuation_is_billed_as_overtime_and_shown_on_the_report(web: WebService, acme: Company):
    visit, c, path = _working_and_asked(web, acme)
    answer = c.post(f"{path}/continuation", data={"csrf_token": session_csrf(c, path), "decision": "accept"})
    assert answer.status_code == 303
    web.clock.jump_to(web.clock() + timedelta(minutes=50))  # 2 h 40 min on site: 40 min beyond the reservation
    visit.send("log", text="Still migrating VLANs")
    visit.send("sign_off", signer_name="Ken Ito", approve_leaving=True, confirmed_steps=[0], strokes=SIGNATURE)
    bill = web.store.bill(visit.id, SYSTEM)
    overtime = [line for line in bill.lines if line.code == "overtime"]
    assert overtime and bill.overtime_billed_minutes == 45  # 40 min, rounded up to the card's 15
    text = _report_text(web, visit)
    assert "Asked the client to continue" in text and "accepted by Aoi Aoki (on the visit page)" in text
    assert "Overtime" in text or "overtime" in text


def test_after_a_decline_work_past_the_reservation_is_refused_and_not_billed(web: WebService, acme: Company):
    visit, c, path = _working_and_asked(web, acme)
    c.post(f"{path}/continuation", data={"csrf_token": session_csrf(c, path), "decision": "decline"})
    web.clock.jump_to(web.clock() + timedelta(minutes=30))  # 20 min past the end of the reservation
    with DispatchClient(web.url, visit.engineer_token) as phone:
        [refused] = phone.send_events(
            events=[
                {
                    "id": "7b0c4f8e-1d2a-4c7e-9a51-2f6b8d3e0c11",
                    "assignment_id": visit.id,
                    "kind": "log",
                    "device_time": web.clock().isoformat(),
                    "text": "one more thing",
                }
            ]
        ).results
    assert refused.outcome == "rejected" and refused.reason_code == "reservation_ended"
    visit.send("sign_off", signer_name="Ken Ito", approve_leaving=True, confirmed_steps=[0], strokes=SIGNATURE)
    bill = web.store.bill(visit.id, SYSTEM)
    assert 20 <= bill.overtime_minutes <= 21 and bill.overtime_billed_minutes == 0  # the clock runs on
    assert [line.code for line in bill.lines] == ["reserved"]
    text = _report_text(web, visit)
    assert "declined by Aoi Aoki (on the visit page)" in text


@pytest.fixture
def acme(web: WebService) -> Company:  # English only, so the report reads in English
    return web.company("Acme Systems", "アクメシステムズ")
