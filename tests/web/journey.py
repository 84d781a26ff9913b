"""The steps of the ordering party's journey in the browser, shared by the tests that walk part of it
(test_request_form_pages, test_visit_journey) and the one that walks all of it (test_ordering_party_journey).

Each step asserts what a person sees and saves its screenshots under names from `name(step)`, so every test keeps
its own screenshot names."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Callable
from email.message import Message
from pathlib import Path

from api_client.texts import text
from dispatch.principal import SYSTEM
from tests.web.conftest import ROOT, WebService, mail_text, new_page, shot
from tests.web.test_request_form import MAPS
from tests.web.visits import SIGNATURE, AppPhone, Visit, photo_png

Namer = Callable[[str], str]
Phone = Visit | AppPhone  # the engineer's events through the typed client, or through the app and its sync

INSTRUCTIONS_PDF = b"%PDF-1.4\n% work instructions\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INSTRUCTIONS_NAME = "作業手順書.pdf"
# The pin both locations of the typed request carry (MAPS): an arrival there is verified.
AT_MAPS_PIN = {"latitude": 35.6284, "longitude": 139.7387, "accuracy_m": 12}
DECIDE = re.compile(r"https?://\S+/portal/decide/\S+")
# Counts the fragments the SSE extension swapped in, from before htmx loads.
SSE_COUNTER = "window.__sse = 0; document.addEventListener('htmx:sseMessage', () => { window.__sse += 1; });"
MAX_DELAY_S = 1.0
REPORTS = ROOT / "artifacts" / "reports"


# -- the request form ------------------------------------------------------------------------------------
def fill(page, name: str, value: str) -> None:
    page.locator(f'[name="{name}"]').fill(value)


def fill_two_locations_with_three_mistakes(page, lang: str, visit_date: str = "2026-12-10") -> None:
    """Type a two-location request in Japanese with three mistakes (a pin that is not Google Maps, a phone without
    its country code, no language) and press Send. The first is also shown as the field is left (htmx)."""
    fill(page, "title", "コアスイッチ交換（2拠点）")
    fill(page, "visit_date", visit_date)
    fill(page, "visit_time", "10:00")
    fill(page, "reserved_hours", "3")
    fill(page, "locations.0.name", "品川データセンター Bホール")
    fill(page, "locations.0.address", "東京都品川区東品川 2-2-20")
    fill(page, "locations.0.maps_url", "https://maps.example.com/品川")  # mistake 1: not Google Maps
    fill(page, "locations.0.floor", "B1")
    fill(page, "locations.0.access_notes", "通用口で警備員に入館証を提示してください。")
    fill(page, "locations.0.local_contacts.0.name", "森 健一")
    fill(page, "locations.0.local_contacts.0.phone", "+81 3-1234-5678")
    fill(page, "locations.0.local_contacts.0.email", "mori@site.example")  # gets the read-only link
    page.get_by_role("button", name=text("request.location.add", lang)).click()  # saved, then a second site
    page.wait_for_selector('[name="locations.1.name"]')
    assert page.locator('[name="locations.0.name"]').input_value() == "品川データセンター Bホール"  # nothing lost
    fill(page, "locations.1.name", "大井データセンター")
    fill(page, "locations.1.address", "東京都品川区八潮 3-1")
    fill(page, "locations.1.maps_url", MAPS)
    fill(page, "locations.1.local_contacts.0.name", "佐々木 優")
    fill(page, "locations.1.local_contacts.0.phone", "090-1234-5678")  # mistake 2: no country code
    fill(page, "work.summary", "2拠点のコアスイッチを交換し、設定を移行します。")
    # with JavaScript, a field is checked as it is left (htmx), before anything is sent
    early = page.locator('[data-field="locations.1.local_contacts.0.phone"]')
    early.wait_for(state="visible", timeout=5_000)
    assert text("request.rule.phone_country_code", lang) in early.inner_text()
    fill(page, "items.0.name", "RS-232C ケーブル")
    page.locator('[name="devices_on_site_confirmed"]').check()
    page.locator(f'[name="languages.{lang}"]').uncheck()  # mistake 3: no language
    page.get_by_role("button", name=text("request.send", lang)).click()


def see_three_mistakes_next_to_their_fields(page, lang: str, name: Namer) -> None:
    page.wait_for_selector(".error-summary")
    assert page.get_by_role("heading", name=text("request.errors.heading", lang, count=3)).is_visible()
    expected = {
        "locations.0.maps_url": "request.rule.maps_url",
        "locations.1.local_contacts.0.phone": "request.rule.phone_country_code",
        "languages": "request.rule.languages_required",
    }
    for field, key in expected.items():
        shown = page.locator(f'[data-field="{field}"]')
        assert shown.is_visible() and text(key, lang) in shown.inner_text(), field
        # next to its field: the message sits in the same field box as the input (or the language choices)
        box = page.locator(f'[name="{field}"]' if field != "languages" else f'[name="languages.{lang}"]')
        assert box.bounding_box()["y"] < shown.bounding_box()["y"] < box.bounding_box()["y"] + 200
    assert page.locator('[name="locations.1.local_contacts.0.phone"]').input_value() == "090-1234-5678"
    page.locator('[data-field="locations.0.maps_url"]').scroll_into_view_if_needed()
    shot(page, name("mistakes"))


def fix_them_and_upload_instructions(page, lang: str, folder: Path, name: Namer) -> None:
    fill(page, "locations.0.maps_url", MAPS)
    fill(page, "locations.1.local_contacts.0.phone", "+81 90-1234-5678")
    page.locator(f'[name="languages.{lang}"]').check()
    pdf = folder / INSTRUCTIONS_NAME
    pdf.write_bytes(INSTRUCTIONS_PDF)
    page.locator('[name="document_kind"]').select_option("instructions")
    page.locator('input[type="file"][name="documents"]').set_input_files(str(pdf))
    page.get_by_role("button", name=text("request.documents.upload", lang)).click()
    page.wait_for_selector("ul.documents")
    assert page.get_by_role("link", name=INSTRUCTIONS_NAME).is_visible()
    assert page.locator(".pin").first.is_visible()  # the parsed pin, with its "open" link
    page.locator("#documents").scroll_into_view_if_needed()
    shot(page, name("fixed"))


def send_request(page, web: WebService, lang: str, name: Namer) -> str:
    """Send the fixed request; returns the new visit's id (checked in the store: two sites, the PDF)."""
    page.get_by_role("button", name=text("request.send", lang)).click()
    page.wait_for_url("**/sent")
    assert page.get_by_role("heading", name=text("request.sent.heading", lang)).is_visible()
    assert page.get_by_text(INSTRUCTIONS_NAME).is_visible()
    shot(page, name("sent"))
    assignment_id = page.url.split("/")[-2]
    a = web.store.assignment(assignment_id, SYSTEM)
    assert [loc.name for loc in a.request.locations] == ["品川データセンター Bホール", "大井データセンター"]
    assert [d.name for d in a.documents] == [INSTRUCTIONS_NAME] and a.documents[0].kind.value == "instructions"
    return assignment_id


