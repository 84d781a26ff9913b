"""The service report a client files: rendered for English-only, Japanese-only and bilingual requests with 200
log entries and photos, parsed back with pypdf, and every page rendered to PNG (pdftoppm) under
artifacts/reports/ for a person to look at."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from api_client.events import EventKind
from api_client.texts import money
from dispatch.report import LINE_H, MUTED, PHOTO_DPI, _photo_size, _Report, content_hash, render, signed_content
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


def test_a_line_is_drawn_where_fpdf2s_cell_would_draw_it():
    """The report draws its lines with `FPDF.text` for speed (`_Report.put`): the same text operators at the same
    baseline as `cell`, left and right aligned, in Latin and Japanese (guards an fpdf2 upgrade moving either)."""
    case = signed_off_case(["en", "ja"], log_entries=1, photos_every=0)
    report = _Report(case.assignment, case.events, case.bill, {}, "0" * 64, VERIFY_URL)
    pdf = report.pdf
    pdf.add_page()
    report.font(8.5, MUTED)
    report.put(pdf.l_margin, 20, 50, "—")  # the first text on a page also selects the font for the page
    page = pdf.pages[pdf.page]

    def drawn(draw, *args, **kwargs) -> bytes:
        before = len(page.contents)
        draw(*args, **kwargs)
        ops = bytes(page.contents[before:])
        return re.sub(rb"\s+", b" ", re.sub(rb"\bq\b|\bQ\b|[\d.]+ g\b", b"", ops)).strip()  # colour set apart

    for line, align in [("Checked rack 7: cables re-seated.", "L"), ("¥12,345", "R"), ("設定はUSBに保存済み。", "R")]:
        by_put = drawn(report.put, 31.0, 57.3, 98.0, line, align)
        pdf.set_xy(31.0, 57.3)
        by_cell = drawn(pdf.cell, 98.0, LINE_H, line, align=align)
        assert by_put == by_cell and by_put.startswith(b"BT "), (line, by_put, by_cell)


def test_a_phone_photo_is_embedded_reduced_but_at_least_150_dpi_as_printed():
    case = signed_off_case(["en"], log_entries=3, photos_every=2)
    taken = {}
    for n, (event_id, size) in enumerate(zip(case.photos, [(4000, 3000), (1200, 1600)], strict=True)):
        photo = Image.merge("RGB", [Image.linear_gradient("L").resize(size)] * 2 + [Image.new("L", size, 60 * n)])
        buf = io.BytesIO()
        photo.save(buf, format="JPEG", quality=85)  # a 12 MP phone photo, and a small portrait one
        taken[event_id] = buf.getvalue()
    report = render(case.assignment, case.events, case.bill, taken)
    embedded = [img.image for page in PdfReader(io.BytesIO(report.pdf)).pages for img in page.images][:-1]
    assert [e.size for e in embedded] == [(500, 375), (300, 400)]  # 1/8 and 1/4 by JPEG's DCT scaling
    for photo in embedded:
        printed_mm = _photo_size(photo.height / photo.width)[0]
        assert photo.width / (printed_mm / 25.4) >= PHOTO_DPI


def test_an_entry_taller_than_a_page_is_drawn_on_pages_not_past_their_foot():
    """`put` leaves a line that would cross the page's foot to `cell`'s page break: no text is drawn off the page."""
    case = signed_off_case(["ja"], log_entries=3, photos_every=0)
    log = list(case.assignment.visit.log)
    log[1] = log[1].model_copy(update={"text": "".join(f"{i:04d}番目の確認。" for i in range(400))})  # 4,000 chars
    assignment = case.assignment.model_copy(update={"visit": case.assignment.visit.model_copy(update={"log": log})})
    reader = PdfReader(io.BytesIO(render(assignment, case.events, case.bill, {}).pdf))
    found, outside = "", []
    for page in reader.pages:
        height = float(page.mediabox.height)

        def seen(text, cm, tm, font, size, height=height):
            if text.strip() and not 0 < tm[5] < height:
                outside.append((text, tm[5]))

        found += page.extract_text(visitor_text=seen).replace("\n", "")
    assert not outside
    assert all(f"{i:04d}番目" in found for i in range(400))
