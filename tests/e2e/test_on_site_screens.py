"""On site at phone size: tap Arrived, log work, show the badge, and the client signs with a finger (mouse)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from api_client import DispatchClient
from api_client.clock import RunningClock
from api_client.rules.lifecycle import Status
from dispatch.demo import DEMO_TOKENS, seed
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, LiveService, start_service
from tests.e2e.conftest import PHONE, Screen, start_web_app

pytestmark = pytest.mark.e2e
SITE = {"latitude": 35.6797, "longitude": 139.7649, "accuracy": 10}  # the demo job's Maps pin


@pytest.fixture
def on_site(tmp_path: Path) -> Iterator[Callable[[str], tuple[LiveService, str]]]:
    """A demo service and the app, both on a clock moved to the hour of the named job's visit: the engineer is
    there on time (an arrival is accepted only around the visit start), whatever the suite's "now"."""
    running: list[tuple[LiveService, subprocess.Popen[bytes]]] = []

    def at_visit(title: str) -> tuple[LiveService, str]:
        service_clock = RunningClock(clock())
        live = start_service(tmp_path / "dispatch.sqlite3", clock=service_clock)
        seed(live.store)
        with DispatchClient(live.url, DISPATCHER_TOKEN) as d:
            job = next(a for a in d.list_assignments() if a.request.title.startswith(title))
        service_clock.jump_to(max(job.request.visit_start - timedelta(minutes=15), service_clock()))
        (tmp_path / "app").mkdir(exist_ok=True)
        proc, url = start_web_app(tmp_path / "app", live.url, start=service_clock())
        running.append((live, proc))
        return live, url

    yield at_visit
    for live, proc in running:
        proc.terminate()
        proc.wait(timeout=10)
        live.stop()


