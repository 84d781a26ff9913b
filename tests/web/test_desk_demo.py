"""Every desk page renders on the demo's data (the states the demo seeds: proposed, approved, on site...), in
both languages — a template that breaks on a real visit shows here, not in front of a dispatcher."""

from __future__ import annotations

import pytest

from dispatch import demo
from dispatch.db import AssignmentRow
from tests.web.conftest import WebService, http_sign_in_dispatcher


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_desk_page_renders_on_the_demo_data(web: WebService, lang: str):
    demo.seed(web.store)
    with web.store.sessions() as s:
        ids = [r.id for r in s.query(AssignmentRow.id)]
    assert ids
    c = http_sign_in_dispatcher(web, demo.DESK_DEMO_EMAIL, demo.DESK_DEMO_PASSWORD)
    day = web.clock().date().isoformat()
    pages = ["/desk", "/desk/board", "/desk/board?view=list", f"/desk/board?date={day}&days=7", "/desk/clients"]
    pages += ["/desk/dispatchers", *(f"/desk/assignments/{i}" for i in ids)]
    with web.api() as api:
        pages += [f"/desk/clients/{co['id']}" for co in api.get("/v1/clients").json()]
    for path in pages:
        r = c.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert r.status_code == 200, (path, r.text[-500:])
