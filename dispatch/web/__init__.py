"""The web pages the dispatch service serves itself: the ordering party's portal and eCorpOne's desk.

FastAPI routes + Jinja2 templates (autoescaped) + htmx (vendored under static/vendor, no CDN, no build step)
+ server-sent events for live pages. Pages work without JavaScript for reading and submitting; JavaScript only
adds liveness. They use the same store and the same `api_client` rules as the API. See README "Web pages".
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ..notify import Mailer
from . import errors, sign_in
from .desk import board as desk_board
from .desk import candidates as desk_candidates
from .desk import clients as desk_clients
from .desk import dispatchers as desk_dispatchers
from .desk import engineers as desk_engineers
from .desk import intake as desk_intake
from .desk import phone_approval as desk_phone_approval
from .desk import request as desk_request
from .desk import travel as desk_travel
from .desk import visit as desk_visit
from .portal import home as portal_home
from .portal import request as portal_request
from .portal import visit as portal_visit
from .sessions import SessionRenewal

STATIC_DIR = Path(__file__).parent / "static"

# Every module with a `router` of pages; a new page area adds one line here.
ROUTERS = (
    sign_in,
    portal_home,
    portal_request,
    portal_visit,
    desk_intake,
    desk_visit,
    desk_board,
    desk_clients,
    desk_dispatchers,
    desk_request,
    desk_candidates,
    desk_phone_approval,
    desk_engineers,
    desk_travel,
)


def install(app: FastAPI) -> None:
    settings = app.state.settings
    app.state.mailer = Mailer(settings)
    app.state.web_limiters = sign_in.limiters(settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in ROUTERS:
        app.include_router(module.router)
    errors.install(app)
    app.add_middleware(SessionRenewal)  # a session that slid re-sends its cookie with the new Max-Age
