"""Signing in to the web pages: a client by one-time link, a dispatcher by password; sessions and CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.inbox import subject
from tests.web.conftest import (
    DESK_PASSWORD,
    WebService,
    csrf_of,
    http_client,
    http_sign_in_client,
    http_sign_in_dispatcher,
    link_in,
    mail_text,
    session_csrf,
)


def _ask_link(web: WebService, email: str) -> str:
    c = http_client(web)
    before = len(web.inbox.messages)
    answer = c.post("/portal/sign-in", data={"email": email, "csrf_token": csrf_of(c.get("/portal/sign-in").text)})
    assert answer.status_code == 200
    return link_in(web.mail_to(email, after=before)).removeprefix(web.url)


def test_a_link_signs_in_once_and_the_session_opens_the_portal(web: WebService, acme) -> None:
    aoi = web.person(acme, "aoi@acme.example", "青井 葵", language="ja")
    before = len(web.inbox.messages)
    c = http_client(web)
    c.post("/portal/sign-in", data={"email": "AOI@acme.example ", "csrf_token": csrf_of(c.get("/portal/sign-in").text)})
    mail = web.mail_to(aoi.email, after=before)
    assert "サインイン" in subject(mail)
    assert "青井 葵 様" in mail_text(mail)  # in the person's language
    link = link_in(mail).removeprefix(web.url)

    # Opening the link (a mail scanner does) does not use it; the button does, once.
    for _ in range(2):
        assert c.get(link).status_code == 200
    page = c.get(link)
    answer = c.post(link.split("?")[0], data={"csrf_token": csrf_of(page.text), "next": "/portal"})
    assert answer.status_code == 303 and answer.headers["location"] == "/portal"
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("field_session="))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert c.get("/portal").status_code == 200

    again = http_client(web)
    assert again.get(link).status_code == 410  # used
    assert (
        again.post(link.split("?")[0], data={"csrf_token": csrf_of(again.get("/portal/sign-in").text)}).status_code
        == 410
    )


def test_an_expired_link_is_refused(web: WebService, acme) -> None:
    web.person(acme, "late@acme.example")
    link = _ask_link(web, "late@acme.example")
    web.clock.jump_to(web.clock() + timedelta(minutes=16))
    c = http_client(web)
    assert c.get(link).status_code == 410
    token = csrf_of(c.get("/portal/sign-in").text)
    assert c.post(link.split("?")[0], data={"csrf_token": token}).status_code == 410
    assert "field_session" not in c.cookies


def test_an_unknown_address_gets_the_same_answer_and_no_mail(web: WebService, acme) -> None:
    c = http_client(web)
    token = csrf_of(c.get("/portal/sign-in").text)
    unknown = c.post("/portal/sign-in", data={"email": "nobody@acme.example", "csrf_token": token})
    assert unknown.status_code == 200 and "nobody@acme.example" in unknown.text
    assert not [m for m in web.inbox.messages if "nobody" in str(m["To"])]


def test_a_form_without_its_csrf_token_is_refused(web: WebService, acme) -> None:
    web.person(acme, "aoi@acme.example")
    c = http_client(web)
    c.get("/portal/sign-in")
    refused = c.post("/portal/sign-in", data={"email": "aoi@acme.example"})
    assert refused.status_code == 403 and "csrf_token" in refused.text
    assert c.post("/portal/sign-in", data={"email": "aoi@acme.example", "csrf_token": "forged"}).status_code == 403

    signed_in = http_sign_in_client(web, "aoi@acme.example")
    assert signed_in.post("/portal/sign-out", data={}).status_code == 403  # still signed in
    assert signed_in.get("/portal").status_code == 200
    token = session_csrf(signed_in, "/portal")
    assert signed_in.post("/portal/sign-out", data={"csrf_token": token}).status_code == 303
    assert signed_in.get("/portal").status_code == 303  # back to the sign-in page


def test_pages_send_a_visitor_to_the_right_sign_in_and_keep_areas_apart(web: WebService, acme) -> None:
    c = http_client(web)
    desk = c.get("/desk")
    assert desk.status_code == 303 and desk.headers["location"] == "/desk/sign-in?next=%2Fdesk"
    assert c.get("/portal").headers["location"] == "/portal/sign-in?next=%2Fportal"

    web.person(acme, "aoi@acme.example")
    client = http_sign_in_client(web, "aoi@acme.example")
    assert client.get("/desk").status_code == 404  # a client never learns the desk exists

    web.dispatcher("hana@ecorpone.example")
    desk_session = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    assert desk_session.get("/desk").status_code == 200
    assert desk_session.get("/portal").status_code == 404


def test_desk_passwords_are_checked_and_failures_limited(web: WebService) -> None:
    web.dispatcher("hana@ecorpone.example")
    c = http_client(web)

    def attempt(password: str) -> object:
        token = csrf_of(c.get("/desk/sign-in").text)
        return c.post(
            "/desk/sign-in", data={"email": "hana@ecorpone.example", "password": password, "csrf_token": token}
        )

    for _ in range(5):
        wrong = attempt("not the password at all")
        assert wrong.status_code == 401
    limited = attempt(DESK_PASSWORD)  # even the right password waits: the limit is checked first
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_a_deactivated_dispatcher_is_signed_out(web: WebService) -> None:
    from dispatch import accounts

    desk_id = web.dispatcher("hana@ecorpone.example")
    c = http_sign_in_dispatcher(web, "hana@ecorpone.example")
    assert c.get("/desk").status_code == 200
    accounts.set_dispatcher_active(web.store, desk_id, False)
    assert c.get("/desk").status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/desk"])
def test_sign_in_never_redirects_off_the_portal(web: WebService, acme, target: str) -> None:
    web.person(acme, "aoi@acme.example")
    link = _ask_link(web, "aoi@acme.example")
    c = http_client(web)
    page = c.get(link)
    answer = c.post(link.split("?")[0], data={"csrf_token": csrf_of(page.text), "next": target})
    assert answer.headers["location"] == "/portal"
