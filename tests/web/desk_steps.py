"""The dispatcher's steps on the engineer pages, in the browser, and the engineer's phone (the app's view state
over a device store), shared by the engineer pages' browser test and the desk journey (test_desk_journey.py)."""

from __future__ import annotations

from pathlib import Path

from api_client.clock import Clock
from field_app.device_store import DeviceStore
from field_app.state import AppState
from tests.clock import clock as suite_clock
from tests.web.conftest import WebService
from tests.web.desk_engineers_setup import PDF, Scene

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


def check_candidates(page, web: WebService, scene: Scene, assignment_id: str, lang: str) -> None:
    """Open the candidates: Sato and Carter ranked; Ito excluded for the double booking (naming the other
    visit), Mori for the language."""
    w = WORDS[lang]
    page.goto(f"{web.url}/desk/assignments/{assignment_id}/candidates")
    ranked = page.locator("table.candidates tbody tr")
    assert ranked.count() == 2
    assert {ranked.nth(i).get_attribute("data-engineer") for i in range(2)} == {
        scene.sato.engineer.id,
        scene.carter.engineer.id,
    }
    excluded = page.locator("table.excluded")
    ito = excluded.locator(f'tr[data-engineer="{scene.ito.engineer.id}"]')
    mori = excluded.locator(f'tr[data-engineer="{scene.mori.engineer.id}"]')
    assert w["double"] in ito.inner_text() and scene.other_id in ito.inner_text()
    assert w["language"] in mori.inner_text()


def propose_sato_and_carter(page, scene: Scene, lang: str) -> None:
    w = WORDS[lang]
    page.locator(f"#pick-{scene.sato.engineer.id}").check()
    page.locator(f"#pick-{scene.carter.engineer.id}").check()
    with page.expect_navigation():
        page.get_by_role("button", name=w["propose"]).click()
    assert w["proposed"] in page.get_by_role("status").inner_text()


def book_train_and_hotel(page, web: WebService, scene: Scene, assignment_id: str, lang: str) -> None:
    """Sato's train there (with its PDF) and his hotel, on the visit's day, through the travel page's form."""
    w = WORDS[lang]
    page.goto(f"{web.url}/desk/assignments/{assignment_id}/travel")
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


def show_pairing_code(page, web: WebService, engineer_id: str, lang: str) -> str:
    """Press "Show a pairing code" on the engineer's page; the one-time code it shows."""
    page.goto(f"{web.url}/desk/engineers/{engineer_id}")
    page.get_by_role("button", name=WORDS[lang]["pair"]).click()
    page.wait_for_selector("#pairing-code")
    return page.locator("#pairing-code").inner_text().strip()


def new_phone(tmp_path: Path, name: str, clock: Clock = suite_clock) -> AppState:
    """The app's state on a phone that has never been signed in (its own device store)."""
    state = AppState(store=DeviceStore(tmp_path / f"{name}.sqlite3"), clock=clock)
    state.load_local()
    return state


async def sign_in_and_sync(state: AppState, url: str, code: str) -> bool:
    """The sign-in screen's step (a token, a pairing code or its QR link), then one awaited sync."""
    ok = await state.sign_in(url, code)
    state.stop_sync()  # the test syncs when it means to
    if ok:
        await state.sync_now()
    return ok
