"""The ordering party's journey in Debian's chromium (phone 390x844 in Japanese, desktop 1280x800 in English) against
the real service with a real SMTP server on 127.0.0.1: the dispatcher proposes (API), the approver approves from
the mailed link, the live page shows the arrival and two log entries as the engineer's phone sends them (the delay
from sending to visible is measured and must stay under a second), a continuation is asked and accepted on the
page, the client signs off, the report downloads and its hash verifies at /verify-report. Screenshots:
artifacts/screenshots/web/visit-*.png."""

from __future__ import annotations

import pytest

from api_client.clients import Company
from dispatch.principal import SYSTEM
from tests.web.conftest import DESKTOP, PHONE, WebService, new_page, sign_in_client
from tests.web.journey import (
    SSE_COUNTER,
    accept_a_continuation,
    approve_from_the_mail,
    see_arrival_and_two_log_entries,
    sign_off_and_verify_the_report,
)
from tests.web.visits import new_visit

AT_SITE = {"latitude": 35.681236, "longitude": 139.767125, "accuracy_m": 12}
NUMBERED = {
    "proposal-mail": "0-proposal-mail",
    "proposal": "1-proposal",
    "approved": "2-approved",
    "working": "3-working",
    "continuation": "4-continuation",
    "signed-off": "5-signed-off",
    "verified": "6-verified",
}


@pytest.mark.parametrize(("viewport", "lang"), [(PHONE, "ja"), (DESKTOP, "en")], ids=["phone-ja", "desktop-en"])
def test_the_ordering_party_follows_a_visit_from_proposal_to_verified_report(
    web: WebService, acme: Company, browser: object, viewport: dict[str, int], lang: str
) -> None:
    size = "phone" if viewport is PHONE else "desktop"

    def step(label: str) -> str:
        return f"visit-{NUMBERED[label]}-{size}-{lang}"

    name = "青井 葵" if lang == "ja" else "Aoi Aoki"
    aoi = web.person(acme, "aoi@acme.example", name, approver=True, language=lang)
    visit = new_visit(web, acme, languages=(lang,))

    # 1. The proposal mail, in the approver's language, with the engineer's photo; approve from its link.
    page = new_page(browser, viewport, lang)
    page.add_init_script(SSE_COUNTER)  # type: ignore[attr-defined]
    approve_from_the_mail(page, browser, web, aoi.email, viewport, lang, step)
    assert web.store.assignment(visit.id, SYSTEM).visit.approved_by == name

    # 2. Signed in, the live page: it opens its stream and shows each event as the phone sends it.
    sign_in_client(page, web, aoi.email, f"/portal/visits/{visit.id}")
    see_arrival_and_two_log_entries(page, visit, lang, AT_SITE, step)

    # 3. Continuation: the engineer asks; the ordering party accepts on the page.
    accept_a_continuation(page, web, visit, name, step)

    # 4. Sign-off on the engineer's phone; the report appears on the page by itself, downloads and verifies.
    sign_off_and_verify_the_report(page, visit, step, f"visit-journey-{lang}")
    page.context.close()  # type: ignore[attr-defined]
