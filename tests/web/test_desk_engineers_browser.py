"""The desk in Debian's chromium at 1280×800, English and Japanese: a dispatcher signs in, opens the candidates
of a request (one engineer excluded for a double booking, one for the language, reasons shown), proposes two,
books a train (with its PDF) and a hotel, pairs a new phone by code — and the engineer's app, signed in with
that code through its sign-in view state, shows the bookings after its sync. Screenshots:
artifacts/screenshots/web/desk/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api_client.wire import Assignment
from dispatch import audit
from field_app.detail_model import DetailModel
from tests.aio import run
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web.conftest import DESKTOP, SHOTS, WebService, new_page, shot, sign_in_dispatcher
from tests.web.desk_engineers_setup import build
from tests.web.desk_steps import (
    book_train_and_hotel,
    check_candidates,
    new_phone,
    propose_sato_and_carter,
    show_pairing_code,
    sign_in_and_sync,
)


@pytest.fixture(scope="module")
def desk_browser() -> Iterator[object]:
    """This module's own chromium, stopped when the module ends: Playwright's sync API keeps an event loop
    running in the thread, which would break later tests that call asyncio.run() (tests/web/test_live_bus.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_dispatcher_picks_proposes_books_and_pairs_and_the_app_shows_it(
    web: WebService, desk_browser: object, lang: str, tmp_path: Path
) -> None:
    (SHOTS / "desk").mkdir(parents=True, exist_ok=True)
    scene = build(web)
    web.dispatcher("desk@ecorpone.example", language=lang)
    page = new_page(desk_browser, DESKTOP, lang)
    sign_in_dispatcher(page, web, "desk@ecorpone.example")

    check_candidates(page, web, scene, scene.assignment_id, lang)
    shot(page, f"desk/candidates-{lang}")
    propose_sato_and_carter(page, scene, lang)
    shot(page, f"desk/proposed-{lang}")
    with web.api() as c:
        a = Assignment.model_validate(c.get(f"/v1/assignments/{scene.assignment_id}").json())
    assert a.status.value == "proposed" and {e.id for e in a.engineers} == {
        scene.sato.engineer.id,
        scene.carter.engineer.id,
    }
    assert audit.trail(web.store, scene.assignment_id)[0].action == "propose"

    book_train_and_hotel(page, web, scene, scene.assignment_id, lang)
    shot(page, f"desk/travel-{lang}")

    code = show_pairing_code(page, web, scene.sato.engineer.id, lang)
    shot(page, f"desk/pairing-{lang}")
    page.goto(f"{web.url}/desk/engineers")
    shot(page, f"desk/engineers-{lang}")

    # The new phone: the app signs in with the code through its sign-in view state, then syncs.
    phone = new_phone(tmp_path, "phone")
    phone.set_language(lang)  # type: ignore[arg-type]
    assert run(sign_in_and_sync(phone, web.url, code)), phone.sign_in_error
    assert phone.engineer is not None and phone.engineer.id == scene.sato.engineer.id
    mine = phone.assignment(scene.assignment_id)
    assert mine is not None
    [train, hotel] = DetailModel.of(phone, mine).travel
    assert (train.title, train.confirmation, train.pdf_on_device) == ("Shin-Osaka → Tokyo", "JR-7788", True)
    assert (hotel.title, hotel.confirmation) == ("Hotel Marunouchi", "HM-2231")
    phone.store.close()
    page.context.close()
