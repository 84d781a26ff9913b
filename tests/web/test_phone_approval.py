""" "Record an approval given by phone" is one action: one route and one form, offered on the assignment's page
and on its candidates page; from either, the same event and the same audit entry, and a mistake is shown on the
page it came from with what was typed."""

from __future__ import annotations

import re

import pytest

from dispatch import audit
from dispatch.web import ROUTERS
from tests.web.conftest import WebService, http_sign_in_dispatcher, session_csrf
from tests.web.desk_scene import DeskScene, make_scene

_FORM = re.compile(r'<form method="post" action="([^"]+)" class="form phone-approval-form[^"]*">')


@pytest.fixture
def scene(web: WebService) -> DeskScene:
    return make_scene(web)


def _proposed(scene: DeskScene) -> str:
    job = scene.portal_request()
    with scene.dispatch() as d:
        d.propose(job.id, [scene.engineer_ids[0]])
    return job.id


def test_one_route_records_an_approval_by_phone() -> None:
    paths = [
        (method, route.path)
        for module in ROUTERS
        for route in module.router.routes
        for method in getattr(route, "methods", ())
        if "approv" in route.path and route.path.startswith("/desk/")
    ]
    assert paths == [("POST", "/desk/assignments/{assignment_id}/approve-by-phone")]


@pytest.mark.parametrize(("page", "back", "returns"), [
    ("", "visit", "?done=1"),
    ("/candidates", "candidates", "/candidates?done=approved"),
])  # fmt: skip
def test_both_pages_offer_the_same_form_and_write_the_same_audit_entry(
    scene: DeskScene, page: str, back: str, returns: str
) -> None:
    job_id = _proposed(scene)
    desk = http_sign_in_dispatcher(scene.web, scene.desk_email)
    path = f"/desk/assignments/{job_id}{page}"
    html = desk.get(path).text
    assert _FORM.findall(html) == [f"/desk/assignments/{job_id}/approve-by-phone"]
    assert f'name="back" value="{back}"' in html
    token = session_csrf(desk, path)

    # A mistake comes back on the same page, with what was typed.
    wrong = desk.post(
        f"/desk/assignments/{job_id}/approve-by-phone",
        data={"csrf_token": token, "back": back, "approved_by": "x" * 201},
    )
    assert wrong.status_code == 422 and "approved_by: enter who approved" in wrong.text
    assert _FORM.findall(wrong.text) and 'value="' + "x" * 200 + '"' in wrong.text
    if back == "candidates":
        assert 'class="grid candidates"' in wrong.text  # the candidates page, not the visit page

    done = desk.post(
        f"/desk/assignments/{job_id}/approve-by-phone",
        data={"csrf_token": token, "back": back, "approved_by": " Daniel   Brooks "},
    )
    assert done.status_code == 303 and done.headers["location"] == f"/desk/assignments/{job_id}{returns}"
    [entry] = audit.trail(scene.web.store, job_id)
    assert (entry.action, entry.actor.startswith("dispatcher:")) == ("approve_by_phone", True)
    assert entry.detail == {"by": "Hana Desk", "approved_by": "Daniel Brooks", "event": entry.detail["event"]}
    with scene.dispatch() as d:
        approved = d.get_assignment(job_id)
    assert approved.status == "approved" and approved.visit.approved_by == "Daniel Brooks"
