"""Errors on the web pages are pages: a person reading a browser gets words in their language, not JSON.

The API's handlers (dispatch/api/errors.py) keep answering everything else; here they are wrapped so that a
path of the pages (`/portal`, `/desk`) renders `message.html` with the same status code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api_client.texts import text

from ..ingest import Unavailable
from ..store import NotFound
from .csrf import CsrfRefused
from .pages import language, render
from .request_pages import keep_typed
from .sessions import COOKIE, SIGN_IN_PATH, Kind, SignInRequired, ended_session

PAGE_PREFIXES = ("/portal", "/desk")
Handler = Callable[[Request, Any], Awaitable[Response]]


def is_page(request: Request) -> bool:
    return request.url.path.startswith(PAGE_PREFIXES)


def _area(request: Request) -> str:
    return "desk" if request.url.path.startswith("/desk") else "portal"


def page_for(request: Request, status_code: int, exc: Exception) -> Response:
    lang = language(request)
    if isinstance(exc, CsrfRefused):
        heading, lines = text("web.error.forbidden", lang), [text("web.error.csrf", lang)]
    elif status_code == 404:
        heading, lines = text("web.error.not_found", lang), [text("web.error.not_found.body", lang)]
    elif status_code == 403:
        heading, lines = text("web.error.forbidden", lang), [str(getattr(exc, "detail", ""))]
    elif status_code == 503:
        heading, lines = text("web.error.busy", lang), [text("web.error.busy.body", lang)]
    elif status_code >= 500:
        heading, lines = text("web.error.server", lang), [text("web.error.server.body", lang)]
    else:
        heading, lines = text("web.error.invalid", lang), [str(getattr(exc, "detail", exc))]
    home = "/desk" if _area(request) == "desk" else "/portal"
    return render(
        request,
        "message.html",
        {
            "status_code": status_code,
            "heading": heading,
            "lines": lines,
            "area": _area(request),
            "link": {"href": home, "label": text("web.back_home", lang)},
        },
        status_code=status_code,
    )


def install(app: FastAPI) -> None:
    def wrap(exc_class: type[Exception], status_of: Callable[[Exception], int]) -> None:
        api_handler: Handler | None = app.exception_handlers.get(exc_class)  # type: ignore[assignment]

        async def handler(request: Request, exc: Exception) -> Response:
            if is_page(request) or api_handler is None:
                return page_for(request, status_of(exc), exc)
            return await api_handler(request, exc)

        app.add_exception_handler(exc_class, handler)

    wrap(StarletteHTTPException, lambda exc: getattr(exc, "status_code", 500))
    wrap(NotFound, lambda _: 404)
    wrap(Unavailable, lambda _: 503)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return sign_in_again(request, exc.kind)


def sign_in_again(request: Request, kind: Kind) -> Response:
    """Nobody (of this kind) signed in: the sign-in page, coming back after to the page asked for or, for a
    form, to the page it was sent from (a request form's typed fields saved to its draft first). The sign-in
    page says the session ended when the browser still held one or the form's token was an expired session's."""
    stale_cookie = COOKIE in request.cookies
    area = "desk" if kind == "dispatcher" else "portal"
    params: dict[str, str] = {}
    if request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        expired = stale_cookie
    else:
        store = request.app.state.store
        whose = ended_session(store, getattr(request.state, "sent_csrf", None), kind)
        form = getattr(request.state, "sent_form", None)
        kept = None
        if whose is not None and form is not None:
            path, company = request.url.path, request.query_params.get("company")
            if path.endswith("/requests/check"):  # htmx checking a field: the form it checks is the page's
                page = urlsplit(_page_sent_from(request, area))
                path, company = page.path, parse_qs(page.query).get("company", [None])[0]
            kept = keep_typed(store, path, company, form, kind, whose)
        target = kept or _page_sent_from(request, area)
        expired = stale_cookie or whose is not None
        if kept:
            params["kept"] = "1"
    if expired:
        params["expired"] = "1"
    url = request.url.replace(path=SIGN_IN_PATH[kind], query="").include_query_params(next=target, **params)
    location = f"{url.path}?{url.query}"
    if request.headers.get("HX-Request"):  # htmx would swap the sign-in page into a fragment: the whole page goes
        response: Response = Response(status_code=200, headers={"HX-Redirect": location})
    else:
        response = RedirectResponse(location, status_code=303)
    if stale_cookie:
        response.delete_cookie(COOKIE, path="/")
    return response


def _page_sent_from(request: Request, area: str) -> str:
    """The page whose form this was: htmx names it (HX-Current-URL); a plain form does not (our pages send no
    Referer), so the nearest page at or above the form's address (`/desk/assignments/A/cancel` -> its
    assignment's page); else the area's home. Only a path of our own area on this host."""
    for header in ("hx-current-url", "referer"):
        sent = urlsplit(request.headers.get(header, ""))
        if sent.netloc == request.url.netloc and sent.path.startswith(f"/{area}/"):
            return sent.path + (f"?{sent.query}" if sent.query else "")
    path = request.url.path.rstrip("/")
    while path.startswith(f"/{area}/"):
        if _is_page(path):
            return path
        path = path.rpartition("/")[0]
    return f"/{area}"


def _is_page(path: str) -> bool:
    from . import ROUTERS  # the pages' routers (imported here: that module installs this one)

    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    return any(
        isinstance(route, APIRoute) and "GET" in route.methods and route.matches(scope)[0] is Match.FULL
        for module in ROUTERS
        for route in module.router.routes
    )
