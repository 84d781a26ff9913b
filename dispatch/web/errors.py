"""Errors on the web pages are pages: a person reading a browser gets words in their language, not JSON.

The API's handlers (dispatch/api/errors.py) keep answering everything else; here they are wrapped so that a
path of the pages (`/portal`, `/desk`) renders `message.html` with the same status code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api_client.texts import text

from ..ingest import Unavailable
from ..store import NotFound
from .csrf import CsrfRefused
from .pages import language, render
from .sessions import SIGN_IN_PATH, SignInRequired

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
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            url = request.url.replace(path=SIGN_IN_PATH[exc.kind], query="").include_query_params(next=target)
            return RedirectResponse(f"{url.path}?{url.query}", status_code=303)
        return page_for(request, 401, exc)
