"""The desk's pages over real HTTP: intake, the assignment page and its actions (audited), the board with its
filters and live stream, clients and their rate card, dispatchers."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest

from api_client.clients import CompanyIn
from dispatch import accounts, audit
from tests.web.conftest import WebService, http_sign_in_dispatcher, session_csrf
from tests.web.desk_scene import DeskScene, make_scene


@pytest.fixture
def scene(web: WebService) -> DeskScene:
    return make_scene(web)


def test_intake_lists_open_requests_class4_first_with_their_prerequisites(scene: DeskScene):
    routine = scene.portal_request(title="Routine swap", hours_from_now=30)
    urgent = scene.portal_request(
        title="Core down",
        urgency=4,
        devices_on_site_confirmed=False,
        paperwork=[{"name": "NDA", "status": "to_prepare"}],
    )
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    page = c.get("/desk")
    assert page.status_code == 200
    html = page.text
    assert html.index(urgent.id) < html.index(routine.id), "Class 4 goes on top"
    row = html[html.index(f'data-assignment="{urgent.id}"') :]
    row = row[: row.index("</tr>")]
    assert "row-class4" in html[html.rindex("<tr", 0, html.index(f'data-assignment="{urgent.id}"')) :][:80]
    assert "Devices on site NOT confirmed" in row
    assert "Paperwork not ready: NDA" in row
    assert "Expedited" in row and "Aoi Sato" in row and "Acme Systems" in row
    assert "3 d 0 h" in row  # lead time: requested three days ahead
    assert f"/desk/assignments/{urgent.id}/candidates" in row
    assert c.get("/desk/intake").status_code == 200
    ja = c.get("/desk?lang=ja").text
    assert "機器の到着が未確認" in ja and "受付 — 新しい依頼" in ja


def test_the_layout_names_the_dispatcher_and_shows_admins_the_dispatchers_page(scene: DeskScene):
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    html = c.get("/desk/board").text
    assert "Hana Desk" in html and 'href="/desk/engineers"' in html and 'href="/desk/dispatchers"' in html
    assert 'sse-connect="/desk/alerts/live"' in html and "/static/desk.js" in html
    assert "data-class4=" not in html
    urgent = scene.portal_request(title="Core down", urgency=4)
    clients = c.get("/desk/clients").text  # any desk page carries the alarm, without waiting for the stream
    assert f'data-class4="{urgent.id}"' in clients and "Class 4 — visit immediately: Core down" in clients
    scene.web.dispatcher("plain@ecorpone.example", "Plain Desk")
    plain = http_sign_in_dispatcher(scene.web, "plain@ecorpone.example")
    assert 'href="/desk/dispatchers"' not in plain.get("/desk").text
    assert plain.get("/desk/dispatchers").status_code == 403


def test_an_approval_by_phone_is_recorded_with_who_gave_it_and_who_typed_it(scene: DeskScene):
    job = scene.portal_request()
    with scene.dispatch() as d:
        d.propose(job.id, [scene.engineer_ids[0]])
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    page = c.get(f"/desk/assignments/{job.id}")
    assert page.status_code == 200 and "Record an approval given by phone" in page.text
    token = session_csrf(c, f"/desk/assignments/{job.id}")
    empty = c.post(f"/desk/assignments/{job.id}/approve-by-phone", data={"csrf_token": token, "approved_by": "  "})
    assert empty.status_code == 422 and "approved_by" in empty.text
    done = c.post(
        f"/desk/assignments/{job.id}/approve-by-phone", data={"csrf_token": token, "approved_by": "Daniel Brooks"}
    )
    assert done.status_code == 303
    with scene.dispatch() as d:
        assert d.get_assignment(job.id).status == "approved"
    [entry] = audit.trail(scene.web.store, job.id)
    assert entry.action == "approve_by_phone" and entry.actor.startswith("dispatcher:")
    assert entry.detail == {"by": "Hana Desk", "approved_by": "Daniel Brooks", "event": entry.detail["event"]}
    html = c.get(f"/desk/assignments/{job.id}").text
    audit_part = html[html.index('id="audit"') :]
    assert "Hana Desk" in audit_part and "Daniel Brooks" in audit_part
    again = c.post(
        f"/desk/assignments/{job.id}/approve-by-phone", data={"csrf_token": token, "approved_by": "Daniel Brooks"}
    )
    assert again.status_code == 409 and "Not recorded" in again.text
    assert len(audit.trail(scene.web.store, job.id)) == 1, "a refused action is not in the trail"


def test_cancel_needs_a_reason_and_is_audited(scene: DeskScene):
    job = scene.portal_request()
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    token = session_csrf(c, f"/desk/assignments/{job.id}")
    assert c.post(f"/desk/assignments/{job.id}/cancel", data={"csrf_token": token}).status_code == 422
    r = c.post(f"/desk/assignments/{job.id}/cancel", data={"csrf_token": token, "reason": "Client phoned: not needed"})
    assert r.status_code == 303
    assert [e.action for e in audit.trail(scene.web.store, job.id)] == ["cancel"]
    assert "Cancelled the visit: Client phoned: not needed" in c.get(f"/desk/assignments/{job.id}").text


def test_desk_pages_refuse_a_post_without_the_csrf_token(scene: DeskScene):
    job = scene.portal_request()
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    for path, data in (
        (f"/desk/assignments/{job.id}/cancel", {"reason": "x"}),
        ("/desk/clients", {"name_en": "Evil"}),
        ("/desk/dispatchers", {"name": "Eve", "email": "eve@x.example", "password": "p" * 20}),
    ):
        r = c.post(path, data={**data, "csrf_token": "wrong"})
        assert r.status_code == 403, path
        assert c.post(path, data=data).status_code == 403, path
    with scene.dispatch() as d:
        assert d.get_assignment(job.id).status == "requested"


def test_an_unknown_assignment_is_a_404_page(scene: DeskScene):
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    r = c.get("/desk/assignments/ASG-NOPE")
    assert r.status_code == 404 and "<html" in r.text


def test_the_board_shows_each_visits_live_state_and_its_bill(scene: DeskScene):
    working = scene.approved_visit(0, title="Swap the core switch")
    assert (
        scene.send(0, working.id, "arrive", position={"latitude": 35.681236, "longitude": 139.767125}).outcome
        == "applied"
    )
    assert scene.send(0, working.id, "start_work", assisted_by="Ken Ito").outcome == "applied"
    refused = scene.send(0, working.id, "sign_off", signer_name="Ken", approve_leaving=True, strokes=[[[0, 0], [1, 1]]])
    assert refused.outcome == "rejected"  # the step needing confirmation was not confirmed
    waiting = scene.portal_request(title="Awaiting proposal", hours_from_now=5)
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    html = c.get("/desk/board").text
    bar = _bar(html, working.id)
    assert "Working" in bar and "1 refused from device" in bar and "¥" in bar
    assert "Kenji Sato" in html and "Not yet assigned" in html and waiting.id in html
    bill = scene.dispatch().bill(working.id)
    assert f"¥{int(bill.total):,}" in bar, "the board shows the service's own bill"
    listed = c.get("/desk/board?view=list").text
    assert f'id="v-{working.id}"' in listed and "Swap the core switch" in listed
    only = c.get("/desk/board?view=list&status=requested").text
    assert waiting.id in only and working.id not in only
    mine = c.get(f"/desk/board?engineer={scene.engineer_ids[1]}").text
    assert working.id not in mine
    tomorrow = (scene.now.date()).fromordinal(scene.now.date().toordinal() + 10).isoformat()
    assert working.id not in c.get(f"/desk/board?date={tomorrow}").text
    for junk in ("date=yesterday", "days=-4", "days=999", "status=<b>", "client=%00", "view=pie"):
        assert c.get(f"/desk/board?{junk}").status_code == 200, junk
    assert "ボード" in c.get("/desk/board?lang=ja").text


def _bar(html: str, assignment_id: str) -> str:
    start = html.index(f'data-assignment="{assignment_id}"')
    return html[start : html.index("</a>", start)]


def test_the_board_stream_sends_a_new_board_within_a_second_of_an_arrival(scene: DeskScene):
    job = scene.approved_visit(0)
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    with c.stream("GET", "/desk/board/live?view=list") as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = r.iter_lines()
        first = _next_board(lines)
        assert job.id in first and "Approved" in first
        started = time.monotonic()
        assert scene.send(0, job.id, "arrive").outcome == "applied"
        after = _next_board(lines)
        assert time.monotonic() - started < 1.0
        assert "Arrived — NOT verified" in after
        started = time.monotonic()
        assert scene.send(0, job.id, "depart").outcome == "rejected"  # already on site: refused, stored
        refused = _next_board(lines)
        assert time.monotonic() - started < 1.0
        assert "1 refused from device" in refused


def _next_board(lines) -> str:
    data: list[str] = []
    for line in lines:
        if line.startswith("data:"):
            data.append(line.removeprefix("data:").removeprefix(" "))
        elif line == "" and data:
            return "\n".join(data)
    raise AssertionError("stream ended")


def test_the_alerts_stream_carries_a_class4_request_within_a_second(scene: DeskScene):
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    with c.stream("GET", "/desk/alerts/live") as r:
        lines = r.iter_lines()
        assert "data-class4" not in _next_board(lines)
        started = time.monotonic()
        urgent = scene.portal_request(title="Everything is down", urgency=4)
        alert = _next_board(lines)
        assert time.monotonic() - started < 1.0
        assert f'data-class4="{urgent.id}"' in alert and "Everything is down" in alert


def test_a_client_is_created_and_edited_with_errors_naming_field_and_rule(scene: DeskScene):
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    token = session_csrf(c, "/desk/clients")
    bad = c.post(
        "/desk/clients",
        data={"csrf_token": token, "name_en": "", "notify_emails": "ops@x.example\nnot-an-address",
              "retainer_from": "2026-12-31", "retainer_until": "2026-01-01", "retainer_minutes": "60"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert "name_en" in bad.text and "string_too_short" in bad.text
    assert "notify_emails.1" in bad.text and "email" in bad.text
    assert "valid_until: must not be before valid_from" in bad.text
    assert 'value="2026-12-31"' in bad.text, "what was typed is kept"
    made = c.post(
        "/desk/clients",
        data={"csrf_token": token, "name_en": "Blue Harbor", "name_ja": "ブルーハーバー", "language": "ja",
              "notify_emails": "it@blue.example", "retainer_from": "2026-01-01", "retainer_until": "2026-12-31",
              "retainer_minutes": "240"},
    )  # fmt: skip
    assert made.status_code == 303
    page = c.get(made.headers["location"])
    assert "ブルーハーバー" in page.text and 'value="240"' in page.text
    company_id = made.headers["location"].split("/")[-1].split("?")[0]
    person = c.post(
        f"/desk/clients/{company_id}/people",
        data={"csrf_token": token, "name": "Rin", "email": "rin@blue.example", "may_approve": "on", "language": "ja"},
    )
    assert person.status_code == 303
    dup = c.post(
        f"/desk/clients/{company_id}/people", data={"csrf_token": token, "name": "R", "email": "rin@blue.example"}
    )
    assert dup.status_code == 409 and "already belongs" in dup.text
    actions = [e.action for e in audit.recent(scene.web.store)]
    assert actions[:2] == ["person_add", "company_create"]


def test_a_rate_card_is_validated_by_the_billing_model_and_errors_name_field_and_rule(scene: DeskScene):
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    cid = scene.company.id
    token = session_csrf(c, f"/desk/clients/{cid}")
    card = scene.dispatch().rate_card().model_dump(mode="json")
    wrong = {**card, "overtime_multiplier": "0.5", "currency": "YENS"}
    r = c.post(f"/desk/clients/{cid}/rate-card", data={"csrf_token": token, "card_json": json.dumps(wrong)})
    assert r.status_code == 422
    assert re.search(r"overtime_multiplier</code> — <code>greater_than_equal", r.text)
    assert re.search(r"currency</code> — <code>string_too_long", r.text)

    def upload(content: bytes):
        files = {"card_file": ("card.json", content, "application/json")}
        return c.post(f"/desk/clients/{cid}/rate-card", files=files, data={"csrf_token": token})

    broken = upload(b"{nope")
    assert broken.status_code == 422 and "json_invalid" in broken.text
    huge = upload(b" " * 70_000)
    assert huge.status_code == 422 and "too_large" in huge.text
    with scene.dispatch() as d:
        assert d.get_company(cid).rate_card is None
    good = {**card, "label": "Contract 2027-A", "currency": "USD", "minor_units": 2}
    ok = upload(json.dumps(good).encode())
    assert ok.status_code == 303
    with scene.dispatch() as d:
        assert d.get_company(cid).rate_card.label == "Contract 2027-A"
    assert "Contract 2027-A" in c.get(f"/desk/clients/{cid}").text


def test_an_admin_adds_and_deactivates_a_dispatcher_who_is_signed_out_at_once(scene: DeskScene):
    admin = http_sign_in_dispatcher(scene.web, scene.desk_email)
    token = session_csrf(admin, "/desk/dispatchers")
    short = admin.post(
        "/desk/dispatchers",
        data={"csrf_token": token, "name": "Jo", "email": "jo@ecorpone.example", "password": "short"},
    )
    assert short.status_code == 422 and "password" in short.text
    made = admin.post(
        "/desk/dispatchers",
        data={
            "csrf_token": token,
            "name": "Jo Park",
            "email": "jo@ecorpone.example",
            "password": "a long enough password",
        },
    )
    assert made.status_code == 303
    jo = http_sign_in_dispatcher(scene.web, "jo@ecorpone.example", "a long enough password")
    assert jo.get("/desk").status_code == 200
    jo_id = made.headers["location"].split("created=")[1]
    assert admin.post(f"/desk/dispatchers/{jo_id}/active", data={"csrf_token": token, "active": "0"}).status_code == 303
    assert jo.get("/desk").status_code == 303, "a deactivated dispatcher's browser is signed out"
    [me] = [d.id for d in accounts.dispatchers(scene.web.store) if d.email == scene.desk_email]
    assert admin.post(f"/desk/dispatchers/{me}/active", data={"csrf_token": token, "active": "0"}).status_code == 409
    actions = [e.action for e in audit.recent(scene.web.store)]
    assert actions[:2] == ["dispatcher_deactivate", "dispatcher_add"]


def test_the_board_shows_the_retainer_sla_due_time_and_a_missed_one(scene: DeskScene):
    with scene.dispatch() as d:
        data = CompanyIn.model_validate(
            {
                "name_en": scene.company.name_en,
                "retainer": {"valid_from": "2026-01-01", "valid_until": "2027-12-31", "response_minutes": 60},
            }
        )
        d.update_company(scene.company.id, data)
    job = scene.approved_visit(0, hours_from_now=0.5)  # due: approval + 60 min (later than the start)
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    bar = _bar(c.get("/desk/board").text, job.id)
    assert "respond by" in bar and "SLA missed" not in bar
    scene.web.clock.jump_to(scene.web.clock() + timedelta(minutes=61))
    assert "SLA missed" in _bar(c.get("/desk/board").text, job.id)


def test_hostile_input_on_desk_forms_is_a_clear_error_never_a_5xx(scene: DeskScene):
    job = scene.portal_request()
    with scene.dispatch() as d:
        d.propose(job.id, [scene.engineer_ids[0]])
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    token = session_csrf(c, "/desk")
    nul = "Dan\x00iel"
    answers = [
        c.post(f"/desk/assignments/{job.id}/approve-by-phone", data={"csrf_token": token, "approved_by": nul}),
        c.post(f"/desk/assignments/{job.id}/cancel", data={"csrf_token": token, "reason": "x" * 5000}),
        c.post(
            "/desk/dispatchers", data={"csrf_token": token, "name": nul, "email": "n@x.example", "password": "p" * 20}
        ),
        c.post("/desk/clients", data={"csrf_token": token, "name_en": nul}),
        c.post("/desk/clients/CO-%00/people", data={"csrf_token": token, "name": "x", "email": "x@x.example"}),
        c.get("/desk/clients/CO-%00"),
        c.get("/desk/board?client=%00&engineer=" + "E" * 500),
    ]
    assert [a.status_code for a in answers] == [422, 422, 422, 422, 404, 404, 200]
    assert "approved_by" in answers[0].text and "unstorable_text" in answers[0].text
    with scene.dispatch() as d:
        assert d.get_assignment(job.id).status == "proposed"
    assert audit.recent(scene.web.store) == []


def test_the_intake_stream_carries_a_new_request_within_a_second(scene: DeskScene):
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    with c.stream("GET", "/desk/intake/live") as r:
        lines = r.iter_lines()
        assert "No open requests" in _next_board(lines)
        started = time.monotonic()
        new = scene.portal_request(title="Printer fleet swap", devices_on_site_confirmed=False)
        queue = _next_board(lines)
        assert time.monotonic() - started < 1.0
        assert new.id in queue and "Devices on site NOT confirmed" in queue
