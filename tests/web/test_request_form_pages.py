"""What a client sees requesting a visit, in Debian's chromium: signed in by the mailed link, a two-location
request typed in Japanese with three mistakes, each shown next to its field, fixed, an instructions PDF
uploaded, sent — on a phone and a desktop, in Japanese and English. Screenshots under artifacts/screenshots/web/."""

from __future__ import annotations

import pytest

from api_client.texts import text
from tests.web.conftest import DESKTOP, PHONE, WebService, new_page, shot, sign_in_client, sign_in_dispatcher
from tests.web.test_request_form import MAPS

pytestmark = pytest.mark.e2e

INSTRUCTIONS_PDF = b"%PDF-1.4\n% work instructions\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SIZES = {"phone": PHONE, "desktop": DESKTOP}


def fill(page, name: str, value: str) -> None:
    page.locator(f'[name="{name}"]').fill(value)


@pytest.mark.parametrize(("size", "lang"), [("phone", "ja"), ("desktop", "ja"), ("phone", "en"), ("desktop", "en")])
def test_a_two_location_request_with_three_mistakes_is_fixed_and_sent(
    web: WebService, browser, acme, tmp_path, size: str, lang: str
) -> None:
    web.person(acme, "naoki@acme.example", "山本 直樹", language=lang)
    page = new_page(browser, SIZES[size], lang)
    sign_in_client(page, web, "naoki@acme.example")
    page.get_by_role("link", name=text("request.heading", lang)).click()
    page.wait_for_url("**/portal/requests/new")
    name = f"request-{size}-{lang}"
    shot(page, f"{name}-1-blank")

    fill(page, "title", "コアスイッチ交換（2拠点）")
    fill(page, "visit_date", "2026-12-10")
    fill(page, "visit_time", "10:00")
    fill(page, "reserved_hours", "3")
    fill(page, "locations.0.name", "品川データセンター Bホール")
    fill(page, "locations.0.address", "東京都品川区東品川 2-2-20")
    fill(page, "locations.0.maps_url", "https://maps.example.com/品川")  # mistake 1: not Google Maps
    fill(page, "locations.0.floor", "B1")
    fill(page, "locations.0.access_notes", "通用口で警備員に入館証を提示してください。")
    fill(page, "locations.0.local_contacts.0.name", "森 健一")
    fill(page, "locations.0.local_contacts.0.phone", "+81 3-1234-5678")
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
    shot(page, f"{name}-2-mistakes")

    fill(page, "locations.0.maps_url", MAPS)
    fill(page, "locations.1.local_contacts.0.phone", "+81 90-1234-5678")
    page.locator(f'[name="languages.{lang}"]').check()
    pdf = tmp_path / "作業手順書.pdf"
    pdf.write_bytes(INSTRUCTIONS_PDF)
    page.locator('[name="document_kind"]').select_option("instructions")
    page.locator('input[type="file"][name="documents"]').set_input_files(str(pdf))
    page.get_by_role("button", name=text("request.documents.upload", lang)).click()
    page.wait_for_selector("ul.documents")
    assert page.get_by_role("link", name="作業手順書.pdf").is_visible()
    assert page.locator(".pin").first.is_visible()  # the parsed pin, with its "open" link
    page.locator("#documents").scroll_into_view_if_needed()
    shot(page, f"{name}-3-fixed")
    page.get_by_role("button", name=text("request.send", lang)).click()

    page.wait_for_url("**/sent")
    assert page.get_by_role("heading", name=text("request.sent.heading", lang)).is_visible()
    assert page.get_by_text("作業手順書.pdf").is_visible()
    shot(page, f"{name}-4-sent")
    assignment_id = page.url.split("/")[-2]
    page.get_by_role("link", name=text("request.sent.visits", lang)).click()
    assert page.get_by_text(assignment_id).is_visible()
    a = web.store.assignment(assignment_id, __import__("dispatch.principal").principal.SYSTEM)
    assert [loc.name for loc in a.request.locations] == ["品川データセンター Bホール", "大井データセンター"]
    assert [d.name for d in a.documents] == ["作業手順書.pdf"] and a.documents[0].kind.value == "instructions"
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_class_4_and_the_desk_entry_look_right(web: WebService, browser, acme, lang: str) -> None:
    web.dispatcher("hana@ecorpone.example", language=lang)
    page = new_page(browser, DESKTOP, lang)
    sign_in_dispatcher(page, web, "hana@ecorpone.example")
    page.goto(f"{web.url}/desk/requests/new?company={acme.id}")
    shot(page, f"request-desk-desktop-{lang}")
    fill(page, "caller_name", "山本 直樹")
    fill(page, "title", "サーバー停止")
    fill(page, "visit_date", "2026-12-03")
    fill(page, "visit_time", "13:00")
    page.locator('[name="urgency"]').select_option("4")
    fill(page, "locations.0.name", "品川DC")
    fill(page, "locations.0.address", "東京都品川区")
    fill(page, "locations.0.maps_url", MAPS)
    fill(page, "locations.0.local_contacts.0.name", "森 健一")
    fill(page, "locations.0.local_contacts.0.phone", "+81 3-1234-5678")
    fill(page, "ordering_party.engineer.name", "山本 直樹")
    fill(page, "ordering_party.engineer.phone", "+81 90-1111-2222")
    fill(page, "work.summary", "サーバーが応答しません。")
    page.locator('[name="languages.ja"]').check()
    page.locator('[name="devices_on_site_confirmed"]').check()
    page.get_by_role("button", name=text("request.send", lang)).click()
    page.wait_for_url("**/confirm")
    assert page.get_by_text(text("request.class4.desk", lang)).is_visible()  # the desk is eCorpOne: no "call us"
    shot(page, f"request-class4-confirm-desktop-{lang}")
    page.get_by_role("button", name=text("request.confirm.send", lang)).click()
    page.wait_for_url("**/sent")
    assert page.get_by_text(text("request.desk.by_phone", lang, name="山本 直樹")).is_visible()
    page.set_viewport_size(PHONE)
    shot(page, f"request-class4-sent-phone-{lang}")
    page.context.close()
