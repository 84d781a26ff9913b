"""Nobody but a signed-in dispatcher opens a desk page or calls a desk action: not an engineer with a valid
bearer token, not a client person's session, not a browser signed in nowhere. Every `/desk` route of the app
is enumerated (a new page is covered by itself); a refused action changes nothing."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.routing import APIRoute

from dispatch import accounts, audit
from dispatch.web import ROUTERS
from tests.web.conftest import WebService, http_client, http_sign_in_client, http_sign_in_dispatcher, session_csrf
from tests.web.desk_scene import DeskScene, make_scene

OPEN_TO_ALL = {"/desk/sign-in", "/desk/sign-out"}


@pytest.fixture
def scene(web: WebService) -> DeskScene:
    return make_scene(web)


def _desk_routes(web: WebService) -> list[tuple[str, str]]:
    """Every page route under /desk, from every router the web pages install (dispatch.web.ROUTERS)."""
    routes = []
    for module in ROUTERS:
        for route in module.router.routes:
            if isinstance(route, APIRoute) and route.path.startswith("/desk") and route.path not in OPEN_TO_ALL:
                routes += [(m, route.path) for m in sorted(route.methods) if m != "HEAD"]
    return routes


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "X-1"), path)


def _values(scene: DeskScene, job_id: str) -> dict[str, str]:
    [desk] = accounts.dispatchers(scene.web.store)
    return {
        "assignment_id": job_id,
        "company_id": scene.company.id,
        "person_id": scene.requester.id,
        "dispatcher_id": desk.id,
        "engineer_id": scene.engineer_ids[0],
    }


def _form(path: str) -> dict[str, str]:
    return {"reason": "x", "approved_by": "x", "decision": "accept", "name_en": "Evil", "name": "Eve",
            "email": "eve@evil.example", "password": "p" * 20, "active": "0", "card_json": "{}"}  # fmt: skip


def test_the_desk_has_routes_to_check(scene: DeskScene):
    paths = {p for _, p in _desk_routes(scene.web)}
    assert {"/desk", "/desk/board", "/desk/board/live", "/desk/assignments/{assignment_id}", "/desk/clients"} <= paths


def test_an_engineer_token_opens_no_desk_page_and_calls_no_desk_action(scene: DeskScene):
    job = scene.portal_request()
    values = _values(scene, job.id)
    with httpx.Client(
        base_url=scene.web.url, headers={"Authorization": f"Bearer {scene.engineer_tokens[0]}"}, timeout=10
    ) as c:
        for method, path in _desk_routes(scene.web):
            url = _fill(path, values)
            r = c.request(method, url, data=_form(path) if method == "POST" else None)
            # A bearer token is no desk session: pages and forms alike go to the desk's sign-in page.
            assert r.status_code == 303, (method, url, r.status_code)
            assert r.headers["location"].startswith("/desk/sign-in"), url
    _nothing_changed(scene, job.id)


def test_a_client_session_gets_404_on_every_desk_route_even_with_its_own_csrf_token(scene: DeskScene):
    job = scene.portal_request()
    values = _values(scene, job.id)
    client = http_sign_in_client(scene.web, scene.requester.email)
    token = session_csrf(client, "/portal")
    for method, path in _desk_routes(scene.web):
        url = _fill(path, values)
        data = {**_form(path), "csrf_token": token} if method == "POST" else None
        r = client.request(method, url, data=data)
        assert r.status_code == 404, (method, url, r.status_code)
        assert "Hana Desk" not in r.text and job.request.title not in r.text
    _nothing_changed(scene, job.id)


def test_signed_out_a_desk_page_goes_to_sign_in_and_comes_back(scene: DeskScene):
    c = http_client(scene.web)
    r = c.get("/desk/board?view=list")
    assert r.status_code == 303 and r.headers["location"] == "/desk/sign-in?next=%2Fdesk%2Fboard%3Fview%3Dlist"


def test_a_dispatcher_without_the_csrf_token_changes_nothing(scene: DeskScene):
    job = scene.portal_request()
    values = _values(scene, job.id)
    desk = http_sign_in_dispatcher(scene.web, scene.desk_email)
    for method, path in _desk_routes(scene.web):
        if method != "POST":
            continue
        url = _fill(path, values)
        assert desk.post(url, data=_form(path)).status_code == 403, url
        assert desk.post(url, data={**_form(path), "csrf_token": "forged"}).status_code == 403, url
    _nothing_changed(scene, job.id)


def _nothing_changed(scene: DeskScene, job_id: str) -> None:
    with scene.dispatch() as d:
        assert d.get_assignment(job_id).status == "requested"
        assert [c.name_en for c in d.list_companies()] == ["Acme Systems"]
    assert audit.recent(scene.web.store) == []
    assert all(d.active for d in accounts.dispatchers(scene.web.store))
    assert len(accounts.dispatchers(scene.web.store)) == 1
