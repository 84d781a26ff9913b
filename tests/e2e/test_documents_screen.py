"""The documents uploaded with a request, as the engineer's app shows them: on the assignment, saved on the device
after a sync, and opened from the device's copy (in web mode: downloaded from the app)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api_client.rules.lifecycle import Role
from dispatch.demo import DEMO_TOKENS
from dispatch.documents import add_document
from dispatch.principal import Principal
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

PLAN = b"%PDF-1.4\n% floor plan 12F\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "Core switch replacement, 12F server room"
WORDS = {
    "en": {"token": "Engineer token", "sign_in": "Sign in", "documents": "Documents", "saved": "saved on this device"},
    "ja": {"token": "エンジニアトークン", "sign_in": "サインイン", "documents": "資料", "saved": "端末に保存済み"},
}


@pytest.mark.parametrize(
    ("screen", "lang"), [(PHONE, "en"), (DESKTOP, "ja")], indirect=["screen"], ids=["phone-en", "desktop-ja"]
)
def test_the_engineer_opens_a_document_saved_on_the_device(dispatch, web_app, screen, lang: str) -> None:
    sato = Principal(Role.engineer, dispatch.demo["engineers"]["sato"])
    job = next(a for a in dispatch.store.assignments(sato) if a.request.title == TITLE)
    if not job.documents:
        add_document(dispatch.store, PLAN, "フロア図 12F.pdf", "floor_plan", "test", assignment_id=job.id)
    words = WORDS[lang]
    screen.open(web_app)
    if lang == "ja":
        screen.switch_to_japanese()
    screen.wait_for(words["token"])
    screen.type_into(words["token"], DEMO_TOKENS["sato"])
    screen.tap(words["sign_in"])
    screen.wait_for(TITLE)
    screen.tap_text(TITLE)
    screen.scroll_to("フロア図 12F.pdf")
    screen.wait_for(words["saved"])
    screen.page.mouse.wheel(0, 400)  # the whole section in the picture, not its first line
    screen.shot("documents")
    with screen.page.expect_download() as download:
        screen.tap("開く" if lang == "ja" else "Open")
    assert download.value.suggested_filename == "フロア図 12F.pdf"
    assert Path(download.value.path()).read_bytes() == PLAN
