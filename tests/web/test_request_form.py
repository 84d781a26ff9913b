"""Request a visit, over real HTTP: form posts with CSRF, the API's own rules next to each field, the draft kept,
rows added and removed without JavaScript, documents checked by content and limits, the expedite fee confirmed
before sending, Class 4 alerting the desk, another company's person kept out, and the desk's on-behalf entry."""

from __future__ import annotations

import asyncio
import re
import threading
from html import unescape
from typing import Any

import httpx
import pytest

from api_client.clients import CompanyIn, RetainerSLA
from api_client.documents import MAX_DOCUMENT_BYTES, MAX_DOCUMENTS
from dispatch import audit
from dispatch.db import AssignmentRow, RequestDraftRow
from dispatch.principal import SYSTEM
from tests.conftest import DISPATCHER_TOKEN
from tests.web.conftest import (
    WebService,
    add_company,
    http_client,
    http_sign_in_client,
    http_sign_in_dispatcher,
    session_csrf,
)

MAPS = "https://www.google.com/maps/place/DC/@35.6284,139.7387,17z/data=!3m1!4b1!4m2!3m1!8m2!3d35.6284!4d139.7387"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def valid_fields(**over: str) -> dict[str, str]:
    """A request that passes every rule (the visit a week after the suite's instant: not expedited)."""
    fields = {
        "title": "Replace core switch",
        "ordering_party.company": "Acme Systems",
        "ordering_party.engineer.name": "Aoi Aoyama",
        "ordering_party.engineer.email": "aoi@acme.example",
        "visit_date": "2026-12-10",
        "visit_time": "10:00",
        "site_timezone": "Asia/Tokyo",
        "urgency": "1",
        "skill_level": "senior",
        "engineer_count": "1",
        "languages.ja": "on",
        "locations.n": "1",
        "locations.0.name": "Shinagawa DC",
        "locations.0.address": "東京都品川区東品川 2-2-20",
        "locations.0.maps_url": MAPS,
        "locations.0.floor": "B1",
        "locations.0.local_contacts.n": "1",
        "locations.0.local_contacts.0.name": "Ken Mori",
        "locations.0.local_contacts.0.phone": "+81 3-1234-5678",
        "items.n": "1",
        "items.0.name": "RS-232C cable",
        "items.0.requested": "requested",
        "paperwork.n": "1",
        "paperwork.0.name": "NDA",
        "paperwork.0.status": "sent",
        "work.steps.n": "1",
        "work.steps.0.title": "Back up the config",
        "work.steps.0.confirm_after": "Backup file size checked",
        "work.summary": "Swap the core switch",
        "devices_on_site_confirmed": "on",
    }
    fields.update(over)
    return {k: v for k, v in fields.items() if v is not None}


def post(c: httpx.Client, path: str, fields: dict[str, str], action: str = "send", **kw: Any) -> httpx.Response:
    token = session_csrf(c, "/portal" if path.startswith("/portal") else "/desk")
    return c.post(path, data={**fields, "csrf_token": token, "action": action}, **kw)


def errors_at(html: str) -> dict[str, list[str]]:
    """The rules shown next to each field: {field name: [messages]}."""
    found: dict[str, list[str]] = {}
    for name, body in re.findall(r'<ul class="field-errors" id="[^"]*" data-field="([^"]+)">(.*?)</ul>', html, re.S):
        found[name] = [unescape(m).strip() for m in re.findall(r'<li class="error">(.*?)</li>', body, re.S)]
    return found


@pytest.fixture
def aoi(web: WebService, acme) -> httpx.Client:
    web.person(acme, "aoi@acme.example", "Aoi Aoyama", language="en")
    return http_sign_in_client(web, "aoi@acme.example")