# -- proposal, live page, continuation, report ------------------------------------------------------------
def show_mail(browser: object, mail: Message, viewport: dict[str, int], name: str, font_url: str) -> None:
    """The mail's HTML part as a mail client shows it: inline images from their cid: parts."""
    html, images = "", {}
    for part in mail.walk():
        if part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        elif part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_payload(decode=True)).decode()
            images[part["Content-ID"].strip("<>")] = f"data:{part.get_content_type()};base64,{data}"
    assert html and images
    for cid, uri in images.items():
        html = html.replace(f"cid:{cid}", uri)
    # This machine's chromium has no Japanese system font (a phone's mail app has one): lend it the service's.
    font = (
        f"<style>@font-face{{font-family:JP;src:url({font_url})}}"
        "body{font-family:JP,sans-serif!important;margin:12px}</style>"
    )
    page = new_page(browser, viewport)
    page.goto(font_url.rsplit("/fonts/", 1)[0] + "/v1/health")  # type: ignore[attr-defined]  # same origin as the font
    page.set_content(font + html)  # type: ignore[attr-defined]
    assert page.locator("img").evaluate("img => img.naturalWidth") > 0  # type: ignore[attr-defined]
    page.evaluate("document.fonts.load('16px JP', '承認')")  # type: ignore[attr-defined]
    shot(page, name)
    page.context.close()  # type: ignore[attr-defined]


