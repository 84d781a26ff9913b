"""The service report a client files: rendered for English-only, Japanese-only and bilingual requests with 200
log entries and photos, parsed back with pypdf, and every page rendered to PNG (pdftoppm) under
artifacts/reports/ for a person to look at."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from api_client.events import EventKind
from api_client.texts import money
from dispatch.report import content_hash, render, signed_content
from tests.report_case import signed_off_case

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"
VERIFY_URL = "https://field.ecorpone.example/verify-report"
INTERNAL_CODES = [*(k.value for k in EventKind if "_" in k.value), "too_far", "no_position", "rate_card"]


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("languages", "present", "absent"),
    [
        (
            ["en"],
            ["Service report", "To: Yamada Trading", "Kenji Sato", "Timeline", "Arrival verified"],
            ["作業報告書"],
        ),
        (
            ["ja"],
            ["作業報告書", "山田商事株式会社 御中", "佐藤 健二", "経過", "現地到着を確認"],
            ["Service report", "Kenji"],
        ),
        (["en", "ja"], ["作業報告書 / Service report", "佐藤 健二 (Kenji Sato)", "合計 / Total"], []),
    ],
)
def test_report_in_the_requests_languages(languages, present, absent):
    case = signed_off_case(languages, log_entries=200, photos_every=40)
    report = render(case.assignment, case.events, case.bill, case.photos, verify_url=VERIFY_URL)
    text, pages = _text(report.pdf)
    flat = text.replace("\n", "")
    for expected in [*present, "PO-2026-0042", "Tokyo office", "5F", VERIFY_URL]:
        assert expected in text, expected
    for unexpected in absent:
        assert unexpected not in text, unexpected
    assert report.sha256 in flat and f"1 / {pages}" in text.replace("ページ", "").replace("Page ", "")
    for code in INTERNAL_CODES:
        assert not re.search(rf"\b{code}\b", text), code
    assert "EXAMPLE" not in text  # the rate card's label is the dispatcher's business, not the client's
    lang = languages[0] if len(languages) == 1 else "ja"
    amounts = [money(line.amount, case.bill.currency, lang) for line in case.bill.lines]
    total = money(case.bill.total, case.bill.currency, lang)
    assert all(a in text for a in amounts) and total in text
    assert sum(line.amount for line in case.bill.lines) == case.bill.total
    for n in (1, 100, 200):
        assert f"{'ラック' if languages == ['ja'] else 'rack '}{n}" in text  # every log entry is there
    images = sum(len(page.images) for page in PdfReader(io.BytesIO(report.pdf)).pages)
    assert images == len(case.photos) + 1  # the photos and the signature

    # Every page as an image, kept for review (the CI job uploads artifacts/).
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is installed by scripts/setup.sh"
    name = {"en": "english-only", "ja": "japanese-only"}.get("-".join(languages), "bilingual")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    (ARTIFACTS / f"{name}.pdf").write_bytes(report.pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)], check=True)
    assert len(list(ARTIFACTS.glob(f"{name}-*.png"))) == pages


def test_total_stays_on_the_page_of_its_lines():
    case = signed_off_case(["ja"], log_entries=200, photos_every=40)
    reader = PdfReader(io.BytesIO(render(case.assignment, case.events, case.bill, case.photos).pdf))
    for page in reader.pages:
        text = page.extract_text()
        if "合計" in text:
            assert "特急対応料金" in text  # the last line of the bill is on the total's page


def test_photo_is_embedded_and_hash_ignores_attachments():
    case = signed_off_case(["en"], log_entries=3, photos_every=2)
    with_photo = render(case.assignment, case.events, case.bill, case.photos)
    without = render(case.assignment, case.events, case.bill, {})
    assert with_photo.sha256 == without.sha256 == content_hash(signed_content(case.assignment, case.events, case.bill))
    images = [img for page in PdfReader(io.BytesIO(with_photo.pdf)).pages for img in page.images]
    assert len(images) == len(case.photos) + 1  # the photos and the signature
    assert "The attached photo could not be read" in _text(without.pdf)[0]
