"""CSRF protection for every form of the web pages.

A page's forms carry a token (`{{ csrf_field() }}`; htmx sends it as the `X-CSRF-Token` header, set once on
`<body hx-headers>`). Signed in, the token is the session's own, kept server-side; before sign-in (the sign-in
forms) it is a random value in a cookie of its own that the form must repeat (double submit). A cross-site form
can send the cookies but cannot read the token. The session cookie's SameSite=Lax already stops most such
posts; this is the rule that does not depend on the browser.

    router = APIRouter(prefix="/portal", dependencies=[CSRF])
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Depends, HTTPException, Request, Response

from .sessions import SignInRequired, current_session, required_kind

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
COOKIE = "field_csrf"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SIGN_OUT_PATHS = {"/portal/sign-out", "/desk/sign-out"}


class CsrfRefused(HTTPException):
    def __init__(self) -> None:
        super().__init__(403, "csrf_token: missing or wrong — reload the page and send the form again")


def token_for(request: Request) -> str:
    """The token the page's forms must carry (a pre-session one is created and remembered for the response)."""
    session = current_session(request)
    if session is not None:
        return session.csrf_token
    token = request.cookies.get(COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not token:
        token = secrets.token_urlsafe(24)
        request.state.new_csrf_cookie = token
    return token


def remember_cookie(request: Request, response: Response) -> None:
    """Called by `render`: set the pre-session cookie when this page created one."""
    if token := getattr(request.state, "new_csrf_cookie", None):
        response.set_cookie(
            COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/"
        )


async def check(request: Request) -> None:
    if request.method in _SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    content_type = request.headers.get("content-type", "")
    is_form = content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
    if not sent and is_form:
        form = await request.form()  # parsed once: the route's Form(...) parameters reuse it
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    session = current_session(request)
    if session is None and (kind := required_kind(request)) is not None:
        # Nobody signed in on a form that needs someone: the sign-in page, not a refusal (a session that simply
        # expired is no forgery, and with no session the form can do nothing anyway). The handler (errors.py)
        # reads the form to keep what was typed when the token proves it came from that person's page.
        request.state.sent_csrf = sent
        request.state.sent_form = await request.form() if is_form else None
        raise SignInRequired(kind)
    if session is None and request.url.path in SIGN_OUT_PATHS:
        return  # signed out already (the session ended): nothing a forged post could do; the route answers
    expected = session.csrf_token if session is not None else request.cookies.get(COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()


CSRF = Depends(check)
