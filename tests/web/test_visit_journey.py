"""The ordering party's journey in Debian's chromium (phone 390x844 in Japanese, desktop 1280x800 in English) against
the real service with a real SMTP server on 127.0.0.1: the dispatcher proposes (API), the approver approves from
the mailed link, the live page shows the arrival and two log entries as the engineer's phone sends them (the delay
from sending to visible is measured and must stay under a second), a continuation is asked and accepted on the
page, the client signs off, the report downloads and its hash verifies at /verify-report. Screenshots:
artifacts/screenshots/web/visit-*.png."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from email.message import Message
from pathlib import Path

import pytest

from api_client.clients import Company
from dispatch.principal import SYSTEM
from tests.web.conftest import DESKTOP, PHONE, WebService, mail_text, new_page, shot, sign_in_client
from tests.web.visits import SIGNATURE, Visit, new_visit, photo_png

_DECIDE = re.compile(r"https?://\S+/portal/decide/\S+")
AT_SITE = {"latitude": 35.681236, "longitude": 139.767125, "accuracy_m": 12}
# Counts the fragments the SSE extension swapped in, from before htmx loads.
_SSE_COUNTER = "window.__sse = 0; document.addEventListener('htmx:sseMessage', () => { window.__sse += 1; });"
MAX_DELAY_S = 1.0
REPORTS = Path(__file__).resolve().parents[2] / "artifacts" / "reports"


def _show_mail(browser: object, mail: Message, viewport: dict[str, int], name: str, font_url: str) -> None:
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


def _visible_after(page: object, visit: Visit, kind: str, selector_text: str, **fields: object) -> float:
    """Send one event from the engineer's phone and return the seconds until the page shows `selector_text`."""
    started = time.monotonic()
    visit.send(kind, **fields)
    page.wait_for_function(  # type: ignore[attr-defined]
        "t => document.querySelector('#visit').innerText.includes(t)", arg=selector_text, polling="raf", timeout=5000
    )
    return time.monotonic() - started


@pytest.mark.parametrize(("viewport", "lang"), [(PHONE, "ja"), (DESKTOP, "en")], ids=["phone-ja", "desktop-en"])
def test_the_ordering_party_follows_a_visit_from_proposal_to_verified_report(
    web: WebService, acme: Company, browser: object, viewport: dict[str, int], lang: str
) -> None:
    size = "phone" if viewport is PHONE else "desktop"
    name = "青井 葵" if lang == "ja" else "Aoi Aoki"
    aoi = web.person(acme, "aoi@acme.example", name, approver=True, language=lang)
    visit = new_visit(web, acme, languages=(lang,))

    # 1. The proposal mail, in the approver's language, with the engineer's photo; approve from its link.
    mail = web.mail_to(aoi.email)
    found = _DECIDE.search(mail_text(mail))
    assert found
    _show_mail(
        browser, mail, viewport, f"visit-0-proposal-mail-{size}-{lang}", f"{web.url}/fonts/NotoSansJP-Regular.ttf"
    )
    page = new_page(browser, viewport, lang)
    page.add_init_script(_SSE_COUNTER)  # type: ignore[attr-defined]
    page.goto(found.group(0))  # type: ignore[attr-defined]
    engineer = "佐藤 健二" if lang == "ja" else "Kenji Sato"
    assert engineer in page.inner_text("main")  # type: ignore[attr-defined]
    assert page.locator(".engineer img").evaluate("img => img.naturalWidth") > 0  # type: ignore[attr-defined]
    shot(page, f"visit-1-proposal-{size}-{lang}")
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator("#approve").click()  # type: ignore[attr-defined]
    assert page.locator("[role=status]").count() == 1  # type: ignore[attr-defined]
    shot(page, f"visit-2-approved-{size}-{lang}")
    assert web.store.assignment(visit.id, SYSTEM).visit.approved_by == name

    # 2. Signed in, the live page: it opens its stream and shows each event as the phone sends it.
    sign_in_client(page, web, aoi.email, f"/portal/visits/{visit.id}")
    page.wait_for_function("() => window.__sse >= 1")  # type: ignore[attr-defined]  # the stream's first render
    delays = {
        "depart": _visible_after(page, visit, "depart", "出発" if lang == "ja" else "departed"),
        "arrive": _visible_after(
            page, visit, "arrive", "現地到着を確認" if lang == "ja" else "Arrival verified", position=AT_SITE
        ),
    }
    visit.send("start_work", assisted_by="Ken Ito")
    delays["log 1"] = _visible_after(page, visit, "log", "Old switch removed", text="Old switch removed")
    photo = base64.b64encode(photo_png((30, 140, 60), 160)).decode()
    racked = "New switch racked"
    delays["log 2"] = _visible_after(page, visit, "log", racked, text=racked, photo_base64=photo)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('#work-log img')].some(i => i.complete && i.naturalWidth > 0)"
    )
    shot(page, f"visit-3-working-{size}-{lang}")
    print(f"event sent -> visible on the page ({size}, {lang}):", {k: f"{v * 1000:.0f} ms" for k, v in delays.items()})
    assert max(delays.values()) < MAX_DELAY_S, delays

    # 3. Continuation: the engineer asks; the ordering party accepts on the page.
    ask = _visible_after(page, visit, "ask_continuation", "45", extra_minutes=45)
    assert ask < MAX_DELAY_S
    assert page.locator("#continue-accept").is_visible()  # type: ignore[attr-defined]
    shot(page, f"visit-4-continuation-{size}-{lang}")
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator("#continue-accept").click()  # type: ignore[attr-defined]
    v = web.store.assignment(visit.id, SYSTEM).visit
    assert v.continuation.value == "accepted" and v.continuations[0].decided_by == name
    assert page.locator("#continuation .decided").count() == 1  # type: ignore[attr-defined]

    # 4. Sign-off on the engineer's phone; the report appears on the page by itself, downloads and verifies.
    visit.send("sign_off", signer_name="Ken Ito", approve_leaving=True, confirmed_steps=[0], strokes=SIGNATURE)
    page.wait_for_selector("#report-download", timeout=20_000)  # type: ignore[attr-defined]
    shot(page, f"visit-5-signed-off-{size}-{lang}")
    shown = page.inner_text("#report-sha256").strip()  # type: ignore[attr-defined]
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.locator("#report-download").click()  # type: ignore[attr-defined]
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == shown
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"visit-journey-{lang}.pdf").write_bytes(pdf)  # looked at as PNG (pdftoppm)
    page.locator("#report-verify").click()  # type: ignore[attr-defined]
    page.wait_for_selector("#result[data-outcome]")  # type: ignore[attr-defined]
    assert page.locator("#result").get_attribute("data-outcome") == "match"  # type: ignore[attr-defined]
    assert visit.id in page.inner_text("#result")  # type: ignore[attr-defined]
    shot(page, f"visit-6-verified-{size}-{lang}")
    page.context.close()  # type: ignore[attr-defined]