def test_a_valid_request_is_sent_recorded_and_listed(web: WebService, acme, aoi: httpx.Client) -> None:
    form = aoi.get("/portal/requests/new")
    assert form.status_code == 200 and 'name="locations.0.maps_url"' in form.text
    assert "2 hours plus a 30-minute grace period" in form.text  # the reservation rule, next to its field
    answer = post(aoi, "/portal/requests/new", valid_fields())
    assert answer.status_code == 303, answer.text
    sent = re.fullmatch(r"/portal/requests/(ASG-\w+)/sent", answer.headers["location"])
    assert sent
    assignment_id = sent.group(1)
    page = aoi.get(answer.headers["location"])
    assert page.status_code == 200 and assignment_id in page.text
    assert assignment_id in aoi.get("/portal").text  # the company's visits list
    with web.store.sessions() as s:
        row = s.get(AssignmentRow, assignment_id)
        assert row.company_id == acme.id and row.requested_by.startswith("P-") and not row.expedited
    a = web.store.assignment(assignment_id, SYSTEM)
    assert a.request.locations[0].latitude == pytest.approx(35.6284)
    assert a.request.items[0].requested and a.request.paperwork[0].status.value == "sent"
    assert a.request.reservation_defaulted and a.request.grace == 30
    assert a.request.ordering_party.notify_emails == ["ops@acme.example", "aoi@acme.example"]  # the account's
    assert [e.action for e in audit.trail(web.store, assignment_id)] == ["request"]
    # the same draft cannot be sent twice (a double click, a second tab)
    with web.store.sessions() as s:
        draft_id = s.query(RequestDraftRow).one().id
    again = post(aoi, f"/portal/requests/drafts/{draft_id}", valid_fields())
    assert again.headers["location"] == f"/portal/requests/{assignment_id}/sent"
    with web.store.sessions() as s:
        assert s.query(AssignmentRow).count() == 1


def test_a_form_without_its_csrf_token_is_refused(web: WebService, aoi: httpx.Client) -> None:
    answer = aoi.post("/portal/requests/new", data={**valid_fields(), "action": "send"})
    assert answer.status_code == 403
    with web.store.sessions() as s:
        assert s.query(RequestDraftRow).count() == 0 and s.query(AssignmentRow).count() == 0


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_mistake_is_shown_next_to_its_field_and_nothing_typed_is_lost(web: WebService, acme, lang: str) -> None:
    web.person(acme, "ren@acme.example", "Ren", language=lang)
    c = http_sign_in_client(web, "ren@acme.example")
    bad = valid_fields(
        **{
            "locations.0.local_contacts.0.phone": "03-1234-5678",  # no country code
            "locations.0.maps_url": "https://maps.example.com/place/1",  # not Google Maps
            "languages.ja": None,  # no language
            "reserved_hours": "2.1",  # not a quarter hour
            "notes": "持参品は台車で搬入します",
        }
    )
    answer = post(c, "/portal/requests/new", bad)
    assert answer.status_code == 303 and answer.headers["location"].endswith("#errors")
    page = c.get(answer.headers["location"].split("#")[0])
    shown = errors_at(page.text)
    expected = {
        "en": {
            "locations.0.local_contacts.0.phone": "Include the country code",
            "locations.0.maps_url": "Must be a Google Maps link",
            "languages": "Choose at least one language",
            "reserved_hours": "steps of 0.25 hours",
        },
        "ja": {
            "locations.0.local_contacts.0.phone": "国番号を付けてください",
            "locations.0.maps_url": "Google マップのリンク",
            "languages": "少なくとも1つの言語",
            "reserved_hours": "0.25 時間",
        },
    }[lang]
    assert set(shown) == set(expected), shown
    for field, words in expected.items():
        assert any(words in m for m in shown[field]), (field, shown[field])
    for typed in ("03-1234-5678", "https://maps.example.com/place/1", "2.1", "持参品は台車で搬入します", "Ken Mori"):
        assert typed in unescape(page.text)
    assert page.text.count('aria-invalid="true"') >= 3
    # fixing them sends the request from the same draft
    draft_path = answer.headers["location"].split("#")[0]
    fixed = post(c, draft_path, valid_fields(notes="持参品は台車で搬入します"))
    assert fixed.status_code == 303 and fixed.headers["location"].endswith("/sent")


