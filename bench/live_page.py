"""The live visit page's event-to-screen delay, against baselines measured in the same run.

    uv run python bench/live_page.py [--events 100]

The service runs on 127.0.0.1 (SQLite, a temp dir). A visit is approved and being worked on; two server-sent
event streams are open while the engineer's phone sends N work-log entries one by one through the typed client:
- the live visit page's own stream (`/portal/follow/<token>/live`, the local contact's read-only view: the same
  fragment, re-rendered from the store for every change, as the ordering party's page);
- the raw SSE notice: a bare stream on the same bus and helper that sends a constant fragment per change (the
  transport, without reading the store or rendering).
For each entry: the time from sending the event to (a) its answer (the event is recorded), (b) the raw notice
arriving, (c) the page's fragment that contains the entry arriving. Also (d) a plain GET of the same page. The log
grows by one entry per event, so the last fragments carry N entries.
"""

from __future__ import annotations

import argparse
import queue
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import Request

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client import DispatchClient
from api_client.clock import RunningClock
from api_client.request import ServiceRequest
from api_client.wire import EngineerIn
from dispatch import follow_links
from dispatch.principal import SYSTEM
from dispatch.web.live_stream import stream
from tests.clock import clock as test_clock
from tests.conftest import DISPATCHER_TOKEN, start_service
from tests.factories import request_data


def _reader(client: httpx.Client, path: str, seen: queue.Queue[tuple[str, float]], ready: threading.Event) -> None:
    """Read an SSE stream; put (data, arrival time) for every data line (until the client is closed)."""
    try:
        with client.stream("GET", path) as r:
            for line in r.iter_lines():
                if line.startswith("data:"):
                    seen.put((line, time.perf_counter()))
                    ready.set()
    except (httpx.HTTPError, OSError, RuntimeError):  # closed at the end of the run
        return


def _wait_for(seen: queue.Queue[tuple[str, float]], marker: str, timeout: float = 10) -> float:
    deadline = time.perf_counter() + timeout
    while True:
        line, at = seen.get(timeout=max(deadline - time.perf_counter(), 0.01))
        if marker in line:
            return at


def _stats(name: str, values: list[float]) -> tuple[float, float]:
    ms = sorted(v * 1000 for v in values)
    median, p95 = statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"{name:<48} median {median:7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms")
    return median, p95


class _Browser:
    """Debian's chromium through Playwright, on the page; `wait_for` polls the DOM every animation frame, so the
    figure includes the swap and one CDP round trip (an upper bound of what a person sees)."""

    def __init__(self, url: str) -> None:
        from playwright.sync_api import sync_playwright

        from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

        self._p = sync_playwright().start()
        self._b = self._p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.page = self._b.new_page(viewport={"width": 390, "height": 844})
        self.page.add_init_script(
            "window.__sse = 0; document.addEventListener('htmx:sseMessage', () => window.__sse++);"
        )
        self.page.goto(url)
        self.page.wait_for_function("() => window.__sse >= 1")

    def wait_for(self, text: str) -> None:
        self.page.wait_for_function(
            "t => document.querySelector('#visit').innerText.includes(t)", arg=text, polling="raf", timeout=10_000
        )

    def close(self) -> None:
        self._b.close()
        self._p.stop()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--events", type=int, default=100)
    p.add_argument("--browser", action="store_true", help="also measure until chromium shows it (upper bound)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        svc = start_service(Path(tmp) / "bench.sqlite3", clock=RunningClock(test_clock()))
        store = svc.store
        counter = {"n": 0}

        async def raw(request: Request):  # the baseline: the same bus and SSE helper, nothing read or rendered
            def render(change: object) -> list[tuple[str, str]]:
                counter["n"] += 1
                return [("visit", f"<p>notice {counter['n']} {getattr(change, 'kind', 'first')}</p>")]

            return stream(request, wants=lambda c: True, render=render)

        svc.app.add_api_route("/portal/_bench_raw", raw)
        try:
            with DispatchClient(svc.url, DISPATCHER_TOKEN) as d:
                eng = d.add_engineer(EngineerIn(name="Bench Engineer", email="bench@example.com"))
                created = store.create_assignment(ServiceRequest.model_validate(request_data()))
                d.propose(created.id, [eng.engineer.id])
                d.approve(created.id, "Bench")
            token = follow_links.ensure(store, store.assignment(created.id, SYSTEM))[0].token
            page_path = f"/portal/follow/{token}"
            phone = DispatchClient(svc.url, eng.token)

            def send(kind: str, **fields: object) -> None:
                event = {
                    "id": str(uuid.uuid4()),
                    "assignment_id": created.id,
                    "kind": kind,
                    "device_time": (store.clock() + timedelta(seconds=1)).isoformat(),
                    **fields,
                }
                [result] = phone.send_events(events=[event]).results
                assert result.outcome == "applied", result

            send("arrive", position={"latitude": 35.681236, "longitude": 139.767125})
            send("start_work", assisted_by="Ken Ito")

            page_seen: queue.Queue[tuple[str, float]] = queue.Queue()
            raw_seen: queue.Queue[tuple[str, float]] = queue.Queue()
            page_ready, raw_ready = threading.Event(), threading.Event()
            http = httpx.Client(base_url=svc.url, timeout=httpx.Timeout(30, read=None))
            threads = [
                threading.Thread(target=_reader, args=(http, f"{page_path}/live", page_seen, page_ready), daemon=True),
                threading.Thread(target=_reader, args=(http, "/portal/_bench_raw", raw_seen, raw_ready), daemon=True),
            ]
            for t in threads:
                t.start()
            assert page_ready.wait(10) and raw_ready.wait(10)  # both streams sent their first render
            time.sleep(0.2)
            for q in (page_seen, raw_seen):
                while not q.empty():
                    q.get_nowait()

            answered, notice, shown, gets, painted = [], [], [], [], []
            browser = _Browser(svc.url + page_path) if args.browser else None
            for i in range(args.events):
                marker = f"bench-entry-{i:05d}"
                before = counter["n"]
                started = time.perf_counter()
                send("log", text=f"{marker}: cable run {i} labelled and tested")
                answered.append(time.perf_counter() - started)
                notice.append(_wait_for(raw_seen, f"notice {before + 1} ") - started)
                shown.append(_wait_for(page_seen, marker) - started)
                get_started = time.perf_counter()
                assert http.get(page_path).status_code == 200
                gets.append(time.perf_counter() - get_started)
                if browser is not None:
                    marker = f"bench-shown-{i:05d}"
                    started = time.perf_counter()
                    send("log", text=f"{marker}: checked in the browser")
                    browser.wait_for(marker)
                    painted.append(time.perf_counter() - started)
            if browser is not None:
                browser.close()
            phone.close()
            http.close()
        finally:
            svc.stop()

    print(f"{args.events} work-log entries, one at a time (the page's log grows to {args.events} entries)")
    a = _stats("(a) event sent -> answered (recorded)", answered)
    b = _stats("(b) event sent -> raw SSE notice received", notice)
    c = _stats("(c) event sent -> live page fragment received", shown)
    g = _stats("(d) plain GET of the same page", gets)
    if painted:
        _stats("(e) event sent -> in chromium's DOM (htmx swap)", painted)
    print(f"ratio (c)/(b) median: {c[0] / b[0]:.2f}x   (c)-(b) median: {c[0] - b[0]:.1f} ms")
    print(f"ratio (c)/(d) median: {c[0] / g[0]:.2f}x   (c)/(a) median: {c[0] / a[0]:.2f}x")


if __name__ == "__main__":
    main()
