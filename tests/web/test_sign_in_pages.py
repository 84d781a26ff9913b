"""What a person sees signing in: the portal on a phone and the desk on a desktop, in English and Japanese."""

from __future__ import annotations

import pytest

from tests.web.conftest import DESKTOP, PHONE, WebService, new_page, shot, sign_in_client, sign_in_dispatcher

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_client_signs_in_from_the_mailed_link_on_a_phone(web: WebService, browser, acme, lang: str) -> None:
    web.person(acme, "aoi@acme.example", "Aoi Aoyama", language=lang)
    page = new_page(browser, PHONE, lang)
    page.goto(f"{web.url}/portal/sign-in")
    heading = {"en": "Sign in to eCorpOne Field", "ja": "eCorpOne Field にサインイン"}[lang]
    assert page.get_by_role("heading", name=heading).is_visible()
    shot(page, f"sign-in-client-phone-{lang}")
    sign_in_client(page, web, "aoi@acme.example")
    assert page.url.endswith("/portal")
    assert page.get_by_text("Aoi Aoyama").is_visible()
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_dispatcher_signs_in_on_a_desktop(web: WebService, browser, lang: str) -> None:
    web.dispatcher("hana@ecorpone.example", language=lang)
    page = new_page(browser, DESKTOP, lang)
    page.goto(f"{web.url}/desk/sign-in")
    shot(page, f"sign-in-desk-desktop-{lang}")
    page.locator("#email").fill("hana@ecorpone.example")
    page.locator("#password").fill("wrong password here")
    page.locator("main form button[type=submit]").click()
    assert page.get_by_role("alert").is_visible()
    shot(page, f"sign-in-desk-wrong-{lang}")
    sign_in_dispatcher(page, web, "hana@ecorpone.example")
    assert page.url.endswith("/desk")
    page.context.close()