def test_the_seed_rules_run_with_field_errors_and_land_on_their_fields(web: WebService, aoi: httpx.Client) -> None:
    fields = valid_fields(
        **{
            "skill_level": "entry",
            "locations.0.local_contacts.0.name": "",
            "locations.0.local_contacts.0.phone": "",
            "ordering_party.engineer.email": "",
            "title": "",
        }
    )
    answer = post(aoi, "/portal/requests/new", fields)
    shown = errors_at(aoi.get(answer.headers["location"].split("#")[0]).text)
    assert "title" in shown
    assert any("local contact" in m for m in shown["locations.0.local_contacts"])
    assert any("assistance" in m for m in shown["skill_level"])
    assert any("phone, email or WhatsApp" in m for m in shown["ordering_party.engineer"])


def test_rows_are_added_and_removed_without_javascript_from_the_draft(web: WebService, aoi: httpx.Client) -> None:
    first = post(aoi, "/portal/requests/new", valid_fields(), action="add:locations")
    draft = first.headers["location"].split("#")[0]
    page = aoi.get(draft).text
    assert 'name="locations.1.name"' in page and 'name="locations.1.local_contacts.0.phone"' in page
    two = valid_fields(
        **{
            "locations.n": "2",
            "locations.1.name": "Ōi DC",
            "locations.1.address": "Ōi",
            "locations.1.maps_url": MAPS,
            "locations.1.local_contacts.n": "1",
            "locations.1.local_contacts.0.name": "Yui",
            "locations.1.local_contacts.0.phone": "+81 90-1234-5678",
        }
    )
    post(aoi, draft, two, action="remove:locations.0")
    page = aoi.get(draft).text
    assert 'value="Ōi DC"' in page and 'value="Shinagawa DC"' not in page and 'name="locations.1.name"' not in page
    post(aoi, draft, two, action="add:locations.1.local_contacts")
    assert 'name="locations.1.local_contacts.1.name"' in aoi.get(draft).text
    # a posted count beyond the contract's limit is cut to it
    post(aoi, draft, valid_fields(**{"locations.n": "999"}), action="save")
    with web.store.sessions() as s:
        assert s.get(RequestDraftRow, draft.rsplit("/", 1)[1]).fields["locations.n"] == "20"


def _upload(c: httpx.Client, path: str, files: list[tuple[str, bytes]], fields: dict[str, str] | None = None):
    token = session_csrf(c, "/portal")
    data = {**(fields or valid_fields()), "csrf_token": token, "action": "upload", "document_kind": "instructions"}
    return c.post(path, data=data, files=[("documents", (name, body, "application/pdf")) for name, body in files])


