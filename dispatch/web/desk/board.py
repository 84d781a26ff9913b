"""The board (`/desk/board`): today and the next days by engineer on a timeline in site-local time, or as a
list; every visit with its live state, flags, refused device actions and billing estimate. Filters by client,
engineer, status and date go in the address, so a filtered board can be bookmarked and its live stream
(`/desk/board/live?…`) renders the same view.

Live: a change is a notice; the stream waits a moment for the notices that come with it (a crew's batch, a
burst of log entries), then renders the board once — well inside the one second the desk is promised — and
re-renders every minute so clocks (SLA, time against the reservation) move without events.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from ...live import LiveBus
from ...store import Store
from ..csrf import CSRF
from ..live_stream import PING_SECONDS
from ..pages import fragment, language, render
from ..sessions import DeskPage
from .board_data import DESK_ZONE, MAX_DAYS, STATUSES, Board, BoardQuery, load_board
from .board_view import cards, day_labels, zone_label

router = APIRouter(prefix="/desk/board", dependencies=[CSRF], include_in_schema=False)
SETTLE_SECONDS = 0.05  # gather the notices of one burst before rendering once
TICK_SECONDS = 60  # clocks on the board move even when nothing happens
VIEWS = ("timeline", "list")


def _store(request: Request) -> Store:
    return request.app.state.store


def query_of(request: Request, now: datetime) -> tuple[BoardQuery, str]:
    """The board's filters from the address; anything unreadable falls back to its default (never an error)."""
    q = request.query_params
    try:
        start = date.fromisoformat(q.get("date", ""))
    except ValueError:
        start = now.astimezone(DESK_ZONE).date()
    try:
        days = min(max(int(q.get("days", "3")), 1), MAX_DAYS)
    except ValueError:
        days = 3
    status = q.get("status") if q.get("status") in STATUSES else None
    view = q.get("view") if q.get("view") in VIEWS else "timeline"
    query = BoardQuery(
        start=start,
        days=days,
        company_id=_id(q.get("client")),
        engineer_id=_id(q.get("engineer")),
        status=status,
    )
    return query, view


def _id(value: str | None) -> str | None:
    """An id from the address, or None: no id of ours is longer than 40 characters or holds control characters
    (PostgreSQL refuses NUL in text; such a filter names nothing)."""
    return value if value and len(value) <= 40 and value.isprintable() else None


def board_values(request: Request, query: BoardQuery, view: str, now: datetime) -> dict[str, Any]:
    board: Board = load_board(_store(request), query, now)
    lang = language(request)
    params = {k: v for k, v in request.query_params.items() if k in ("date", "days", "client", "engineer", "status")}
    return {
        "board": board,
        "view": view,
        "now": now,
        "address": urlencode({**params, "view": view}),
        "view_links": {v: "?" + urlencode({**params, "view": v}) for v in VIEWS},
        "statuses": STATUSES,
        "day_labels": day_labels(board, lang),
        "zone_label": zone_label(now),
        "now_left": _now_left(query, now),
        "cards": cards(board, lang, now),
    }


@router.get("", response_class=HTMLResponse)
def board_page(request: Request, session: DeskPage) -> Response:
    store = _store(request)
    now = store.clock()
    query, view = query_of(request, now)
    return render(request, "desk/board.html", board_values(request, query, view, now))


@router.get("/live")
async def board_live(request: Request, session: DeskPage) -> EventSourceResponse:
    store = _store(request)
    bus: LiveBus = store.live

    def draw() -> str:
        now = store.clock()
        query, view = query_of(request, now)
        return fragment(request, "desk/_board.html", board_values(request, query, view, now))

    async def events() -> AsyncIterator[ServerSentEvent]:
        async with bus.subscribe() as feed:
            dirty = asyncio.Event()

            async def listen() -> None:
                async for _change in feed:
                    dirty.set()

            reader = asyncio.create_task(listen())
            try:
                yield ServerSentEvent(await run_in_threadpool(draw), event="board")
                while True:
                    try:
                        await asyncio.wait_for(dirty.wait(), timeout=TICK_SECONDS)
                        await asyncio.sleep(SETTLE_SECONDS)  # the rest of a burst joins this render
                    except TimeoutError:
                        pass
                    dirty.clear()  # a notice during the render sets it again: one more render follows
                    if await request.is_disconnected():
                        return
                    yield ServerSentEvent(await run_in_threadpool(draw), event="board")
            finally:
                reader.cancel()

    return EventSourceResponse(events(), ping=PING_SECONDS, headers={"Cache-Control": "no-store"})


def _now_left(query: BoardQuery, now: datetime) -> float | None:
    """Where "now" is on the timeline (desk calendar), or None when it is outside the range."""
    first, last = query.bounds()
    if not first <= now < last:
        return None
    return round((now - first) / (last - first) * 100, 3)
