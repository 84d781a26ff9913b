"""Browser sessions of the web pages: a client person (signed in by one-time link) or a dispatcher (password).

The cookie `field_session` holds a random id; the table keeps only its SHA-256, the kind, whose it is, the
CSRF token and the expiry — so a session can be ended server-side (sign-out, a person deactivated) and a stolen
database does not hold usable cookies. HttpOnly always, SameSite=Lax (a link from a mail still arrives signed
in), Secure when the page is served over https.

Routes declare who may open them:

    @router.get("/portal/visits/{id}")
    def visit(id: str, session: ClientPage): ...      # a client person; a dispatcher's session gets 404
    @router.get("/desk/board")
    def board(session: DeskPage): ...                 # a dispatcher; a client's session gets 404
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request, Response
from sqlalchemy import delete, update

from ..accounts import digest
from ..db import CompanyRow, DispatcherRow, PersonRow, WebSessionRow
from ..store import Store

COOKIE = "field_session"
Kind = Literal["client", "dispatcher"]
# A client signs in from a mail now and then: a week. A dispatcher's shift: 12 hours, extended while in use.
LIFETIME = {"client": timedelta(days=7), "dispatcher": timedelta(hours=12)}
SIGN_IN_PATH = {"client": "/portal/sign-in", "dispatcher": "/desk/sign-in"}


@dataclass(frozen=True)
class WebSession:
    id_sha256: str
    kind: Kind
    subject_id: str  # the person's or the dispatcher's id
    name: str
    lang: str
    csrf_token: str
    company_id: str | None = None  # a client's company
    company_name: str = ""
    may_request: bool = False
    may_approve: bool = False
    is_admin: bool = False

    @property
    def person_id(self) -> str | None:
        return self.subject_id if self.kind == "client" else None

    @property
    def dispatcher_id(self) -> str | None:
        return self.subject_id if self.kind == "dispatcher" else None

    @property
    def actor(self) -> str:
        """How the audit trail names this person."""
        return f"{'person' if self.kind == 'client' else 'dispatcher'}:{self.subject_id}"


class SignInRequired(Exception):
    """Raised by a page dependency when nobody (of that kind) is signed in: a GET is sent to the sign-in page
    and comes back after; any other method gets 401 (see web/errors.py)."""

    def __init__(self, kind: Kind) -> None:
        super().__init__(kind)
        self.kind = kind


def _store(request: Request) -> Store:
    return request.app.state.store


def open_session(store: Store, request: Request, response: Response, kind: Kind, subject_id: str) -> None:
    """Sign in: a fresh id every time (no fixation), the cookie set on `response`."""
    session_id = secrets.token_urlsafe(32)
    now = store.clock()
    with store.writing() as s:
        s.add(
            WebSessionRow(
                sha256=digest(session_id),
                kind=kind,
                subject_id=subject_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + LIFETIME[kind],
                last_used_at=now,
            )
        )
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=int(LIFETIME[kind].total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def close_session(store: Store, request: Request, response: Response) -> None:
    if cookie := request.cookies.get(COOKIE):
        with store.writing() as s:
            s.execute(delete(WebSessionRow).where(WebSessionRow.sha256 == digest(cookie)))
    response.delete_cookie(COOKIE, path="/")


def end_sessions_of(store: Store, subject_id: str) -> None:
    """Every browser of this person or dispatcher is signed out (deactivated, lost laptop)."""
    with store.writing() as s:
        s.execute(delete(WebSessionRow).where(WebSessionRow.subject_id == subject_id))


def current_session(request: Request) -> WebSession | None:
    """Whoever is signed in on this browser, or None; looked up once per request."""
    if hasattr(request.state, "web_session"):
        return request.state.web_session
    found = _load(_store(request), request.cookies.get(COOKIE))
    request.state.web_session = found
    return found


def _load(store: Store, cookie: str | None) -> WebSession | None:
    if not cookie or len(cookie) > 200:
        return None
    now = store.clock()
    key = digest(cookie)
    with store.sessions() as s:
        row = s.get(WebSessionRow, key)
        if row is None or row.expires_at <= now:
            return None
        if row.kind == "client":
            person = s.get(PersonRow, row.subject_id)
            if person is None or not person.active:
                return None
            company = s.get(CompanyRow, person.company_id)
            session = WebSession(
                id_sha256=key,
                kind="client",
                subject_id=person.id,
                name=person.name,
                lang=person.language,
                csrf_token=row.csrf_token,
                company_id=person.company_id,
                company_name=_company_name(company, person.language),
                may_request=person.may_request,
                may_approve=person.may_approve,
            )
        else:
            desk = s.get(DispatcherRow, row.subject_id)
            if desk is None or not desk.active:
                return None
            session = WebSession(
                id_sha256=key,
                kind="dispatcher",
                subject_id=desk.id,
                name=desk.name,
                lang=desk.language,
                csrf_token=row.csrf_token,
                is_admin=desk.is_admin,
            )
        slide = row.kind == "dispatcher" and now - row.last_used_at > timedelta(minutes=5)
    if slide:  # a dispatcher at work stays signed in; written at most every 5 minutes
        with store.writing() as s:
            s.execute(
                update(WebSessionRow)
                .where(WebSessionRow.sha256 == key)
                .values(last_used_at=now, expires_at=now + LIFETIME["dispatcher"])
            )
    return session


def _company_name(company: CompanyRow | None, lang: str) -> str:
    if company is None:
        return ""
    return company.name_ja if lang == "ja" and company.name_ja else company.name_en


def _require(request: Request, kind: Kind) -> WebSession:
    session = current_session(request)
    if session is None:
        raise SignInRequired(kind)
    if session.kind != kind:
        # A client never learns that desk pages exist (and the reverse): the same answer as a wrong address.
        raise HTTPException(404, "Not found")
    return session


def client_session(request: Request) -> WebSession:
    return _require(request, "client")


def desk_session(request: Request) -> WebSession:
    return _require(request, "dispatcher")


def admin_session(request: Request) -> WebSession:
    session = _require(request, "dispatcher")
    if not session.is_admin:
        raise HTTPException(403, "Only an administrator can do this.")
    return session


ClientPage = Annotated[WebSession, Depends(client_session)]
DeskPage = Annotated[WebSession, Depends(desk_session)]
AdminPage = Annotated[WebSession, Depends(admin_session)]
