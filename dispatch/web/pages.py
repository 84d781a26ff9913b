"""Rendering the web pages: one Jinja2 environment (autoescaped), the reader's language, and what every
template may use.

    return render(request, "portal/visit.html", {"visit": v})

A template gets, beside its own values: `t(key, **values)` (the catalog, in the reader's language), `lang`,
`other_lang`, `lang_url(code)` (this page in another language), `csrf_field()` / `csrf_token`, `session` (the
signed-in person or None), and the formatters `site_datetime`, `site_time`, `site_date`, `money`, `duration`,
`hours` with the language filled in. Words never live in templates: they come from the catalog, so the pages,
the app, the mails and the report say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from api_client import texts
from api_client.texts import LANGUAGES, Language

from . import csrf
from .sessions import current_session

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES_DIR)  # autoescape on for .html (Starlette's default)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

LANG_COOKIE = "field_lang"


def language(request: Request) -> Language:
    """`?lang=` (remembered in a cookie), else the cookie, else the signed-in person's language, else the
    browser's Accept-Language, else English."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked  # type: ignore[return-value]
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie  # type: ignore[return-value]
    session = current_session(request)
    if session is not None and session.lang in LANGUAGES:
        return session.lang  # type: ignore[return-value]
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code  # type: ignore[return-value]
    return "en"


def lang_url(request: Request, code: str) -> str:
    """This page's address with `?lang=code` (relative, so it stays on this host)."""
    url = request.url.include_query_params(lang=code)
    return f"{url.path}?{url.query}"


def context(request: Request, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    lang = language(request)
    token = csrf.token_for(request)

    def t(key: str, **kw: object) -> str:
        return texts.text(key, lang, **kw)

    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="{}" value="{}">').format(csrf.FIELD, escape(token))

    def site_datetime(moment: datetime, tz: str, *, year: bool = False) -> str:
        return texts.site_datetime(moment, tz, lang, year=year)

    def site_date(moment: datetime, tz: str, *, year: bool = True) -> str:
        return texts.site_date(moment, tz, lang, year=year)

    def money(amount: Decimal, currency: str) -> str:
        return texts.money(amount, currency, lang)

    def duration(span: timedelta) -> str:
        return texts.duration(span, lang)

    return {
        "request": request,
        "t": t,
        "has_text": texts.has_text,
        "lang": lang,
        "other_lang": "en" if lang == "ja" else "ja",
        "lang_url": partial(lang_url, request),
        "csrf_token": token,
        "csrf_field": csrf_field,
        "session": current_session(request),
        "site_datetime": site_datetime,
        "site_date": site_date,
        "site_time": texts.site_time,
        "money": money,
        "duration": duration,
        "hours": texts.hours,
        "rate_card_label": partial(texts.rate_card_label, lang=lang),
        **(values or {}),
    }


def render(
    request: Request,
    name: str,
    values: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The page `name` (a template path) for this request; sets the language and CSRF cookies it needs."""
    response = templates.TemplateResponse(
        request, name, context(request, values), status_code=status_code, headers=dict(headers or {})
    )
    asked = request.query_params.get("lang")
    if asked in LANGUAGES and request.cookies.get(LANG_COOKIE) != asked:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax", path="/")
    csrf.remember_cookie(request, response)
    return response


def fragment(request: Request, name: str, values: Mapping[str, Any] | None = None) -> str:
    """A template rendered to a string (for server-sent events and htmx swaps)."""
    return templates.env.get_template(name).render(context(request, values))
