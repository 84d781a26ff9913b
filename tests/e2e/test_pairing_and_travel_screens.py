"""The Flet app in web mode (chromium): a new phone signs in with the desk's pairing code typed where the token
goes, and the assignment screen shows the engineer's own train and hotel booked by the desk (issue 13).
Screenshots: artifacts/screenshots/test-new-phone-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from api_client.pairing import display
from dispatch import pairing, travel
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, LiveService, start_service
from tests.e2e.conftest import DESKTOP, PHONE, start_web_app
from tests.factories import request_data
from tests.web.desk_engineers_setup import PDF

TOKYO = ZoneInfo("Asia/Tokyo")
WORDS = {
    "en": {"token": "Engineer token", "sign_in": "Sign in", "section": "My tickets & hotel", "confirm": "Confirmation"},
    "ja": {
        "token": "エンジニアトークン",
        "sign_in": "サインイン",
        "section": "自分の交通・宿泊",
        "confirm": "予約番号",
    },
}


@pytest.fixture(scope="module")
def desk_scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveService, str, str]]:
    """A service with one engineer on tomorrow's visit, a train (with its PDF) and a hotel booked for them."""
    tmp = tmp_path_factory.mktemp("desk-pairing")
    live = start_service(tmp / "dispatch.sqlite3", mail_spool_dir=tmp / "mail")
    day = datetime.combine((clock().astimezone(TOKYO) + timedelta(days=1)).date(), time(0), TOKYO)
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}) as c:
        eng = c.post("/v1/engineers", json={"name": "Kenji Sato", "name_ja": "佐藤 健二", "languages": ["en", "ja"]})
        engineer_id = eng.json()["engineer"]["id"]
        body = request_data(
            title="Replace core switch",
            visit_start=day.replace(hour=14).isoformat(),
            requested_at=(day - timedelta(days=3)).isoformat(),
        )
        a = c.post("/v1/assignments", json=body).json()["id"]
        c.post(f"/v1/assignments/{a}/propose", json={"engineer_ids": [engineer_id]}).raise_for_status()
    for kind, fields, pdf in (
        ("train", {"what": "Nozomi 7", "from_place": "Shin-Osaka", "to_place": "Tokyo", "hour": 8}, PDF),
        ("hotel", {"hotel_name": "Hotel Marunouchi", "address": "1-1 Marunouchi", "hour": 18}, None),
    ):
        hour = fields.pop("hour")
        booking = travel.BookingIn(
            assignment_id=a,
            engineer_id=engineer_id,
            kind=kind,
            what=str(fields.get("what", "")),
            from_place=str(fields.get("from_place", "")),
            to_place=str(fields.get("to_place", "")),
            hotel_name=str(fields.get("hotel_name", "")),
            address=str(fields.get("address", "")),
            starts_at=day.replace(hour=int(hour)),
            ends_at=None,
            confirmation=f"C-{kind.upper()}",
            attachment_name="ticket.pdf" if pdf else "",
        )
        travel.add(live.store, booking, pdf, "dispatcher:test")
    yield live, engineer_id, a
    live.stop()


@pytest.mark.parametrize(
    ("screen", "lang"), [(PHONE, "en"), (DESKTOP, "ja")], indirect=["screen"], ids=["phone-en", "desktop-ja"]
)
def test_new_phone_signs_in_by_code_and_shows_its_tickets(desk_scene, screen, lang: str, tmp_path: Path):
    live, engineer_id, _ = desk_scene
    words = WORDS[lang]
    code, _ = pairing.issue(live.store, engineer_id, "dispatcher:test")
    proc, url = start_web_app(tmp_path, live.url)
    try:
        screen.open(url)
        if lang == "ja":
            screen.switch_to_japanese()
        screen.wait_for(words["token"])
        screen.type_into(words["token"], display(code).lower())  # typed loosely, as a person would
        screen.shot("1-code")
        # Tapped at once: the tap must use the whole code even while the screen has not caught up with the typing
        # (it used to run with the code a few keys short and was refused: field_app/views/typed.py).
        screen.tap(words["sign_in"])
        screen.wait_for("Replace core switch")
        screen.tap_text("Replace core switch")
        screen.scroll_to(words["section"])
        screen.scroll_to("Shin-Osaka → Tokyo")
        screen.wait_for(f"{words['confirm']} C-TRAIN")
        screen.scroll_to("Hotel Marunouchi")
        screen.shot("2-travel")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
