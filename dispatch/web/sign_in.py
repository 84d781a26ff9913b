"""Signing in and out: a client by a one-time link mailed to them, a dispatcher by password.

A client's link is used by a POST from the page the link opens (a button), never by the GET itself: mail
scanners open links to check them, and would otherwise use up the sign-in. Asking for a link answers the same
whether or not the address has an account, so the form does not reveal who our clients are.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api_client.texts import Language, text

from .. import accounts
from ..api.auth_limit import FailedAuthLimiter
from ..notify import Mailer, header_safe
from ..settings import Settings
from ..store import Store
from .csrf import CSRF
from .pages import language, render
from .sessions import LIFETIME, close_session, open_session

log = logging.getLogger(__name__)
router = APIRouter(dependencies=[CSRF], include_in_schema=False)

LINKS_PER_ADDRESS_PER_HOUR = 5  # sign-in mails to one address (README "Limits"): no mail bombing
DESK_FAILURES_PER_ADDRESS = 5  # wrong passwords per address per 15 minutes
DESK_FAILURES_PER_CLIENT = 20  # wrong passwords per client address (IP) per 15 minutes
_FIFTEEN_MINUTES = 15 * 60


def limiters(settings: Settings) -> dict[str, FailedAuthLimiter]:
    return {
        "links": FailedAuthLimiter(max_failures=LINKS_PER_ADDRESS_PER_HOUR, window_s=3600),
        "desk_address": FailedAuthLimiter(max_failures=DESK_FAILURES_PER_ADDRESS, window_s=_FIFTEEN_MINUTES),
        "desk_client": FailedAuthLimiter(max_failures=DESK_FAILURES_PER_CLIENT, window_s=_FIFTEEN_MINUTES),
    }


def _store(request: Request) -> Store:
    return request.app.state.store


def _limiter(request: Request, name: str) -> FailedAuthLimiter:
    return request.app.state.web_limiters[name]


def safe_next(value: str | None, area: str) -> str:
    """Only a path of our own area: never an open redirect to another site."""
    if value and value.startswith(f"/{area}") and not value.startswith("//") and "\\" not in value:
        return value
    return f"/{area}"


# -- the ordering party: one-time link -------------------------------------------------------------------
@router.get("/portal/sign-in", response_class=HTMLResponse)
def client_sign_in_page(request: Request, next: str | None = None, expired: str = "", kept: str = "") -> Response:
    return render(request, "sign_in_client.html", {"next": safe_next(next, "portal"), **_why(next, expired, kept)})


def _why(next: str | None, expired: str, kept: str) -> dict[str, object]:
    """Why this person is asked to sign in (set by web/errors.py `sign_in_again`), for the page to say so."""
    return {
        "expired": expired == "1",
        "kept": kept == "1",
        "returning": bool(next),
        "lifetime_days": LIFETIME["client"].days,
        "lifetime_hours": int(LIFETIME["dispatcher"].total_seconds() // 3600),
    }


@router.post("/portal/sign-in", response_class=HTMLResponse)
def client_sign_in(
    request: Request, email: Annotated[str, Form(max_length=320)] = "", next: Annotated[str, Form()] = ""
) -> Response:
    lang = language(request)
    address = email.strip().lower()
    if "@" not in address:
        return render(
            request,
            "sign_in_client.html",
            {"next": safe_next(next, "portal"), "email": email, "error": text("web.sign_in.email_invalid", lang)},
            status_code=422,
        )
    limiter = _limiter(request, "links")
    if limiter.retry_after(address) is None:
        limiter.failed(address)  # counts every link asked for, sent or not
        person = accounts.person_by_email(_store(request), address)
        if person is not None and person.active:
            _mail_link(request, person.email, person.name, person.language, person.id, safe_next(next, "portal"))
    return render(request, "sign_in_client.html", {"sent": True, "email": address})


def _mail_link(request: Request, to: str, name: str, lang: str, person_id: str, next_path: str) -> None:
    store = _store(request)
    settings: Settings = request.app.state.settings
    token = accounts.issue_link(store, "sign_in", person_id)
    url = f"{settings.public_base_url.rstrip('/')}/portal/link/{token}?next={quote(next_path)}"
    reader: Language = "ja" if lang == "ja" else "en"
    minutes = accounts.LINK_MINUTES["sign_in"]
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = header_safe(to)
    msg["Subject"] = text("web.mail.sign_in.subject", reader)
    msg.set_content(text("web.mail.sign_in.body", reader, name=name, url=url, minutes=minutes))
    mailer: Mailer = request.app.state.mailer
    try:
        mailer.send(msg)
    except Exception:  # the answer stays the same; the person can ask again
        log.exception("sign-in mail to a person of %s not sent", to.rsplit("@", 1)[-1])


@router.get("/portal/link/{token}", response_class=HTMLResponse)
def link_page(request: Request, token: str, next: str | None = None) -> Response:
    if accounts.peek_link(_store(request), token, "sign_in") is None:
        return link_refused(request)
    return render(request, "sign_in_link.html", {"token": token, "next": safe_next(next, "portal")})


@router.post("/portal/link/{token}")
def use_link(request: Request, token: str, next: Annotated[str, Form()] = "") -> Response:
    store = _store(request)
    person_id = accounts.consume_link(store, token, "sign_in")
    if person_id is None:
        return link_refused(request)
    response = RedirectResponse(safe_next(next, "portal"), status_code=303)
    open_session(store, request, response, "client", person_id)
    return response


def link_refused(request: Request) -> Response:
    """A one-time link that is used, expired or not this person's: 410, with the way to a new one."""
    lang = language(request)
    return render(
        request,
        "message.html",
        {
            "status_code": 410,
            "heading": text("web.link.refused.heading", lang),
            "lines": [text("web.link.refused.body", lang)],
            "link": {"href": "/portal/sign-in", "label": text("web.sign_in.new_link", lang)},
        },
        status_code=410,
    )


