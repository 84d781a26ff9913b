"""Browser sessions of the web pages: a client person (signed in by one-time link) or a dispatcher (password).

The cookie `field_session` holds a random id; the table keeps only its SHA-256, the kind, whose it is, the
CSRF token and the expiry — so a session can be ended server-side (sign-out, a person deactivated) and a stolen
database does not hold usable cookies. HttpOnly always, SameSite=Lax (a link from a mail still arrives signed
in), Secure when the page is served over https.

Sessions slide: each use (written at most every RENEW_AFTER) moves the expiry to now + LIFETIME and the cookie is
sent again with that Max-Age (`SessionRenewal`), so a person is signed out only after LIFETIME without use.
Nobody signed in on a page that needs it: a GET goes to the sign-in page and comes back; a form goes there too
(web/errors.py), never to a CSRF refusal — and a request form's typed fields are kept in its draft first.

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
from typing import Annotated, Any, Literal

from fastapi import Depends, HTTPException, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import delete, select, update
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..accounts import digest
from ..db import CompanyRow, DispatcherRow, PersonRow, WebSessionRow
from ..store import Store

COOKIE = "field_session"
Kind = Literal["client", "dispatcher"]
# How long a session lasts without use: a client signs in from a mail now and then (a week); a dispatcher's
# shift (12 hours). Each use extends it by as much again.
LIFETIME = {"client": timedelta(days=7), "dispatcher": timedelta(hours=12)}
RENEW_AFTER = timedelta(minutes=5)  # the expiry is written (and the cookie re-sent) at most this often
# A form from a page of a session that ended this long ago is still recognised as its person's (web/errors.py
# keeps a request form's typing in its draft); older tokens are not trusted for anything.
RECOGNISED_AFTER_END = timedelta(days=30)
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
    response.set_cookie(COOKIE, session_id, **cookie_options(kind, request.url.scheme == "https"))


def cookie_options(kind: Kind, secure: bool) -> dict[str, Any]:
    return {
        "max_age": int(LIFETIME[kind].total_seconds()),
        "httponly": True,
        "samesite": "lax",
        "secure": secure,
        "path": "/",
    }


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
    cookie = request.cookies.get(COOKIE)
    found, renewed = _load(_store(request), cookie)
    request.state.web_session = found
    if renewed and found is not None and cookie:  # the browser's copy moves with the expiry
        request.state.renewed_session = (cookie, found.kind, request.url.scheme == "https")
    return found


def _load(store: Store, cookie: str | None) -> tuple[WebSession | None, bool]:
    """The live session of this cookie, and whether its expiry was just extended."""
    if not cookie or len(cookie) > 200:
        return None, False
    now = store.clock()
    key = digest(cookie)
    with store.sessions() as s:
        row = s.get(WebSessionRow, key)
        if row is None or row.expires_at <= now:
            return None, False
        if row.kind == "client":
            person = s.get(PersonRow, row.subject_id)
            if person is None or not person.active:
                return None, False
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
                return None, False
            session = WebSession(
                id_sha256=key,
                kind="dispatcher",
                subject_id=desk.id,
                name=desk.name,
                lang=desk.language,
                csrf_token=row.csrf_token,
                is_admin=desk.is_admin,
            )
        slide = now - row.last_used_at >= RENEW_AFTER
    if slide:  # someone at work stays signed in
        with store.writing() as s:
            s.execute(
                update(WebSessionRow)
                .where(WebSessionRow.sha256 == key)
                .values(last_used_at=now, expires_at=now + LIFETIME[session.kind])
            )
    return session, slide


def ended_session(store: Store, csrf_token: str | None, kind: Kind) -> str | None:
    """Whose session, now expired, issued this CSRF token (a form from a page shown before it expired), or None.
    The token is a secret of that person's pages: a form carrying it is theirs, not a forgery. A signed-out
    session is deleted, so its forms are not recognised."""
    if not csrf_token or len(csrf_token) > 64:
        return None
    with store.sessions() as s:
        row = s.scalars(select(WebSessionRow).where(WebSessionRow.csrf_token == csrf_token)).first()
    now = store.clock()
    if row is None or row.kind != kind or not now - RECOGNISED_AFTER_END < row.expires_at <= now:
        return None
    return row.subject_id


class SessionRenewal:
    """ASGI middleware: a response to a request whose session slid carries the cookie again with the new Max-Age
    (unless the response sets or deletes the session cookie itself: sign-in, sign-out)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/v1/"):  # the API signs in by token, never a session
            await self.app(scope, receive, send)
            return

        state = scope.setdefault("state", {})  # request.state, shared with the route even if the scope is copied

        async def send_renewed(message: Message) -> None:
            renewed = state.get("renewed_session")
            if message["type"] == "http.response.start" and renewed is not None:
                headers = MutableHeaders(scope=message)
                if not any(v.startswith(f"{COOKIE}=") for v in headers.getlist("set-cookie")):
                    cookie, kind, secure = renewed
                    carrier = Response()
                    carrier.set_cookie(COOKIE, cookie, **cookie_options(kind, secure))
                    headers.append("set-cookie", carrier.headers["set-cookie"])
            await send(message)

        await self.app(scope, receive, send_renewed)


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


_KIND_OF = {client_session: "client", desk_session: "dispatcher", admin_session: "dispatcher"}


def required_kind(request: Request) -> Kind | None:
    """Who this request's route is for (from its declared page dependency), or None for a public route."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return None
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if (kind := _KIND_OF.get(dependency.call)) is not None:  # type: ignore[arg-type]
            return kind  # type: ignore[return-value]
        stack.extend(dependency.dependencies)
    return None


ClientPage = Annotated[WebSession, Depends(client_session)]
DeskPage = Annotated[WebSession, Depends(desk_session)]
AdminPage = Annotated[WebSession, Depends(admin_session)]
