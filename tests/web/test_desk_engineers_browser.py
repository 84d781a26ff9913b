"""The desk in Debian's chromium at 1280×800, English and Japanese: a dispatcher signs in, opens the candidates
of a request (one engineer excluded for a double booking, one for the language, reasons shown), proposes two,
books a train (with its PDF) and a hotel, pairs a new phone by code — and the engineer's app, signed in with
that code through its sign-in view state, shows the bookings after its sync. Screenshots:
artifacts/screenshots/web/desk/."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from api_client.wire import Assignment
from dispatch import audit
from field_app.detail_model import DetailModel
from field_app.device_store import DeviceStore
from field_app.state import AppState
from tests.clock import clock
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web.conftest import DESKTOP, SHOTS, WebService, new_page, shot, sign_in_dispatcher
from tests.web.desk_engineers_setup import PDF, build


@pytest.fixture(scope="module")
def desk_browser() -> Iterator[object]:
    """This module's own chromium, stopped when the module ends: Playwright's sync API keeps an event loop
    running in the thread, which would break later tests that call asyncio.run() (tests/web/test_live_bus.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


WORDS = {
    "en": {
        "double": "Double booking:",
        "language": "Language: speaks Japanese",
        "proposed": "Proposed: Kenji Sato, Emily Carter",
        "added": "Booking added.",
        "train": "Train",
        "hotel": "Hotel",
        "pair": "Show a pairing code",
        "propose": "Propose",
        "add": "Add a booking",
    },
    "ja": {
        "double": "重複:",
        "language": "言語: 日本語 のみ",
        "proposed": "提案しました: 佐藤 健二, エミリー・カーター",
        "added": "予約を追加しました。",
        "train": "列車",
        "hotel": "ホテル",
        "pair": "連携コードを表示",
        "propose": "提案する",
        "add": "予約を追加",
    },
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_dispatcher_picks_proposes_books_and_pairs_and_the_app_shows_it(
    web: WebService, desk_browser: object, lang: str, tmp_path: Path
) -> None:
    w = WORDS[lang]
    (SHOTS / "desk").mkdir(parents=True, exist_ok=True)
    scene = build(web)
    web.dispatcher("desk@ecorpone.example", language=lang)
    page = new_page(desk_browser, DESKTOP, lang)
    sign_in_dispatcher(page, web, "desk@ecorpone.example")

    page.goto(f"{web.url}/desk/assignments/{scene.assignment_id}/candidates")
    candidates = page.locator("table.candidates tbody tr")
    assert candidates.count() == 2
    excluded = page.locator("table.excluded")
    ito = excluded.locator(f'tr[data-engineer="{scene.ito.engineer.id}"]')
    mori = excluded.locator(f'tr[data-engineer="{scene.mori.engineer.id}"]')
    assert w["double"] in ito.inner_text() and scene.other_id in ito.inner_text()
    assert w["language"] in mori.inner_text()
    shot(page, f"desk/candidates-{lang}")

    page.locator(f"#pick-{scene.sato.engineer.id}").check()
    page.locator(f"#pick-{scene.carter.engineer.id}").check()
    with page.expect_navigation():
        page.get_by_role("button", name=w["propose"]).click()
    assert w["proposed"] in page.get_by_role("status").inner_text()
    shot(page, f"desk/proposed-{lang}")
    with web.api() as c:
        a = Assignment.model_validate(c.get(f"/v1/assignments/{scene.assignment_id}").json())
    assert a.status.value == "proposed" and {e.id for e in a.engineers} == {
        scene.sato.engineer.id,
        scene.carter.engineer.id,
    }
    assert audit.trail(web.store, scene.assignment_id)[0].action == "propose"

    page.goto(f"{web.url}/desk/assignments/{scene.assignment_id}/travel")
    day = scene.day.strftime("%Y-%m-%d")
    page.select_option("#engineer_id", scene.sato.engineer.id)
    page.select_option("#kind", "train")
    page.fill("#what", "Nozomi 7 · car 8, seat 12A")
    page.fill("#from_place", "Shin-Osaka")
    page.fill("#to_place", "Tokyo")
    page.fill("#confirmation", "JR-7788")
    page.fill("#starts_at", f"{day}T08:00")
    page.fill("#ends_at", f"{day}T10:27")
    page.set_input_files("#attachment", {"name": "nozomi.pdf", "mimeType": "application/pdf", "buffer": PDF})
    with page.expect_navigation():
        page.get_by_role("button", name=w["add"]).click()
    assert w["added"] in page.get_by_role("status").inner_text()
    page.select_option("#engineer_id", scene.sato.engineer.id)
    page.select_option("#kind", "hotel")
    page.fill("#hotel_name", "Hotel Marunouchi")
    page.fill("#address", "1-1 Marunouchi, Chiyoda-ku, Tokyo")
    page.fill("#confirmation", "HM-2231")
    page.fill("#starts_at", f"{day}T18:00")
    with page.expect_navigation():
        page.get_by_role("button", name=w["add"]).click()
    rows = page.locator("table.bookings tbody tr")
    assert rows.count() == 2
    assert w["train"] in rows.nth(0).inner_text() and w["hotel"] in rows.nth(1).inner_text()
    shot(page, f"desk/travel-{lang}")

    page.goto(f"{web.url}/desk/engineers/{scene.sato.engineer.id}")
    page.get_by_role("button", name=w["pair"]).click()
    page.wait_for_selector("#pairing-code")
    code = page.locator("#pairing-code").inner_text().strip()
    shot(page, f"desk/pairing-{lang}")
    page.goto(f"{web.url}/desk/engineers")
    shot(page, f"desk/engineers-{lang}")

    # The new phone: the app signs in with the code through its sign-in view state, then syncs.
    phone = AppState(store=DeviceStore(tmp_path / "phone.sqlite3"), clock=clock)
    phone.load_local()
    phone.set_language(lang)  # type: ignore[arg-type]

    async def sign_in() -> bool:
        ok = await phone.sign_in(web.url, code)
        phone.stop_sync()
        if ok:
            await phone.sync_now()
        return ok

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        assert pool.submit(asyncio.run, sign_in()).result(), phone.sign_in_error
    assert phone.engineer is not None and phone.engineer.id == scene.sato.engineer.id
    mine = phone.assignment(scene.assignment_id)
    assert mine is not None
    [train, hotel] = DetailModel.of(phone, mine).travel
    assert (train.title, train.confirmation, train.pdf_on_device) == ("Shin-Osaka → Tokyo", "JR-7788", True)
    assert (hotel.title, hotel.confirmation) == ("Hotel Marunouchi", "HM-2231")
    phone.store.close()
    page.context.close()
