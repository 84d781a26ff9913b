"""The bill's notes and the EXAMPLE rate card's label read in the reader's language: on the desk's visit page,
the request's confirm step and the client pages (HTTP), and as a person sees them (chromium screenshots: the desk
visit page at 1280x800 and the portal visit page at 390x844, in Japanese)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.rules.billing import Continuation, VisitOutcome, bill
from api_client.texts import CATALOG, bill_notes, rate_card_label, text
from api_client.wire import BillOut
from tests.web.conftest import (
    DESKTOP,
    PHONE,
    WebService,
    http_sign_in_dispatcher,
    new_page,
    shot,
    sign_in_client,
    sign_in_dispatcher,
)
from tests.web.desk_scene import DeskScene, make_scene

_LATIN_WORD = re.compile(r"[A-Za-z]{4,}")  # an English word in a Japanese sentence (SLA, eCorpOne are names)
_NAMES = {"eCorpOne"}


@pytest.fixture
def scene(web: WebService) -> DeskScene:
    return make_scene(web)


def test_every_bill_note_has_japanese_words() -> None:
    for key in [k for k in CATALOG if k.startswith("bill.note.")] + ["rate_card.example_label"]:
        en, ja = (re.sub(r"\{\w+\}", "", words) for words in CATALOG[key])  # placeholders are no words
        assert en != ja and not (set(_LATIN_WORD.findall(ja)) - _NAMES), key


def test_a_bill_carries_its_notes_as_codes_read_in_each_language() -> None:
    made = bill(
        skill_level="senior",  # type: ignore[arg-type]
        engineer_count=1,
        reserved_hours=Decimal(1),
        grace_minutes=30,
        outcome=VisitOutcome.completed,
        on_site=timedelta(hours=3),
        expedited=True,
        retainer_sla=True,
        card=EXAMPLE_RATE_CARD,
        continuation=Continuation.declined,
    )
    out = BillOut.of(made)
    assert [n.code for n in out.note_codes] == ["minimum", "continuation_declined", "retainer_expedite"]
    assert bill_notes(out, "en") == list(made.notes)  # the English notes are the catalog's, as before
    ja = bill_notes(out, "ja")
    assert ja[1] == text("bill.note.continuation_declined", "ja", over=30) and not _LATIN_WORD.search(ja[1])
    earlier = BillOut.model_validate({**out.model_dump(), "note_codes": []})  # stored by an earlier release
    assert bill_notes(earlier, "ja") == list(made.notes)
    assert rate_card_label(EXAMPLE_RATE_CARD.label, "ja") == text("rate_card.example_label", "ja")
    assert rate_card_label("Contract 2026-A", "ja") == "Contract 2026-A"  # a contract's own words as written


def test_the_desk_visit_page_shows_the_bill_notes_in_japanese(scene: DeskScene) -> None:
    job = scene.approved_visit(reserved_hours=1)
    desk = http_sign_in_dispatcher(scene.web, scene.desk_email)
    page = desk.get(f"/desk/assignments/{job.id}?lang=ja").text
    assert text("bill.note.estimate", "ja") in page and text("bill.note.minimum", "ja", reserved=1, minimum=2) in page
    assert "Estimate: the visit" not in page
    english = desk.get(f"/desk/assignments/{job.id}?lang=en").text
    assert text("bill.note.estimate", "en") in english
    client = desk.get(f"/desk/clients/{scene.company.id}?lang=ja").text
    assert text("rate_card.example_label", "ja") in client and "EXAMPLE rates" not in client


@pytest.mark.e2e
def test_japanese_screens_of_the_bill_look_right(scene: DeskScene, browser) -> None:
    web = scene.web
    job = scene.approved_visit(reserved_hours=1)
    desk = new_page(browser, DESKTOP, "ja")
    sign_in_dispatcher(desk, web, scene.desk_email)
    desk.goto(f"{web.url}/desk/assignments/{job.id}?lang=ja")
    notes = desk.locator(".bill-note")
    assert notes.first.inner_text() == text("bill.note.estimate", "ja")
    assert "Estimate" not in desk.locator("main").inner_text()
    shot(desk, "bill-ja-desk-visit-desktop")
    desk.context.close()

    portal = new_page(browser, PHONE, "ja")
    sign_in_client(portal, web, scene.requester.email, f"/portal/visits/{job.id}")
    portal.goto(f"{web.url}/portal/visits/{job.id}?lang=ja")
    body = portal.locator("main").inner_text()
    assert "EXAMPLE" not in body and "Estimate" not in body
    shot(portal, "bill-ja-portal-visit-phone")
    portal.context.close()
