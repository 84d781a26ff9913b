"""An engineer signs in and reads an assignment — in English and in Japanese, on a phone and a desktop."""

from __future__ import annotations

from pathlib import Path

import pytest

from dispatch.demo import DEMO_TOKENS
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

# what the engineer must find on screen for each demo job
ENGLISH_JOB = {
    "token": DEMO_TOKENS["sato"],
    "title": "Core switch replacement, 12F server room",
    "address": "2-7-2 Marunouchi",
    "floor": "12F, server room 12-B",
    "access": "Freight elevator 3 only",
    "contact": "Hiroshi Ito",
    "item": "RS-232C console cable (USB)",
}
JAPANESE_JOB = {
    "token": DEMO_TOKENS["carter"],
    "title": "UPS 交換とサーバー再起動（本社・倉庫）",
    "address": "大阪府大阪市北区梅田3-1-3",
    "floor": "地下1階 電算室",
    "access": "警備室で入館証を受け取り",
    "contact": "中村 美香",
    "item": "写真付き身分証明書",
}
LABELS = {
    "en": {
        "token": "Engineer token",
        "sign_in": "Sign in",
        "list": "My assignments",
        "items": "Items to bring",
        "today": "Today",
    },
    "ja": {
        "token": "エンジニアトークン",
        "sign_in": "サインイン",
        "list": "担当案件",
        "items": "持ち物",
        "today": "今日",
    },
}


@pytest.mark.parametrize(
    ("screen", "lang", "job"),
    [
        (PHONE, "en", ENGLISH_JOB),
        (DESKTOP, "en", ENGLISH_JOB),
        (PHONE, "ja", JAPANESE_JOB),
        (DESKTOP, "ja", JAPANESE_JOB),
    ],
    indirect=["screen"],
    ids=["phone-en", "desktop-en", "phone-ja", "desktop-ja"],
)
def test_engineer_reads_the_assignment(web_app, screen, lang, job):
    words = LABELS[lang]
    screen.open(web_app)
    if lang == "ja":
        screen.switch_to_japanese()
    screen.wait_for(words["token"])
    screen.type_into(words["token"], job["token"])
    screen.shot("1-sign-in")
    screen.tap(words["sign_in"])
    screen.wait_for(words["list"])
    screen.wait_for(job["title"])
    screen.shot("2-list")

    screen.tap_text(job["title"])
    for key in ("address", "floor", "access", "contact"):
        screen.wait_for(job[key])
    screen.shot("3-detail")
    screen.scroll_to(words["items"])
    screen.scroll_to(job["item"])
    screen.shot("4-items")


def test_class_4_stands_out_and_unapproved_job_says_do_not_go(web_app, screen):
    screen.open(web_app)
    screen.type_into("Engineer token", DEMO_TOKENS["sato"])
    screen.tap("Sign in")
    screen.wait_for("Class 4 — visit immediately")
    screen.tap_text("Network outage — visit immediately")
    screen.wait_for("Not approved yet — do not go on site")
    screen.wait_for("Short map link")
    screen.shot("urgent")
    with screen.page.expect_download() as download:
        screen.tap("Add to calendar")
    event = Path(download.value.path()).read_text(encoding="utf-8").replace("\r\n ", "")
    assert download.value.suggested_filename == "URGENT-0093.ics"
    assert "BEGIN:VEVENT" in event and "SUMMARY:Network outage — visit immediately" in event


def test_wrong_token_is_refused_on_screen(web_app, screen):
    screen.open(web_app)
    screen.type_into("Engineer token", "not-a-real-token")
    screen.tap("Sign in")
    screen.wait_for("The server does not know this token")
