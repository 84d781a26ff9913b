"""What a client sees requesting a visit, in Debian's chromium: signed in by the mailed link, a two-location
request typed in Japanese with three mistakes, each shown next to its field, fixed, an instructions PDF
uploaded, sent — on a phone and a desktop, in Japanese and English. Screenshots under artifacts/screenshots/web/."""

from __future__ import annotations

import pytest

from api_client.texts import text
from tests.web.conftest import DESKTOP, PHONE, WebService, new_page, shot, sign_in_client, sign_in_dispatcher
from tests.web.journey import (
    fill,
    fill_two_locations_with_three_mistakes,
    fix_them_and_upload_instructions,
    see_three_mistakes_next_to_their_fields,
    send_request,
)
from tests.web.test_request_form import MAPS

pytestmark = pytest.mark.e2e

SIZES = {"phone": PHONE, "desktop": DESKTOP}


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

    numbered = {"mistakes": "2-mistakes", "fixed": "3-fixed", "sent": "4-sent"}

    def step(label: str) -> str:
        return f"{name}-{numbered[label]}"

    fill_two_locations_with_three_mistakes(page, lang)
    see_three_mistakes_next_to_their_fields(page, lang, step)
    fix_them_and_upload_instructions(page, lang, tmp_path, step)
    assignment_id = send_request(page, web, lang, step)
    page.get_by_role("link", name=text("request.sent.visits", lang)).click()
    assert page.get_by_text(assignment_id).is_visible()
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