@router.post("/portal/sign-out")
def client_sign_out(request: Request) -> Response:
    response = RedirectResponse("/portal/sign-in", status_code=303)
    close_session(_store(request), request, response)
    return response


# -- the desk: password --------------------------------------------------------------------------------
@router.get("/desk/sign-in", response_class=HTMLResponse)
def desk_sign_in_page(request: Request, next: str | None = None, expired: str = "", kept: str = "") -> Response:
    return render(request, "sign_in_desk.html", {"next": safe_next(next, "desk"), **_why(next, expired, kept)})


@router.post("/desk/sign-in", response_class=HTMLResponse)
def desk_sign_in(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    lang = language(request)
    address = email.strip().lower()
    client = request.client.host if request.client else "unknown"
    by_address, by_client = _limiter(request, "desk_address"), _limiter(request, "desk_client")
    wait = by_address.retry_after(address) or by_client.retry_after(client)
    values = {"next": safe_next(next, "desk"), "email": email}
    if wait is not None:  # refused before the password is checked
        return render(
            request,
            "sign_in_desk.html",
            {**values, "error": text("web.sign_in.too_many", lang, seconds=wait)},
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    found = accounts.verify_dispatcher_password(_store(request), address, password)
    if found is None:
        by_address.failed(address)
        by_client.failed(client)
        return render(
            request, "sign_in_desk.html", {**values, "error": text("web.sign_in.wrong", lang)}, status_code=401
        )
    response = RedirectResponse(safe_next(next, "desk"), status_code=303)
    open_session(_store(request), request, response, "dispatcher", found.id)
    return response


@router.post("/desk/sign-out")
def desk_sign_out(request: Request) -> Response:
    response = RedirectResponse("/desk/sign-in", status_code=303)
    close_session(_store(request), request, response)
    return response
