"""The whole of the ordering party's journey (issue 12, "Done when") in one browser session, on one service with a
real SMTP server on 127.0.0.1, every link read from the mails: sign in by link, a two-location request typed in
Japanese with three mistakes shown next to their fields, fixed, an instructions PDF uploaded, sent; the dispatcher
proposes (API) the engineers the matching rules find fit; the approver approves from the mail; on the visit's day
(the service's clock moved there) the live page shows the arrival and two log entries as the engineer's phone
sends them (delay < 1 s, measured); a continuation is asked and accepted on the page; sign-off; the report
downloads and its SHA-256 verifies at /verify-report. Phone 390x844 in Japanese, desktop 1280x800 in English.
Screenshots: artifacts/screenshots/web/journey-<size>-<lang>-NN-<step>.png."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from api_client import DispatchClient
from api_client.clients import Company
from api_client.rules import matching
from api_client.texts import bill_line, text
from dispatch import engineer_profiles
from dispatch.principal import SYSTEM
from tests.conftest import DISPATCHER_TOKEN
from tests.web.conftest import DESKTOP, PHONE, WebService, mail_text, new_page, shot, sign_in_client
from tests.web.journey import (
    AT_MAPS_PIN,
    SSE_COUNTER,
    accept_a_continuation,
    approve_from_the_mail,
    fill_two_locations_with_three_mistakes,
    fix_them_and_upload_instructions,
    see_arrival_and_two_log_entries,
    see_three_mistakes_next_to_their_fields,
    send_request,
    sign_off_and_verify_the_report,
)
from tests.web.visits import AppPhone, add_engineer, propose_engineers

pytestmark = pytest.mark.e2e

TOKYO = ZoneInfo("Asia/Tokyo")
FOLLOW = re.compile(r"https?://\S+/portal/follow/[A-Za-z0-9_\-]+")


@pytest.mark.parametrize(("viewport", "lang"), [(PHONE, "ja"), (DESKTOP, "en")], ids=["phone-ja", "desktop-en"])
def test_the_ordering_party_requests_approves_follows_and_receives_the_report(
    web: WebService, acme: Company, browser: object, tmp_path, viewport: dict[str, int], lang: str
) -> None:
    size = "phone" if viewport is PHONE else "desktop"
    numbers = count(1)

    def step(label: str) -> str:
        return f"journey-{size}-{lang}-{next(numbers):02d}-{label}"

    name = "青井 葵" if lang == "ja" else "Aoi Aoki"
    aoi = web.person(acme, "aoi@acme.example", name, approver=True, language=lang)  # requests and approves
    page = new_page(browser, viewport, lang)
    page.add_init_script(SSE_COUNTER)  # type: ignore[attr-defined]

    # 1. Sign in by the mailed link; the request form, five days ahead in the site's zone (inside the client's
    # week-long session: the live page is followed in the same session).
    sign_in_client(page, web, aoi.email)
    page.get_by_role("link", name=text("request.heading", lang)).click()  # type: ignore[attr-defined]
    page.wait_for_url("**/portal/requests/new")  # type: ignore[attr-defined]
    shot(page, step("blank"))
    visit_day = (web.clock().astimezone(TOKYO) + timedelta(days=5)).date()
    fill_two_locations_with_three_mistakes(page, lang, visit_day.isoformat())
    see_three_mistakes_next_to_their_fields(page, lang, step)
    fix_them_and_upload_instructions(page, lang, tmp_path, step)
    assignment_id = send_request(page, web, lang, step)

    # 2. The dispatcher proposes (API) the engineers the matching rules find fit: the senior who speaks the
    # request's language, not the entry-level engineer.
    fit, token = add_engineer(web)
    unfit, _ = add_engineer(
        web, name="Jo Lee", name_ja="李 ジョー", email="jo@ecorpone.example", skill_level="entry", languages=["en"]
    )
    request = web.store.assignment(assignment_id, SYSTEM).request
    ranking = matching.rank(request, engineer_profiles.pool(web.store, request, assignment_id), assignment_id)
    assert [c.engineer.id for c in ranking.candidates] == [fit]
    assert [x.engineer.id for x in ranking.excluded] == [unfit]
    mails_before = len(web.inbox.messages)
    propose_engineers(web, assignment_id, [c.engineer.id for c in ranking.candidates[: ranking.needed]])

    # 3. The approver approves from the proposal mail's link.
    approve_from_the_mail(page, browser, web, aoi.email, viewport, lang, step, after=mails_before)
    assert web.store.assignment(assignment_id, SYSTEM).visit.approved_by == name

    # 4. The visit's day, five minutes before 10:00 at the site: the engineer's app signs in and the live
    # page (its link on the approval's answer) shows each event as the app syncs it.
    start = datetime.combine(visit_day, datetime.min.time(), TOKYO) + timedelta(hours=10)  # as typed in the form
    web.clock.jump_to(start - timedelta(minutes=5))
    phone = AppPhone(web, assignment_id, token, tmp_path / "device.sqlite3", lang)
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator(f'main a[href$="/portal/visits/{assignment_id}"]').click()  # type: ignore[attr-defined]
    see_arrival_and_two_log_entries(page, phone, lang, AT_MAPS_PIN, step)  # each delay measured, < 1 s

    # The local contact's read-only link, from the mail sent at the approval: the same visit, nothing to decide.
    follow = new_page(browser, viewport, lang)
    follow.goto(FOLLOW.search(mail_text(web.mail_to("mori@site.example"))).group(0))  # type: ignore[attr-defined,union-attr]
    assert "New switch racked" in follow.inner_text("#visit")  # type: ignore[attr-defined]
    assert follow.locator("#approve, #continue-accept, form[method=post]").count() == 0  # type: ignore[attr-defined]
    shot(follow, step("follow-link"))
    follow.context.close()  # type: ignore[attr-defined]

    # 5. After 2 h 50 min on site (of 3 h reserved) the engineer asks to continue; the ordering party accepts on
    # the live page.
    web.clock.jump_to(start + timedelta(hours=2, minutes=45))
    accept_a_continuation(page, web, phone, name, step)

    # 6. Sign-off after 3 h 45 min on site; the report downloads from the page and its hash verifies; it
    # shows the accepted continuation and bills the overtime it allowed.
    web.clock.jump_to(start + timedelta(hours=3, minutes=40))
    pdf = sign_off_and_verify_the_report(page, phone, step, f"journey-{size}-{lang}", confirmed_steps=[])
    page.context.close()  # type: ignore[attr-defined]
    phone.close()
    report = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    decided = text(
        "report.event.continuation_decided",
        lang,
        decision=text("continuation.accepted", lang),
        who=name,
        via=text("continuation.via.portal", lang),
    )
    assert text("kind.decide_continuation", lang) in report and decided in report
    with DispatchClient(web.url, DISPATCHER_TOKEN) as desk:
        bill = desk.bill(assignment_id)
    assert bill.overtime_billed_minutes == 45  # 45 min past the 3 h reserved, accepted: all billed
    overtime = bill_line(
        "overtime",
        lang,
        skill=request.skill_level,
        engineer_count=1,
        charged_hours=bill.charged_hours,
        overtime_minutes=bill.overtime_minutes,
        overtime_billed_minutes=45,
    )
    assert overtime.replace("\n", "") in report