@pytest.fixture
def phone_at_site(browser, request) -> Iterator[Screen]:
    context = browser.new_context(viewport=PHONE, locale="en-US", geolocation=SITE, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Screen(page, "on-site-phone")
    context.close()


def _sign_with_mouse(screen: Screen) -> None:
    pad = screen.page.locator('[flt-semantics-identifier="signature-pad"]')
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x0, y0 = box["x"] + 30, box["y"] + box["height"] * 0.6
    mouse = screen.page.mouse
    mouse.move(x0, y0)
    mouse.down()
    for i in range(1, 25):  # a looping scrawl, like a real signature
        mouse.move(x0 + i * 9, y0 - 35 * ((i % 4) in (1, 2)) + 10 * (i % 3), steps=2)
    mouse.up()


def test_engineer_arrives_logs_shows_badge_and_client_signs(on_site, phone_at_site):
    dispatch, on_site_app = on_site("Core switch replacement")
    screen = phone_at_site
    screen.open(on_site_app)
    screen.type_into("Engineer token", DEMO_TOKENS["sato"])
    screen.tap("Sign in")
    screen.tap_text("Core switch replacement, 12F server room")

    screen.tap("+15 min")
    screen.wait_for("Client told: expected at")
    screen.tap("Arrived")
    screen.wait_for("Arrival verified at the site")
    screen.shot("1-arrived")
    screen.type_into("Customer's person assisting", "Hiroshi Ito")
    screen.tap("Start work")
    screen.wait_for("Within the reserved time")
    screen.type_into("What did you do / find?", "Old core switch removed; cabling labelled")
    screen.tap("Add to log")
    screen.wait_for("Old core switch removed; cabling labelled")
    screen.shot("2-working")

    screen.tap("Photo-ID badge")
    screen.wait_for("Security: scan to verify")
    screen.wait_for("Kenji Sato")
    screen.shot("3-badge")
    screen.page.go_back()

    screen.tap("Client sign-off")
    screen.wait_for("Work completion — client sign-off")
    screen.shot("4-hand-over")
    screen.page.get_by_role("checkbox", name="4. Power on and verify uplinks").click()
    screen.type_into("Your name", "Hiroshi Ito")
    _sign_with_mouse(screen)
    screen.scroll_to("I approve the team leaving the site")
    screen.page.get_by_role("checkbox", name="I approve the team leaving the site").click()
    screen.shot("5-signed")
    screen.tap("Sign and finish")
    screen.wait_for("Signed off by Hiroshi Ito")
    screen.shot("6-locked")

    with DispatchClient(dispatch.url, DISPATCHER_TOKEN) as d:
        job = next(a for a in d.list_assignments() if a.request.title.startswith("Core switch"))
        deadline = time.monotonic() + 20
        while d.get_assignment(job.id).status is not Status.signed_off and time.monotonic() < deadline:
            time.sleep(0.3)
        done = d.get_assignment(job.id)
        events = d.events(job.id)
    assert done.status is Status.signed_off and done.visit.signer_name == "Hiroshi Ito"
    assert done.visit.arrivals[0].check == "verified" and done.visit.confirmed_steps == [3]
    strokes = next(e.data["strokes"] for e in events if e.kind == "sign_off")
    assert sum(len(s) for s in strokes) >= 10  # the drawn signature arrived as data
    assert [e.kind for e in events if e.actor != "dispatcher"] == [
        "running_late",
        "arrive",
        "start_work",
        "log",
        "sign_off",
    ]


def test_unable_to_enter_in_japanese(on_site, browser):
    dispatch, on_site_app = on_site("Patch panel labelling")
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(20_000)
    screen = Screen(page, "unable-phone-ja")
    try:
        screen.open(on_site_app)
        screen.switch_to_japanese()
        screen.type_into("エンジニアトークン", DEMO_TOKENS["tanaka"])
        screen.tap("サインイン")
        screen.tap_text("Patch panel labelling, 3F IDF")
        screen.wait_for("到着")
        screen.shot("0-detail")
        screen.tap("入館できない")
        screen.wait_for("訪問は終了し、予約時間全額が請求され")
        page.get_by_role("radio", name="機器未着").click()
        screen.type_into("詳細", "ラベルプリンターのテープが届いていない")
        screen.shot("1-reason")
        screen.tap("入館不可を記録")
        screen.wait_for("終了: 入館不可（機器未着）")
        screen.shot("2-ended")
    finally:
        context.close()
    with DispatchClient(dispatch.url, DISPATCHER_TOKEN) as d:
        job = next(a for a in d.list_assignments() if a.request.title.startswith("Patch panel"))
        deadline = time.monotonic() + 20
        while d.get_assignment(job.id).status is not Status.unable_to_enter and time.monotonic() < deadline:
            time.sleep(0.3)
        assert d.get_assignment(job.id).visit.unable_detail == "ラベルプリンターのテープが届いていない"
        assert d.bill(job.id).charged_hours == 2


def test_two_site_job_checks_in_at_each_site(on_site, browser):
    dispatch, on_site_app = on_site("UPS 交換")
    warehouse = {"latitude": 34.6386, "longitude": 135.4180, "accuracy": 15}
    context = browser.new_context(viewport=PHONE, locale="en-US", geolocation=warehouse, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    screen = Screen(page, "two-sites-phone")
    try:
        screen.open(on_site_app)
        screen.type_into("Engineer token", DEMO_TOKENS["carter"])
        screen.tap("Sign in")
        screen.tap_text("UPS 交換とサーバー再起動（本社・倉庫）")
        screen.tap("Arrived: 本社ビル")  # standing at the warehouse: recorded, but not verified
        screen.wait_for("本社ビル: Arrival NOT verified")
        screen.tap("Arrived: 南港倉庫")
        screen.wait_for("南港倉庫: Arrival verified at the site")
        screen.shot("checked-in")
        screen.type_into("Customer's person assisting", "中村 美香")
        screen.tap("Start work")
        screen.tap("Client sign-off")
        screen.wait_for("作業完了 — お客様の承認")  # the hand-over speaks the client's language (ja only)
        screen.scroll_to("作業チームの退出を承認します")
        screen.wait_for("署名して完了")
        screen.shot("hand-over-ja")
    finally:
        context.close()
    with DispatchClient(dispatch.url, DISPATCHER_TOKEN) as d:
        job = next(a for a in d.list_assignments() if a.request.engineer_count == 2)
        deadline = time.monotonic() + 20
        while len(d.get_assignment(job.id).visit.arrivals) < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        checks = {x.location_id: x.check for x in d.get_assignment(job.id).visit.arrivals}
    assert checks == {"HQ": "too_far", "WH": "verified"}
