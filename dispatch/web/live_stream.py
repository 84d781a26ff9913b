"""A live page's stream: server-sent events carrying re-rendered HTML fragments, for htmx's SSE extension.

    @router.get("/portal/visits/{id}/live")
    async def live(request: Request, id: str, session: ClientPage) -> EventSourceResponse:
        return stream(request, wants=lambda c: c.assignment_id == id,
                      render=lambda c: [("visit", fragment(request, "portal/_visit.html", load(id)))])

`render` runs in a worker thread (it reads the store) and returns (event name, html) pairs; the page swaps
each by name (`sse-swap="visit"`). A "resync" notice (a browser that fell behind, a lost LISTEN connection)
always re-renders. The first render is sent at once, so a page opened just before an event cannot miss it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from fastapi import Request
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from ..live import Change, LiveBus

PING_SECONDS = 15  # keeps proxies from closing an idle stream
Fragments = list[tuple[str, str]]


def stream(
    request: Request,
    *,
    wants: Callable[[Change], bool],
    render: Callable[[Change | None], Fragments],
) -> EventSourceResponse:
    bus: LiveBus = request.app.state.store.live

    async def events() -> AsyncIterator[ServerSentEvent]:
        async with bus.subscribe() as feed:
            for name, html in await run_in_threadpool(render, None):
                yield ServerSentEvent(html, event=name)
            async for change in feed:
                if await request.is_disconnected():
                    return
                if change.kind == "resync" or wants(change):
                    for name, html in await run_in_threadpool(render, change):
                        yield ServerSentEvent(html, event=name)

    return EventSourceResponse(events(), ping=PING_SECONDS, headers={"Cache-Control": "no-store"})
