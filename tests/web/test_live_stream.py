"""The SSE helper over real HTTP: the first render at once, then a fragment per change the page wants."""

from __future__ import annotations

import threading
import time

import httpx
from fastapi import Request

from dispatch.web.live_stream import stream
from tests.web.conftest import WebService


def _lines_until(lines, count: int) -> list[str]:
    data: list[str] = []
    for line in lines:
        if line.startswith("data:"):
            data.append(line.removeprefix("data:").strip())
            if len(data) == count:
                return data
    raise AssertionError(data)


def test_a_live_page_gets_its_fragment_within_a_second(web: WebService) -> None:
    renders: list[str] = []

    async def live(request: Request):
        def render(change):
            renders.append(change.kind if change else "first")
            return [("visit", f"<p>{renders[-1]}</p>")]

        return stream(request, wants=lambda c: c.assignment_id == "ASG-1", render=render)

    web.service.app.add_api_route("/portal/_live_test", live)
    with httpx.Client(base_url=web.url, timeout=10) as c, c.stream("GET", "/portal/_live_test") as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = r.iter_lines()
        assert _lines_until(lines, 1) == ["<p>first</p>"]

        def publish() -> None:
            time.sleep(0.2)
            web.store.live.publish("ASG-OTHER", "arrive")  # not this page's: no fragment
            web.store.live.publish("ASG-1", "arrive")

        started = time.monotonic()
        threading.Thread(target=publish).start()
        assert _lines_until(lines, 1) == ["<p>arrive</p>"]
        assert time.monotonic() - started < 1.2
    assert renders == ["first", "arrive"]
