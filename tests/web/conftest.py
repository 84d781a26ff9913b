"""The web pages' tests: the real service on 127.0.0.1 with a real SMTP server (aiosmtpd) for the mailed links,
and Debian's chromium driven by Playwright for what a person sees.

    def test_x(web, browser):
        acme = web.company("Acme")
        aoi = web.person(acme, "aoi@acme.example", approver=True)
        page = new_page(browser, PHONE, "ja")
        sign_in_client(page, web, aoi.email)

`web.clock` is the service's own clock (starts at the suite's instant, runs on; `jump_to` moves it), so link
and session expiry are tested without waiting and without the wall clock.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller

from api_client.clients import Company, CompanyIn, Person, PersonIn
from api_client.clock import RunningClock
from dispatch import accounts
from tests.clock import clock as suite_clock
from tests.conftest import DISPATCHER_TOKEN, LiveService, free_port, start_service
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE
from tests.inbox import Inbox

__all__ = ["DESKTOP", "PHONE", "SHOTS", "WebService", "new_page", "sign_in_client", "sign_in_dispatcher"]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots" / "web"
DESK_PASSWORD = "correct horse battery staple"
_LINK = re.compile(r"https?://\S+/portal/link/[A-Za-z0-9_\-]+(?:\?\S*)?")


@dataclass
class WebService:
    service: LiveService
    inbox: Inbox
    clock: RunningClock

    @property
    def url(self) -> str:
        return self.service.url

    @property
    def store(self):
        return self.service.store

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}, timeout=30)

    def company(self, name: str, name_ja: str = "", **fields: object) -> Company:
        with self.api() as c:
            r = c.post("/v1/clients", json={"name_en": name, "name_ja": name_ja, **fields})
            r.raise_for_status()
            return Company.model_validate(r.json())

    def person(
        self, company: Company, email: str, name: str = "", *, approver: bool = False, language: str = "en"
    ) -> Person:
        body = PersonIn(
            company_id=company.id,
            name=name or email.split("@")[0].title(),
            email=email,
            may_approve=approver,
            language=language,  # type: ignore[arg-type]
        )
        with self.api() as c:
            r = c.post(f"/v1/clients/{company.id}/people", json=body.model_dump(mode="json"))
            r.raise_for_status()
            return Person.model_validate(r.json())

    def dispatcher(self, email: str = "desk@ecorpone.example", name: str = "Hana Desk", **kw: object) -> str:
        """A desk account (as `field-dispatch dispatcher add` makes one); password DESK_PASSWORD."""
        return accounts.add_dispatcher(self.store, name, email, DESK_PASSWORD, **kw)  # type: ignore[arg-type]

    def mail_to(self, address: str, after: int = 0, timeout: float = 15) -> Message:
        """The first mail to `address` among those received after the first `after` mails."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for m in self.inbox.messages[after:]:
                if address.lower() in str(m["To"]).lower():
                    return m
            time.sleep(0.05)
        raise AssertionError(f"no mail to {address}; got {[m['To'] for m in self.inbox.messages]}")


def mail_text(m: Message) -> str:
    for part in m.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def link_in(m: Message) -> str:
    found = _LINK.search(mail_text(m))
    assert found, mail_text(m)
    return found.group(0)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[WebService]:
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    service_clock = RunningClock(suite_clock())
    service = start_service(
        tmp_path / "dispatch.sqlite3", clock=service_clock, smtp_host="127.0.0.1", smtp_port=smtp.port
    )
    service.settings.public_base_url = service.url  # links in the mails point at this test's service
    yield WebService(service, inbox, service_clock)
    service.stop()
    smtp.stop()


@pytest.fixture(scope="package")  # closed after its directory: its running loop must not outlive it
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/setup.sh --browser (installs Debian's chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_page(browser: object, viewport: dict[str, int], lang: str = "en") -> object:
    """A fresh browser profile (no cookies) at this size, preferring `lang` (Accept-Language)."""
    context = browser.new_context(viewport=viewport, locale="ja-JP" if lang == "ja" else "en-US")  # type: ignore[attr-defined]
    return context.new_page()


def shot(page: object, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.evaluate("document.fonts.ready")  # type: ignore[attr-defined]  # the Japanese font, once loaded
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def sign_in_client(page: object, web: WebService, email: str, next_path: str = "") -> None:
    """As a person does it: ask for a link, open it from the mail, press Sign in."""
    before = len(web.inbox.messages)
    page.goto(f"{web.url}/portal/sign-in" + (f"?next={next_path}" if next_path else ""))  # type: ignore[attr-defined]
    page.get_by_role("textbox").first.fill(email)  # type: ignore[attr-defined]
    page.locator("form.form button[type=submit]").click()  # type: ignore[attr-defined]
    page.wait_for_selector("[role=status]")  # type: ignore[attr-defined]
    page.goto(link_in(web.mail_to(email, after=before)))  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator("main form button[type=submit]").click()  # type: ignore[attr-defined]


def sign_in_dispatcher(page: object, web: WebService, email: str, password: str = DESK_PASSWORD) -> None:
    page.goto(f"{web.url}/desk/sign-in")  # type: ignore[attr-defined]
    page.locator("#email").fill(email)  # type: ignore[attr-defined]
    page.locator("#password").fill(password)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator("main form button[type=submit]").click()  # type: ignore[attr-defined]


# -- without a browser: the same steps over HTTP, for the rule tests ----------------------------------------
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no csrf_token in the page"
    return found.group(1)


def http_client(web: WebService) -> httpx.Client:
    return httpx.Client(base_url=web.url, timeout=30, follow_redirects=False)


def http_sign_in_client(web: WebService, email: str) -> httpx.Client:
    c = http_client(web)
    before = len(web.inbox.messages)
    token = csrf_of(c.get("/portal/sign-in").text)
    assert c.post("/portal/sign-in", data={"email": email, "csrf_token": token}).status_code == 200
    link = link_in(web.mail_to(email, after=before)).removeprefix(web.url)
    page = c.get(link)
    assert page.status_code == 200, page.text
    answer = c.post(link.split("?")[0], data={"csrf_token": csrf_of(page.text), "next": "/portal"})
    assert answer.status_code == 303, answer.text
    return c


def http_sign_in_dispatcher(web: WebService, email: str, password: str = DESK_PASSWORD) -> httpx.Client:
    c = http_client(web)
    token = csrf_of(c.get("/desk/sign-in").text)
    answer = c.post("/desk/sign-in", data={"email": email, "password": password, "csrf_token": token})
    assert answer.status_code == 303, answer.text
    return c


def session_csrf(c: httpx.Client, path: str) -> str:
    """The signed-in session's CSRF token, read from one of its pages."""
    return csrf_of(c.get(path).text)


@pytest.fixture
def acme(web: WebService) -> Company:
    return web.company("Acme Systems", "アクメシステムズ", language="ja", notify_emails=["ops@acme.example"])


def add_company(web: WebService, data: CompanyIn) -> Company:
    return accounts.add_company(web.store, data)
