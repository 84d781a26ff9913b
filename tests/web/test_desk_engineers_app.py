"""The engineer's app against the same service as the desk: it signs in on a new phone with the desk's pairing
code (through the sign-in view state), and after its sync the assignment screen's model shows the tickets and
hotel the desk booked — offline, with the ticket's PDF on the device."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest

from api_client.pairing import link
from field_app.detail_model import DetailModel
from field_app.device_store import DeviceStore
from field_app.state import AppState
from field_app.travel import pdf_file
from tests.clock import clock
from tests.web.conftest import WebService, http_sign_in_dispatcher, session_csrf
from tests.web.desk_engineers_setup import PDF, Scene, build
from tests.web.desk_steps import new_phone, sign_in_and_sync

DESK = "desk@ecorpone.example"


@pytest.fixture
def desk(web: WebService) -> httpx.Client:
    web.dispatcher(DESK)
    c = http_sign_in_dispatcher(web, DESK)
    yield c
    c.close()


def pairing_code(desk: httpx.Client, engineer_id: str) -> str:
    path = f"/desk/engineers/{engineer_id}"
    page = desk.post(path + "/pairing", data={"csrf_token": session_csrf(desk, path)})
    found = re.search(r'id="pairing-code">([A-Z0-9-]{9})<', page.text)
    assert found, page.text
    return found.group(1)


def book_trip(web: WebService, desk: httpx.Client, scene: Scene) -> None:
    ids = [scene.sato.engineer.id, scene.carter.engineer.id]
    with web.api() as c:
        c.post(f"/v1/assignments/{scene.assignment_id}/propose", json={"engineer_ids": ids}).raise_for_status()
    path = f"/desk/assignments/{scene.assignment_id}/travel"
    day = scene.day.strftime("%Y-%m-%d")
    for fields, pdf in (
        ({"kind": "train", "what": "Nozomi 7", "from_place": "Shin-Osaka", "to_place": "Tokyo"}, PDF),
        ({"kind": "hotel", "hotel_name": "Hotel Marunouchi", "address": "1-1 Marunouchi, Tokyo"}, None),
    ):
        start = "08:00" if fields["kind"] == "train" else "18:00"
        data = {"csrf_token": session_csrf(desk, path), "engineer_id": scene.sato.engineer.id, **fields}
        data |= {"starts_at": f"{day}T{start}", "confirmation": "C-" + fields["kind"]}
        files = {"attachment": ("nozomi.pdf", pdf, "application/pdf")} if pdf else None
        assert desk.post(path, data=data, files=files).status_code == 303


def test_new_phone_pairs_by_code_and_shows_its_tickets_offline(web: WebService, desk: httpx.Client, tmp_path: Path):
    scene = build(web)
    book_trip(web, desk, scene)
    phone = new_phone(tmp_path, "new")
    assert asyncio.run(sign_in_and_sync(phone, web.url, pairing_code(desk, scene.sato.engineer.id)))
    assert phone.engineer is not None and phone.engineer.id == scene.sato.engineer.id
    with httpx.Client(base_url=web.url, headers={"Authorization": f"Bearer {scene.sato.token}"}) as old:
        assert old.get("/v1/me").status_code == 401  # the old phone is signed out
    phone.stop_sync()
    phone.store.close()

    # Later, with no network: the cache alone.
    offline = AppState(store=DeviceStore(tmp_path / "new.sqlite3"), clock=clock)
    offline.load_local()
    a = offline.assignment(scene.assignment_id)
    assert a is not None
    model = DetailModel.of(offline, a)
    [train, hotel] = model.travel
    assert (train.title, train.confirmation, train.pdf_on_device) == ("Shin-Osaka → Tokyo", "C-train", True)
    assert train.when.endswith("08:00 JST")  # site-local, with the zone
    assert (hotel.title, hotel.detail, hotel.pdf_on_device) == ("Hotel Marunouchi", "1-1 Marunouchi, Tokyo", False)
    path = pdf_file(offline.store, train.booking)
    assert path is not None and path.read_bytes() == PDF
    offline.store.close()


def test_the_other_engineer_sees_none_of_those_bookings(web: WebService, desk: httpx.Client, tmp_path: Path):
    scene = build(web)
    book_trip(web, desk, scene)
    phone = new_phone(tmp_path, "carter")
    assert asyncio.run(sign_in_and_sync(phone, web.url, pairing_code(desk, scene.carter.engineer.id)))
    a = phone.assignment(scene.assignment_id)
    assert a is not None and DetailModel.of(phone, a).travel == ()
    phone.store.close()


def test_a_wrong_or_used_code_is_said_on_the_sign_in_screen(web: WebService, desk: httpx.Client, tmp_path: Path):
    scene = build(web)
    code = pairing_code(desk, scene.mori.engineer.id)
    first = new_phone(tmp_path, "first")
    # The QR's link carries the server too: the URL typed on the screen does not matter then.
    assert asyncio.run(sign_in_and_sync(first, "https://typo.invalid", link(web.url, code)))
    second = new_phone(tmp_path, "second")
    assert not asyncio.run(sign_in_and_sync(second, web.url, code))
    assert second.sign_in_error == second.t("sign_in.error.pairing") and second.engineer is None
    for state in (first, second):
        state.stop_sync()
        state.store.close()