def test_documents_are_checked_by_content_size_and_count(web: WebService, aoi: httpx.Client) -> None:
    first = _upload(aoi, "/portal/requests/new", [("手順書.pdf", PDF)])
    draft = first.headers["location"].split("#")[0]
    page = aoi.get(draft).text
    assert "手順書.pdf" in page
    fake = _upload(aoi, draft, [("plan.pdf", b"MZ\x90\x00 an executable, named .pdf")])
    assert fake.status_code == 303
    page = unescape(aoi.get(draft).text)
    assert "plan.pdf: not added: only PDF, PNG or JPEG" in page
    big = _upload(aoi, draft, [("big.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES)])
    assert big.status_code == 303 and "big.pdf: not added: larger than 8 MB" in unescape(aoi.get(draft).text)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    _upload(aoi, draft, [(f"plan-{i}.png", png) for i in range(MAX_DOCUMENTS)])
    page = unescape(aoi.get(draft).text)
    assert "plan-9.png: not added: at most 10 documents" in page and "plan-8.png:" not in page
    doc_id = re.search(r'/documents/(DOC-\w+)"', page).group(1)
    got = aoi.get(f"{draft}/documents/{doc_id}")
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    sent = post(aoi, draft, valid_fields())
    assignment_id = sent.headers["location"].split("/")[3]
    with httpx.Client(base_url=web.url, headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}) as api:
        a = api.get(f"/v1/assignments/{assignment_id}").json()
        assert len(a["documents"]) == MAX_DOCUMENTS and a["documents"][0]["name"] == "手順書.pdf"
        assert a["request"]["work"]["documents"][0] == "手順書.pdf"
        doc = a["documents"][0]
        body = api.get(f"/v1/assignments/{assignment_id}/documents/{doc['id']}")
        assert body.content == PDF and body.headers["x-content-sha256"] == doc["sha256"]


def test_another_companys_person_gets_404(web: WebService, acme, aoi: httpx.Client) -> None:
    first = _upload(aoi, "/portal/requests/new", [("a.pdf", PDF)])
    draft = first.headers["location"].split("#")[0]
    doc_id = re.search(r'/documents/(DOC-\w+)"', aoi.get(draft).text).group(1)
    sent = post(aoi, draft, valid_fields()).headers["location"]
    other = add_company(web, CompanyIn(name_en="Other Co"))
    web.person(other, "eve@other.example", "Eve")
    eve = http_sign_in_client(web, "eve@other.example")
    second = post(eve, "/portal/requests/new", valid_fields(), action="save").headers["location"]
    for path in (draft, f"{draft}/documents/{doc_id}", f"{draft}/confirm", sent):
        assert eve.get(path).status_code == 404, path
    assert post(eve, draft, valid_fields()).status_code == 404
    assert aoi.get(second).status_code == 404  # and the reverse: Eve's draft is not Aoi's
    assert sent.split("/")[3] not in eve.get("/portal").text


def test_a_person_who_may_not_request_is_refused(web: WebService, acme) -> None:
    with web.api() as api:
        body = {"company_id": acme.id, "name": "Viewer", "email": "view@acme.example", "may_request": False}
        assert api.post(f"/v1/clients/{acme.id}/people", json=body).status_code == 201
    c = http_sign_in_client(web, "view@acme.example")
    assert c.get("/portal/requests/new").status_code == 403


def test_short_lead_time_without_a_retainer_shows_the_expedite_fee_before_sending(
    web: WebService, aoi: httpx.Client
) -> None:
    tomorrow = valid_fields(visit_date="2026-12-04")
    answer = post(aoi, "/portal/requests/new", tomorrow)
    assert answer.headers["location"].endswith("/confirm")
    page = aoi.get(answer.headers["location"])
    assert "Expedite fee: ¥30,000" in unescape(page.text)
    with web.store.sessions() as s:
        assert s.query(AssignmentRow).count() == 0  # nothing sent before the fee is accepted
    token = session_csrf(aoi, "/portal")
    sent = aoi.post(answer.headers["location"], data={"csrf_token": token})
    assert sent.status_code == 303 and sent.headers["location"].endswith("/sent")
    with web.store.sessions() as s:
        assert s.query(AssignmentRow).one().expedited


def test_a_retainer_covering_the_visit_day_skips_the_fee(web: WebService) -> None:
    retainer = RetainerSLA(valid_from="2026-01-01", valid_until="2026-12-31", response_minutes=240)
    kept = add_company(web, CompanyIn(name_en="Kept Co", retainer=retainer))
    web.person(kept, "kai@kept.example", "Kai")
    c = http_sign_in_client(web, "kai@kept.example")
    answer = post(c, "/portal/requests/new", valid_fields(visit_date="2026-12-04"))
    assert answer.headers["location"].endswith("/sent")


def test_class_4_shows_the_emergency_number_and_alerts_the_desk_at_once(web: WebService, aoi: httpx.Client) -> None:
    heard: list[str] = []
    ready = threading.Event()

    async def listen() -> None:
        async with web.store.live.subscribe() as feed:
            ready.set()
            async for change in feed:
                if change.kind in {"class4", "requested"}:
                    heard.append(change.kind)
                    return

    listener = threading.Thread(target=lambda: asyncio.run(asyncio.wait_for(listen(), 20)))
    listener.start()
    assert ready.wait(10)
    answer = post(aoi, "/portal/requests/new", valid_fields(urgency="4"))
    assert answer.headers["location"].endswith("/confirm")  # Class 4 is always expedited
    page = unescape(aoi.get(answer.headers["location"]).text)
    assert "call eCorpOne now" in page and web.service.settings.emergency_phone in page
    sent = aoi.post(answer.headers["location"], data={"csrf_token": session_csrf(aoi, "/portal")})
    listener.join(20)
    assert heard == ["class4"]
    page = unescape(aoi.get(sent.headers["location"]).text)
    assert "Class 4 — call eCorpOne now" in page and "Demo number" in page


def test_the_desk_enters_a_request_on_a_clients_behalf(web: WebService, acme) -> None:
    web.dispatcher("hana@ecorpone.example", name="Hana Desk")
    desk = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    assert acme.id in desk.get("/desk/requests/new").text  # choose the client
    form = desk.get(f"/desk/requests/new?company={acme.id}")
    assert form.status_code == 200 and 'name="caller_name"' in form.text and "Acme Systems" in form.text
    answer = post(desk, f"/desk/requests/new?company={acme.id}", valid_fields())
    draft = answer.headers["location"].split("#")[0]
    assert draft.startswith("/desk/requests/drafts/")
    assert "Enter the caller" in " ".join(errors_at(desk.get(draft).text)["caller_name"])
    sent = post(desk, draft, valid_fields(caller_name="山本 直樹"))
    assignment_id = sent.headers["location"].split("/")[3]
    assert "requested by phone by 山本 直樹" in desk.get(sent.headers["location"]).text
    with web.store.sessions() as s:
        row = s.get(AssignmentRow, assignment_id)
        assert (row.company_id, row.requested_by_phone, row.requested_by) == (acme.id, "山本 直樹", None)
    [entry] = audit.trail(web.store, assignment_id)
    assert entry.action == "request_by_phone" and entry.detail["caller"] == "山本 直樹"
    assert entry.actor.startswith("dispatcher:D-")
    web.person(acme, "aoi@acme.example", "Aoi")
    assert assignment_id in http_sign_in_client(web, "aoi@acme.example").get("/portal").text
    # a client cannot open the desk's form, nor the desk's draft
    client = http_sign_in_client(web, "aoi@acme.example")
    assert client.get(f"/desk/requests/new?company={acme.id}").status_code == 404
    assert client.get(draft).status_code == 404
    assert http_client(web).get(draft).status_code in {303, 307}  # signed out: to the sign-in page


def test_a_post_with_more_fields_than_the_limit_is_refused_before_anything_is_stored(
    web: WebService, aoi: httpx.Client
) -> None:
    token = session_csrf(aoi, "/portal")
    flood = {f"items.{i}.name": "x" for i in range(1001)} | {"csrf_token": token, "action": "save"}
    answer = aoi.post("/portal/requests/new", data=flood)
    assert answer.status_code == 400
    with web.store.sessions() as s:
        assert s.query(RequestDraftRow).count() == 0


def test_a_field_is_checked_as_it_is_left_with_the_same_rules(web: WebService, aoi: httpx.Client) -> None:
    """htmx's per-field check: the field's own error slot, from the API's validator; nothing stored."""
    token = session_csrf(aoi, "/portal")
    fields = valid_fields(**{"locations.0.local_contacts.0.phone": "03-1234-5678"})
    headers = {"HX-Request": "true", "HX-Trigger-Name": "locations.0.local_contacts.0.phone", "X-CSRF-Token": token}
    answer = aoi.post("/portal/requests/check", data=fields, headers=headers)
    assert answer.status_code == 200
    assert 'id="f-locations-0-local_contacts-0-phone-errors" hx-swap-oob="true"' in answer.text
    assert "Include the country code" in unescape(answer.text) and "Required" not in answer.text
    fine = aoi.post("/portal/requests/check", data=valid_fields(), headers=headers)
    assert "field-errors" not in fine.text.replace("field-errors-slot", "")  # fixed: the slot empties
    langs = {**headers, "HX-Trigger-Name": "languages.ja"}
    assert (
        "Choose at least one language"
        in aoi.post("/portal/requests/check", data=valid_fields(**{"languages.ja": None}), headers=langs).text
    )
    assert aoi.post("/portal/requests/check", data=fields, headers={"HX-Trigger-Name": "title"}).status_code == 403
    with web.store.sessions() as s:
        assert s.query(RequestDraftRow).count() == 0
