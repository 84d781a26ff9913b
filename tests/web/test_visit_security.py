"""The proposal, the visit page and the read-only link, as an attacker or a careless client would use them: over
HTTP against the real service on 127.0.0.1 with the real SMTP inbox."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from api_client.clients import Company
from dispatch import accounts, audit
from dispatch.principal import SYSTEM
from dispatch.visit_mail import decide_purpose
from tests.web.conftest import WebService, csrf_of, http_client, http_sign_in_client, mail_text, session_csrf
from tests.web.visits import new_visit, photo_png

_DECIDE = re.compile(r"https?://\S+/portal/decide/[A-Za-z0-9_\-]+/[A-Za-z0-9_\-]+(?:\?lang=\w\w)?")
_FOLLOW = re.compile(r"https?://\S+/portal/follow/[A-Za-z0-9_\-]+")


def _decide_link(web: WebService, email: str, after: int = 0) -> str:
    found = _DECIDE.search(mail_text(web.mail_to(email, after=after)))
    assert found
    return found.group(0).removeprefix(web.url)


@pytest.fixture
def other(web: WebService) -> Company:
    return web.company("Other Corp", "他社")


def test_the_approver_is_mailed_the_proposal_in_their_language_and_approves_once(web: WebService, acme: Company):
    aoi = web.person(acme, "aoi@acme.example", "青井 葵", approver=True, language="ja")
    web.person(acme, "req@acme.example", approver=False)  # may not approve: gets no proposal
    visit = new_visit(web, acme)
    mail = web.mail_to(aoi.email)
    body = mail_text(mail)
    assert "佐藤 健二" in body and "シニア" in body and "+81" in body and "sato@ecorpone.example" in body
    images = [p for p in mail.walk() if p.get_content_maintype() == "image"]
    assert images and images[0]["Content-ID"] == f"<photo-{visit.engineer_id}>"
    assert not [m for m in web.inbox.messages if "req@acme.example" in str(m["To"])]

    link = _decide_link(web, aoi.email)
    c = http_client(web)
    page = c.get(link)
    assert page.status_code == 200 and "佐藤 健二" in page.text
    at = web.clock()
    answer = c.post(link, data={"csrf_token": csrf_of(page.text), "action": "approve"})
    assert answer.status_code == 200, answer.text
    a = web.store.assignment(visit.id, SYSTEM)
    assert a.status == "approved" and a.visit.approved_by == "青井 葵"
    assert abs(a.visit.approved_at - at) < timedelta(seconds=5)  # the server's time, not a device's
    [event] = [e for e in web.store.events(visit.id, SYSTEM) if e.kind == "approve"]
    assert event.actor == f"person:{aoi.id}"
    assert [(e.actor, e.action) for e in audit.trail(web.store, visit.id)] == [(f"person:{aoi.id}", "approve")]
    # The link works once.
    assert c.get(link).status_code == 410
    assert c.post(link, data={"csrf_token": csrf_of(page.text), "action": "approve"}).status_code == 410


def test_an_expired_decision_link_is_refused(web: WebService, acme: Company):
    aoi = web.person(acme, "aoi@acme.example", approver=True)
    visit = new_visit(web, acme)
    link = _decide_link(web, aoi.email)
    c = http_client(web)
    token = csrf_of(c.get(link).text)
    web.clock.jump_to(web.clock() + timedelta(hours=24, minutes=1))
    assert c.get(link).status_code == 410
    assert c.post(link, data={"csrf_token": token, "action": "approve"}).status_code == 410
    assert web.store.assignment(visit.id, SYSTEM).status == "proposed"


def test_another_companys_person_can_neither_see_nor_approve(web: WebService, acme: Company, other: Company):
    web.person(acme, "aoi@acme.example", approver=True)
    eve = web.person(other, "eve@other.example", approver=True)
    visit = new_visit(web, acme)
    c = http_sign_in_client(web, eve.email)
    token = session_csrf(c, "/portal")
    for path in (
        f"/portal/visits/{visit.id}",
        f"/portal/visits/{visit.id}/live",
        f"/portal/visits/{visit.id}/report.pdf",
    ):
        assert c.get(path).status_code == 404, path
    assert c.get(f"/portal/visits/{visit.id}/engineers/{visit.engineer_id}/photo").status_code == 404
    for action in ("approve", "change", "continuation"):
        r = c.post(f"/portal/visits/{visit.id}/{action}", data={"csrf_token": token, "note": "x", "decision": "accept"})
        assert r.status_code == 404, action
    # Even a decision link in Eve's name for Acme's visit is refused: she may not approve for Acme.
    forged = accounts.issue_link(web.store, decide_purpose(visit.id), eve.id)
    page = c.get(f"/portal/decide/{visit.id}/{forged}")
    assert page.status_code == 410
    assert (
        c.post(f"/portal/decide/{visit.id}/{forged}", data={"csrf_token": token, "action": "approve"}).status_code
        == 410
    )
    assert web.store.assignment(visit.id, SYSTEM).status == "proposed"


def test_a_person_who_may_not_approve_cannot_decide(web: WebService, acme: Company):
    web.person(acme, "aoi@acme.example", approver=True)
    rie = web.person(acme, "rie@acme.example", approver=False)
    visit = new_visit(web, acme)
    c = http_sign_in_client(web, rie.email)
    assert c.get(f"/portal/visits/{visit.id}").status_code == 200  # same company: she may follow it
    token = session_csrf(c, f"/portal/visits/{visit.id}")
    assert c.post(f"/portal/visits/{visit.id}/approve", data={"csrf_token": token}).status_code == 403
    link = accounts.issue_link(web.store, decide_purpose(visit.id), rie.id)
    assert c.get(f"/portal/decide/{visit.id}/{link}").status_code == 410
    assert web.store.assignment(visit.id, SYSTEM).status == "proposed"


def test_forms_without_their_csrf_token_are_refused(web: WebService, acme: Company):
    aoi = web.person(acme, "aoi@acme.example", approver=True)
    visit = new_visit(web, acme)
    link = _decide_link(web, aoi.email)
    anonymous = http_client(web)
    anonymous.get(link)  # the pre-session CSRF cookie is set, but the form does not repeat it
    assert anonymous.post(link, data={"action": "approve"}).status_code == 403
    c = http_sign_in_client(web, aoi.email)
    assert c.post(f"/portal/visits/{visit.id}/approve", data={}).status_code == 403
    assert c.post(f"/portal/visits/{visit.id}/approve", data={"csrf_token": "forged"}).status_code == 403
    assert web.store.assignment(visit.id, SYSTEM).status == "proposed"
    # With its token the same form works, and says who approved.
    token = session_csrf(c, f"/portal/visits/{visit.id}")
    assert c.post(f"/portal/visits/{visit.id}/approve", data={"csrf_token": token}).status_code == 303
    assert web.store.assignment(visit.id, SYSTEM).visit.approved_by == aoi.name


def test_asking_for_a_change_reaches_the_desk_and_keeps_the_proposal(web: WebService, acme: Company):
    aoi = web.person(acme, "aoi@acme.example", approver=True)
    visit = new_visit(web, acme)
    link = _decide_link(web, aoi.email)
    c = http_client(web)
    token = csrf_of(c.get(link).text)
    empty = c.post(link, data={"csrf_token": token, "action": "change", "note": "  "})
    assert empty.status_code == 422 and "What should change?" in empty.text
    assert c.get(link).status_code == 200  # a refused form does not use the link up
    answer = c.post(link, data={"csrf_token": token, "action": "change", "note": "Please send a Japanese speaker"})
    assert answer.status_code == 200
    [entry] = audit.trail(web.store, visit.id)
    assert entry.action == "ask_change" and entry.detail["note"] == "Please send a Japanese speaker"
    assert web.store.assignment(visit.id, SYSTEM).status == "proposed"
    assert c.get(link).status_code == 410  # once per decision: a new proposal mails a new link


def test_a_local_contacts_read_only_link_shows_the_visit_but_cannot_decide(web: WebService, acme: Company):
    aoi = web.person(acme, "aoi@acme.example", approver=True)
    visit = new_visit(web, acme, contact_email="ken.ito@site.example")
    c = http_sign_in_client(web, aoi.email)
    token = session_csrf(c, f"/portal/visits/{visit.id}")
    assert c.post(f"/portal/visits/{visit.id}/approve", data={"csrf_token": token}).status_code == 303
    found = _FOLLOW.search(mail_text(web.mail_to("ken.ito@site.example")))
    assert found
    follow = found.group(0).removeprefix(web.url)
    assert follow in c.get(f"/portal/visits/{visit.id}").text  # shown to the ordering party to share

    visit.send("arrive", position={"latitude": 35.681236, "longitude": 139.767125, "accuracy_m": 10})
    visit.send("start_work", assisted_by="Ken Ito")
    visit.send("ask_continuation", extra_minutes=45)
    contact = http_client(web)
    page = contact.get(follow)
    assert page.status_code == 200 and "Kenji Sato" in page.text
    assert 'name="decision"' not in page.text and "/continuation" not in page.text
    assert "report.pdf" not in page.text
    csrf = contact.cookies.get("field_csrf")  # the pre-session token: a well-formed post, still refused
    for path in (f"{follow}/continuation", f"{follow}/approve", f"{follow}"):
        r = contact.post(path, data={"csrf_token": csrf, "decision": "accept"})
        assert r.status_code in (404, 405), path
    # Nor through the ordering party's own address: that needs a signed-in person of the company.
    r = contact.post(f"/portal/visits/{visit.id}/continuation", data={"csrf_token": csrf, "decision": "accept"})
    assert r.status_code == 303 and r.headers["location"].startswith("/portal/sign-in")  # no session: sign in
    assert web.store.assignment(visit.id, SYSTEM).visit.pending_continuation is not None
    assert contact.get("/portal/follow/" + "x" * 43).status_code == 404


def test_the_ordering_party_answers_a_continuation_on_the_visit_page(web: WebService, acme: Company):
    aoi = web.person(acme, "aoi@acme.example", approver=True)
    visit = new_visit(web, acme)
    c = http_sign_in_client(web, aoi.email)
    token = session_csrf(c, f"/portal/visits/{visit.id}")
    c.post(f"/portal/visits/{visit.id}/approve", data={"csrf_token": token})
    visit.send("arrive")
    visit.send("start_work", assisted_by="Ken Ito")
    visit.send("ask_continuation", extra_minutes=30)
    page = c.get(f"/portal/visits/{visit.id}")
    assert "about 30 more minutes" in page.text
    assert (
        c.post(f"/portal/visits/{visit.id}/continuation", data={"csrf_token": token, "decision": "decline"}).status_code
        == 303
    )
    v = web.store.assignment(visit.id, SYSTEM).visit
    assert v.continuation.value == "declined" and v.continuations[0].decided_by == aoi.name
    assert v.continuations[0].via.value == "portal"
    again = c.post(f"/portal/visits/{visit.id}/continuation", data={"csrf_token": token, "decision": "accept"})
    assert again.status_code == 409  # nothing left to answer


def test_work_log_photos_show_only_where_the_client_allows(web: WebService):
    shy = web.company("Shy Corp", "シャイ社", show_log_photos=False)
    open_co = web.company("Open Corp", "オープン社")
    for company, shown in ((shy, False), (open_co, True)):
        person = web.person(company, f"aoi@{company.id.lower()}.example", approver=True)
        visit = new_visit(web, company, contact_email=f"site@{company.id.lower()}.example")
        c = http_sign_in_client(web, person.email)
        token = session_csrf(c, f"/portal/visits/{visit.id}")
        c.post(f"/portal/visits/{visit.id}/approve", data={"csrf_token": token})
        visit.send("arrive")
        visit.send("start_work", assisted_by="Ken Ito")
        photo = base64.b64encode(photo_png()).decode()
        result = visit.send("log", text="Rack photo", photo_base64=photo)
        page = c.get(f"/portal/visits/{visit.id}").text
        photo_url = f"/portal/visits/{visit.id}/photos/{result.id}"
        assert (photo_url in page) is shown
        assert ("photo — not shown on this page" in page) is not shown
        assert c.get(photo_url).status_code == (200 if shown else 404)


def test_a_proposal_made_with_the_cli_is_mailed_by_the_serving_instance(web: WebService, acme: Company, tmp_path):
    aoi = web.person(acme, "aoi@acme.example", approver=True)
    visit = new_visit(web, acme, propose=False)
    root = Path(__file__).resolve().parents[2]
    db = web.service.settings.database_url.removeprefix("sqlite:///")
    cli = subprocess.run(
        [sys.executable, "-m", "dispatch.cli", "propose", visit.id, visit.engineer_id, "--db", db],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )
    assert cli.returncode == 0, cli.stderr
    assert _decide_link(web, aoi.email).startswith(f"/portal/decide/{visit.id}/")  # the worker polls the queue


def test_the_visit_page_says_running_late_and_an_arrival_it_could_not_verify(web: WebService, acme: Company):
    aoi = web.person(acme, "aoi@acme.example", approver=True)
    visit = new_visit(web, acme)
    c = http_sign_in_client(web, aoi.email)
    path = f"/portal/visits/{visit.id}"
    c.post(f"{path}/approve", data={"csrf_token": session_csrf(c, path)})
    assert "Expected at" in c.get(path).text
    visit.send("running_late", eta_minutes=90)
    assert "Running late: now expected at" in c.get(path).text
    visit.send("arrive", position={"latitude": 35.0, "longitude": 135.0, "accuracy_m": 10})  # far away
    page = c.get(path).text
    assert "Arrival NOT verified" in page and "now expected at" not in page  # arrived: lateness is over


def test_a_note_too_long_or_an_unknown_action_is_a_page_error_not_a_server_error(web: WebService, acme: Company):
    aoi = web.person(acme, "aoi@acme.example", approver=True)
    new_visit(web, acme)
    link = _decide_link(web, aoi.email)
    c = http_client(web)
    token = csrf_of(c.get(link).text)
    long = c.post(link, data={"csrf_token": token, "action": "change", "note": "x" * 30_000})
    assert long.status_code == 422 and "2000" in long.text and long.headers["content-type"].startswith("text/html")
    odd = c.post(link, data={"csrf_token": token, "action": "approve-everything"})
    assert odd.status_code == 422 and odd.headers["content-type"].startswith("text/html")
    assert c.get(link).status_code == 200  # neither used the link up
