"""Continuation consent on the engineer's phone (the app in web mode, Debian's chromium at 390x844): near the end
of the reservation the on-site panel offers "Ask the client to continue" with an estimate; the engineer hands the
phone over and the client accepts in their language; the answer is shown and reaches the service."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from api_client import DispatchClient
from api_client.clock import RunningClock
from dispatch.demo import DEMO_TOKENS, seed
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, start_service
from tests.e2e.conftest import PHONE, Screen, start_web_app

pytestmark = pytest.mark.e2e
SITE = {"latitude": 35.6797, "longitude": 139.7649, "accuracy_m": 10}  # the demo job's Maps pin


@pytest.fixture
def near_the_end(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The demo's core-switch job (3 h reserved) with the engineer on site for 2 h 50 min, and the app started then."""
    service_clock = RunningClock(clock())
    live = start_service(tmp_path / "dispatch.sqlite3", clock=service_clock)
    seed(live.store)
    with DispatchClient(live.url, DISPATCHER_TOKEN) as d:
        job = next(a for a in d.list_assignments() if a.request.title.startswith("Core switch replacement"))
    arrived = max(job.request.visit_start - timedelta(minutes=10), service_clock())
    service_clock.jump_to(arrived)
    with DispatchClient(live.url, DEMO_TOKENS["sato"]) as phone:
        events = [
            {"kind": "arrive", "position": SITE, "device_time": arrived.isoformat()},
            {
                "kind": "start_work",
                "assisted_by": "Hiroshi Ito",
                "device_time": (arrived + timedelta(minutes=2)).isoformat(),
            },
        ]
        results = phone.send_events(
            events=[{"id": str(uuid.uuid4()), "assignment_id": job.id, **e} for e in events]
        ).results
        assert [r.outcome for r in results] == ["applied", "applied"], results
    service_clock.jump_to(arrived + timedelta(hours=3) - timedelta(minutes=10))
    (tmp_path / "app").mkdir()
    proc, url = start_web_app(tmp_path / "app", live.url, start=service_clock())
    yield live.url, url, job.id  # type: ignore[misc]
    proc.terminate()
    proc.wait(timeout=10)
    live.stop()


def test_the_engineer_asks_and_the_client_accepts_on_the_phone(near_the_end, browser):
    service_url, app_url, job_id = near_the_end
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    screen = Screen(page, "continuation-phone")
    try:
        screen.open(app_url)
        screen.type_into("Engineer token", DEMO_TOKENS["sato"])
        screen.tap("Sign in")
        screen.tap_text("Core switch replacement, 12F server room")
        screen.scroll_to("Ask the client to continue")
        screen.shot("1-offered")
        screen.tap("+30 min")
        page.mouse.wheel(0, -400)  # the open question replaces the choices, a little higher up
        screen.scroll_to("Hand over: the client answers here")
        screen.shot("2-asked")
        screen.tap("Hand over: the client answers here")
        screen.wait_for("May the engineer continue?")
        screen.shot("3-hand-over")
        page.get_by_role("button", name="日本語").last.click()  # the client reads Japanese: the screen's own switch
        screen.wait_for("作業を継続してよろしいですか？")
        screen.type_into("お名前", "Hiroshi Ito")
        screen.shot("3-hand-over-ja")
        screen.tap("承諾する（継続）")
        screen.wait_for("Open in Google Maps")  # back on the assignment
        time.sleep(0.5)
        screen.scroll_to("Continuation accepted by Hiroshi Ito")
        page.mouse.wheel(0, -150)
        screen.shot("4-accepted")
    finally:
        context.close()
    with DispatchClient(service_url, DISPATCHER_TOKEN) as d:
        deadline = time.monotonic() + 20
        while d.get_assignment(job_id).visit.continuation.value != "accepted" and time.monotonic() < deadline:
            time.sleep(0.3)
        visit = d.get_assignment(job_id).visit
    assert visit.continuation.value == "accepted"
    assert visit.continuations[0].extra_minutes == 30 and visit.continuations[0].decided_by == "Hiroshi Ito"
    assert visit.continuations[0].via.value == "hand_over"
