"""Sessions slide while in use, and a session that ended sends its person to sign in again — from a page or from a
form, never to a CSRF refusal — and back to where they were, with a request form's typing kept in its draft.
Time moves on the service's own clock (`web.clock.jump_to`), never the wall clock."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from api_client.texts import text
from dispatch import accounts
from dispatch.db import RequestDraftRow
from dispatch.web.sessions import LIFETIME
from tests.web.conftest import (
    PHONE,
    WebService,
    csrf_of,
    http_client,
    http_sign_in_client,
    http_sign_in_dispatcher,
    link_in,
    new_page,
    shot,
    sign_in_client,
)

WEEK = int(LIFETIME["client"].total_seconds())
SHIFT = int(LIFETIME["dispatcher"].total_seconds())


def _session_cookie(answer: httpx.Response) -> str | None:
    return next((h for h in answer.headers.get_list("set-cookie") if h.startswith("field_session=")), None)


def _sign_in_target(answer: httpx.Response, area: str) -> dict[str, list[str]]:
    assert answer.status_code == 303, (answer.status_code, answer.text[:300])
    location = urlsplit(answer.headers["location"])
    assert location.path == f"/{area}/sign-in", answer.headers["location"]
    return parse_qs(location.query)


def test_a_client_session_slides_with_use_and_its_cookie_is_sent_again(web: WebService, acme) -> None:
    web.person(acme, "aoi@acme.example")
    c = http_sign_in_client(web, "aoi@acme.example")
    for _ in range(3):  # three weeks, used every six days: still signed in
        web.clock.jump_to(web.clock() + timedelta(days=6))
        page = c.get("/portal")
        assert page.status_code == 200
        cookie = _session_cookie(page)
        assert cookie is not None and f"Max-Age={WEEK}" in cookie and "HttpOnly" in cookie
    assert _session_cookie(c.get("/portal")) is None  # used a moment ago: nothing written, nothing re-sent

    web.clock.jump_to(web.clock() + LIFETIME["client"] + timedelta(minutes=1))  # a week without use
    assert _sign_in_target(c.get("/portal"), "portal") == {"next": ["/portal"], "expired": ["1"]}


def test_a_dispatcher_session_slides_and_its_cookie_follows(web: WebService) -> None:
    web.dispatcher("hana@ecorpone.example")
    desk = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    web.clock.jump_to(web.clock() + timedelta(hours=11))
    board = desk.get("/desk/board")
    assert board.status_code == 200
    assert f"Max-Age={SHIFT}" in (_session_cookie(board) or "")
    web.clock.jump_to(web.clock() + timedelta(hours=11))
    assert desk.get("/desk/board").status_code == 200


def test_a_desk_form_after_the_session_ended_goes_to_sign_in_and_back(web: WebService, acme) -> None:
    web.dispatcher("hana@ecorpone.example")
    desk = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    page = f"/desk/clients/{acme.id}"
    token = csrf_of(desk.get(page).text)
    web.clock.jump_to(web.clock() + LIFETIME["dispatcher"] + timedelta(minutes=1))

    answer = desk.post(page, data={"csrf_token": token, "name_en": "Renamed"})  # our pages send no Referer
    assert _sign_in_target(answer, "desk") == {"next": [page], "expired": ["1"]}
    assert "field_session=" in (_session_cookie(answer) or "")  # the dead cookie is dropped
    assert accounts.company(web.store, acme.id).name_en == acme.name_en

    sign_in = desk.get(answer.headers["location"], headers={"Accept-Language": "ja"})
    assert text("web.session_end.desk", "ja", hours=12) in sign_in.text
    again = desk.post(
        "/desk/sign-in",
        data={
            "csrf_token": csrf_of(sign_in.text),
            "email": "hana@ecorpone.example",
            "password": "correct horse battery staple",
            "next": page,
        },
    )
    assert again.status_code == 303 and again.headers["location"] == page

    # A form whose address is not a page returns to the page above it (the client's page for its rate card).
    token = csrf_of(desk.get(page).text)
    web.clock.jump_to(web.clock() + LIFETIME["dispatcher"] + timedelta(minutes=1))
    card = desk.post(f"{page}/rate-card", data={"csrf_token": token, "card_json": "{}"})
    assert _sign_in_target(card, "desk")["next"] == [page]
    desk = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    token = csrf_of(desk.get(page).text)

    # htmx asks for the whole page to go to the sign-in page, not a fragment swapped in.
    web.clock.jump_to(web.clock() + LIFETIME["dispatcher"] + timedelta(minutes=1))
    fragment = desk.post(page, data={"name_en": "x"}, headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert fragment.status_code == 200 and fragment.headers["HX-Redirect"].startswith("/desk/sign-in?next=")


def test_a_forged_form_without_a_session_changes_nothing_and_a_live_session_still_gets_403(
    web: WebService, acme
) -> None:
    web.dispatcher("hana@ecorpone.example")
    anyone = http_client(web)
    answer = anyone.post(f"/desk/clients/{acme.id}", data={"csrf_token": "forged", "name_en": "Evil"})
    assert _sign_in_target(answer, "desk") == {"next": [f"/desk/clients/{acme.id}"]}  # never signed in: no "expired"

    desk = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    assert desk.post(f"/desk/clients/{acme.id}", data={"csrf_token": "forged", "name_en": "Evil"}).status_code == 403
    assert "Evil" not in desk.get(f"/desk/clients/{acme.id}").text


def test_a_request_form_sent_after_the_session_ended_keeps_what_was_typed(web: WebService, acme) -> None:
    web.person(acme, "aoi@acme.example", language="ja")
    c = http_sign_in_client(web, "aoi@acme.example")
    token = csrf_of(c.get("/portal/requests/new").text)
    web.clock.jump_to(web.clock() + LIFETIME["client"] + timedelta(minutes=1))

    typed = {"csrf_token": token, "title": "サーバー交換", "locations.0.name": "品川DC", "action": "send"}
    answer = c.post("/portal/requests/new", data=typed)
    target = _sign_in_target(answer, "portal")
    assert target["expired"] == ["1"] and target["kept"] == ["1"]
    [draft_page] = target["next"]
    assert draft_page.startswith("/portal/requests/drafts/DR-")
    sign_in = c.get(answer.headers["location"], headers={"Accept-Language": "ja"})  # a Japanese browser
    assert text("web.session_end.client", "ja", days=7) in sign_in.text
    assert text("web.session_end.kept", "ja") in sign_in.text

    # The new link comes back to the draft, which shows what was typed (saved only: nothing was sent).
    before = len(web.inbox.messages)
    c.post("/portal/sign-in", data={"csrf_token": csrf_of(sign_in.text), "email": "aoi@acme.example",
                                   "next": draft_page})  # fmt: skip
    link = link_in(web.mail_to("aoi@acme.example", after=before)).removeprefix(web.url)
    opened = c.get(link)
    used = c.post(link.split("?")[0], data={"csrf_token": csrf_of(opened.text), "next": draft_page})
    assert used.headers["location"] == draft_page
    draft = c.get(draft_page)
    assert draft.status_code == 200 and "サーバー交換" in draft.text and "品川DC" in draft.text

    # A later save of that draft after another week away is kept the same way, in the same draft.
    token = csrf_of(draft.text)
    web.clock.jump_to(web.clock() + LIFETIME["client"] + timedelta(minutes=1))
    answer = c.post(draft_page, data={**typed, "csrf_token": token, "title": "サーバー交換 (2台)"})
    assert _sign_in_target(answer, "portal")["next"] == [draft_page]
    assert _draft_fields(web, draft_page)["title"] == "サーバー交換 (2台)"


def _draft_fields(web: WebService, page: str) -> dict[str, str]:
    with web.store.sessions() as s:
        return s.get(RequestDraftRow, page.rsplit("/", 1)[1]).fields


def test_a_forged_request_form_without_a_session_makes_no_draft(web: WebService, acme) -> None:
    web.person(acme, "aoi@acme.example")
    anyone = http_client(web)
    answer = anyone.post("/portal/requests/new", data={"csrf_token": "forged", "title": "planted"})
    assert "kept" not in _sign_in_target(answer, "portal")
    with web.store.sessions() as s:
        assert s.scalar(select(func.count()).select_from(RequestDraftRow)) == 0


def test_a_field_checked_by_htmx_after_the_session_ended_keeps_the_form_in_its_draft(web: WebService, acme) -> None:
    web.person(acme, "aoi@acme.example")
    c = http_sign_in_client(web, "aoi@acme.example")
    token = csrf_of(c.get("/portal/requests/new").text)
    web.clock.jump_to(web.clock() + LIFETIME["client"] + timedelta(minutes=1))

    answer = c.post(
        "/portal/requests/check",
        data={"title": "Swap the UPS", "locations.0.name": "Osaka DC"},
        headers={"HX-Request": "true", "X-CSRF-Token": token, "HX-Trigger-Name": "title",
                 "HX-Current-URL": f"{web.url}/portal/requests/new"},
    )  # fmt: skip
    assert answer.status_code == 200
    target = parse_qs(urlsplit(answer.headers["HX-Redirect"]).query)
    [draft_page] = target["next"]
    assert target["kept"] == ["1"] and draft_page.startswith("/portal/requests/drafts/DR-")
    assert _draft_fields(web, draft_page)["title"] == "Swap the UPS"


def test_a_token_of_a_session_that_ended_long_ago_is_not_trusted(web: WebService, acme) -> None:
    web.person(acme, "aoi@acme.example")
    c = http_sign_in_client(web, "aoi@acme.example")
    token = csrf_of(c.get("/portal/requests/new").text)
    web.clock.jump_to(web.clock() + LIFETIME["client"] + timedelta(days=31))
    answer = c.post("/portal/requests/new", data={"csrf_token": token, "title": "old"})
    assert "kept" not in _sign_in_target(answer, "portal")
    with web.store.sessions() as s:
        assert s.scalar(select(func.count()).select_from(RequestDraftRow)) == 0


@pytest.mark.e2e
def test_in_the_browser_an_ended_session_mid_form_signs_in_again_and_keeps_the_typing(
    web: WebService, acme, browser
) -> None:
    """Chromium, phone, Japanese: the week runs out while the form is open; leaving a field (htmx checks it)
    takes the whole page to the sign-in page, which says why; the new link brings back the draft as typed."""
    web.person(acme, "aoi@acme.example", language="ja")
    page = new_page(browser, PHONE, "ja")
    sign_in_client(page, web, "aoi@acme.example", "/portal/requests/new")
    page.wait_for_url("**/portal/requests/new")
    page.locator('[name="title"]').fill("コアスイッチ交換")
    page.locator('[name="locations.0.name"]').fill("品川データセンター")
    web.clock.jump_to(web.clock() + LIFETIME["client"] + timedelta(minutes=1))
    page.locator('[name="title"]').focus()  # leaving the site's name: htmx posts the form to be checked
    page.wait_for_url("**/portal/sign-in?**")
    assert text("web.session_end.client", "ja", days=7) in page.locator("#session-ended").inner_text()
    shot(page, "session-ended-phone-ja")

    before = len(web.inbox.messages)
    page.locator("#email").fill("aoi@acme.example")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_selector("[role=status]")
    page.goto(link_in(web.mail_to("aoi@acme.example", after=before)))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/portal/requests/drafts/DR-*")
    assert page.locator('[name="title"]').input_value() == "コアスイッチ交換"
    assert page.locator('[name="locations.0.name"]').input_value() == "品川データセンター"
    page.context.close()


def test_signing_out_after_the_session_ended_is_no_refusal(web: WebService) -> None:
    web.dispatcher("hana@ecorpone.example")
    desk = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    token = csrf_of(desk.get("/desk").text)
    web.clock.jump_to(web.clock() + LIFETIME["dispatcher"] + timedelta(minutes=1))
    answer = desk.post("/desk/sign-out", data={"csrf_token": token})
    assert answer.status_code == 303 and answer.headers["location"] == "/desk/sign-in"
    live = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    assert live.post("/desk/sign-out", data={"csrf_token": "forged"}).status_code == 403  # a live one: still checked