def approve_from_the_mail(
    page,
    browser: object,
    web: WebService,
    email: str,
    viewport: dict[str, int],
    lang: str,
    name: Namer,
    after: int = 0,
) -> None:
    """Open the proposal mail's link (the mail itself shown as a mail client would), see the engineer, approve."""
    mail = web.mail_to(email, after=after)
    found = DECIDE.search(mail_text(mail))
    assert found, mail_text(mail)
    show_mail(browser, mail, viewport, name("proposal-mail"), f"{web.url}/fonts/NotoSansJP-Regular.ttf")
    page.goto(found.group(0))
    engineer = "佐藤 健二" if lang == "ja" else "Kenji Sato"
    assert engineer in page.inner_text("main")
    assert page.locator(".engineer img").evaluate("img => img.naturalWidth") > 0
    shot(page, name("proposal"))
    with page.expect_navigation():
        page.locator("#approve").click()
    assert page.locator("[role=status]").count() == 1
    shot(page, name("approved"))


def visible_after(page, visit: Phone, kind: str, selector_text: str, **fields: object) -> float:
    """Send one event from the engineer's phone (recorded and synced); the seconds until the page shows
    `selector_text`."""
    started = time.monotonic()
    visit.send(kind, **fields)
    page.wait_for_function(
        "t => document.querySelector('#visit').innerText.includes(t)", arg=selector_text, polling="raf", timeout=5000
    )
    return time.monotonic() - started


def see_arrival_and_two_log_entries(page, visit: Phone, lang: str, position: dict, name: Namer) -> dict[str, float]:
    """The live page (its stream open) shows each event as the phone sends it; returns the delays, each < 1 s."""
    page.wait_for_function("() => window.__sse >= 1")  # the stream's first render
    delays = {
        "depart": visible_after(page, visit, "depart", "出発" if lang == "ja" else "departed"),
        "arrive": visible_after(
            page, visit, "arrive", "現地到着を確認" if lang == "ja" else "Arrival verified", position=position
        ),
    }
    visit.send("start_work", assisted_by="Ken Ito")
    delays["log 1"] = visible_after(page, visit, "log", "Old switch removed", text="Old switch removed")
    photo = base64.b64encode(photo_png((30, 140, 60), 160)).decode()
    racked = "New switch racked"
    delays["log 2"] = visible_after(page, visit, "log", racked, text=racked, photo_base64=photo)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#work-log img')].some(i => i.complete && i.naturalWidth > 0)"
    )
    shot(page, name("working"))
    print("event sent -> visible on the page:", {k: f"{v * 1000:.0f} ms" for k, v in delays.items()})
    assert max(delays.values()) < MAX_DELAY_S, delays
    return delays


def accept_a_continuation(page, web: WebService, visit: Phone, decided_by: str, name: Namer) -> float:
    """The engineer asks for 45 more minutes; the ordering party accepts on the page. Returns the ask's delay."""
    # Waits for the answer's button, not for "45": a clock on the page may show that already (09:45).
    started = time.monotonic()
    visit.send("ask_continuation", extra_minutes=45)
    page.wait_for_selector("#continue-accept", state="visible", timeout=5000)
    ask = time.monotonic() - started
    assert ask < MAX_DELAY_S
    assert "45" in page.inner_text("#continuation .question")
    shot(page, name("continuation"))
    with page.expect_navigation():
        page.locator("#continue-accept").click()
    v = web.store.assignment(visit.id, SYSTEM).visit
    assert v.continuation.value == "accepted" and v.continuations[0].decided_by == decided_by
    assert page.locator("#continuation .decided").count() == 1
    return ask


def sign_off_and_verify_the_report(
    page, visit: Phone, name: Namer, report_name: str, confirmed_steps: list[int] | None = None
) -> bytes:
    """Sign-off on the engineer's phone; the report appears on the page by itself, downloads and its SHA-256
    verifies at /verify-report. Returns the PDF (also kept under artifacts/reports/)."""
    steps = [0] if confirmed_steps is None else confirmed_steps
    visit.send("sign_off", signer_name="Ken Ito", approve_leaving=True, confirmed_steps=steps, strokes=SIGNATURE)
    page.wait_for_selector("#report-download", timeout=20_000)
    shot(page, name("signed-off"))
    shown = page.inner_text("#report-sha256").strip()
    with page.expect_download() as download:
        page.locator("#report-download").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == shown
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{report_name}.pdf").write_bytes(pdf)  # looked at as PNG (pdftoppm)
    page.locator("#report-verify").click()
    page.wait_for_selector("#result[data-outcome]")
    assert page.locator("#result").get_attribute("data-outcome") == "match"
    assert visit.id in page.inner_text("#result")
    shot(page, name("verified"))
    return pdf
