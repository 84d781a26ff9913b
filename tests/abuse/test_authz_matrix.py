"""Who may call what, over every route of the service: no token, a bad token, a rotated (old) token, engineer A
on engineer B's resources, and the dispatcher. A route added without a row here fails the coverage test."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi.routing import APIRoute

from api_client import DispatchClient
from api_client.wire import EngineerIn
from tests.abuse.conftest import Crew
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN

PUBLIC = {("GET", "/v1/health"), ("GET", "/verify/{token}"), ("GET", "/verify/{token}/photo")}
# The pairing code is its own credential (tests/web/test_desk_engineers.py: wrong, used, expired, rate limit).
PUBLIC |= {("POST", "/v1/pairing")}
# method, path template, body; {A} = engineer A's assignment, {B} = engineer B's, {EA}/{EB} = the engineers.
PROTECTED: list[tuple[str, str, object]] = [
    ("GET", "/v1/me", None),
    ("GET", "/v1/rate-card", None),
    ("GET", "/v1/engineers", None),
    ("POST", "/v1/engineers", {"name": "Eve", "phone": "+81 90-0000-0000"}),
    ("POST", "/v1/engineers/{EB}/token", None),
    ("GET", "/v1/engineers/{EB}/photo", None),
    ("GET", "/v1/assignments", None),
    ("GET", "/v1/assignments/summaries", None),
    ("POST", "/v1/assignments", {"title": "x"}),
    ("GET", "/v1/assignments/{B}", None),
    ("GET", "/v1/assignments/{B}/bill", None),
    ("GET", "/v1/assignments/{B}/events", None),
    ("POST", "/v1/assignments/{B}/propose", {"engineer_ids": ["{EA}"]}),
    ("POST", "/v1/assignments/{B}/approve", {"approved_by": "Eve"}),
    ("POST", "/v1/assignments/{B}/cancel", {"reason": "because"}),
    ("POST", "/v1/assignments/{B}/close", None),
    ("POST", "/v1/assignments/{B}/overtime-review", {"accept": True}),
    ("GET", "/v1/assignments/{B}/badge", None),
    ("GET", "/v1/assignments/{B}/report", None),
    ("GET", "/v1/assignments/{B}/report.pdf", None),
    ("GET", "/v1/assignments/{B}/notifications", None),
    ("GET", "/v1/assignments/{B}/signature.png", None),
    ("GET", "/v1/assignments/{B}/documents/{DB}", None),
    ("POST", "/v1/events/batch", {"events": [{"kind": "depart", "assignment_id": "{B}"}]}),
    ("GET", "/v1/assignments/{B}/travel/{TB}/attachment", None),
]
DISPATCHER_ONLY = {
    "/v1/engineers",
    "/v1/engineers/{EB}/token",
    "/v1/assignments/{B}/propose",
    "/v1/assignments/{B}/approve",
    "/v1/assignments/{B}/cancel",
    "/v1/assignments/{B}/close",
    "/v1/assignments/{B}/overtime-review",
}


def _template(path: str) -> str:
    for concrete, name in (
        ("{EB}", "{engineer_id}"),
        ("{B}", "{assignment_id}"),
        ("{DB}", "{document_id}"),
        ("{TB}", "{booking_id}"),
    ):
        path = path.replace(concrete, name)
    return path


def test_every_route_is_in_the_matrix(crew: Crew):
    app = crew.service.server.config.app
    routes = {
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
        if route.include_in_schema or route.path.startswith("/verify")
    }
    covered = PUBLIC | {(m, _template(p)) for m, p, _ in PROTECTED}
    assert routes - covered == set(), "add the new route to the authorisation matrix"


def _fill(value: object, crew: Crew) -> object:
    if isinstance(value, str):
        return value.format(
            A=crew.a_job, B=crew.b_job, EA=crew.a_id, EB=crew.b_id, DB=crew.b_document, TB=crew.b_booking
        )
    if isinstance(value, list):
        return [_fill(v, crew) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, crew) for k, v in value.items()}
    return value


def _call(crew: Crew, method: str, path: str, body: object, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    body = _fill(body, crew)
    if isinstance(body, dict) and path == "/v1/events/batch":
        body["events"][0] |= {"id": str(uuid.uuid4()), "device_time": clock().isoformat()}
    return httpx.request(method, crew.service.url + str(_fill(path, crew)), json=body, headers=headers, timeout=10)


@pytest.fixture
def rotated_token(crew: Crew) -> str:
    with crew.dispatcher() as d:
        c = d.add_engineer(EngineerIn(name="Cy Cho", phone="+81 90-1234-0003"))
        d.rotate_token(c.engineer.id)
    return c.token


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_authorisation_matrix(crew: Crew, rotated_token: str, method: str, path: str, body: object):
    for token in (None, "not-a-token", "x" * 5000, rotated_token):
        answer = _call(crew, method, path, body, token)
        assert answer.status_code == 401, (token and token[:12], answer.status_code, answer.text)
        assert answer.headers["www-authenticate"] == "Bearer"
    as_a = _call(crew, method, path, body, crew.a_token)
    if path in DISPATCHER_ONLY:
        assert as_a.status_code == 403, as_a.text
    elif "{B}" in path or "{EB}" in path:
        if path == "/v1/events/batch":
            result = as_a.json()["results"][0]
            assert as_a.status_code == 200 and result["outcome"] == "rejected" and result["reason_code"] == "not_found"
        else:
            assert as_a.status_code == 404, as_a.text  # B's visit is not A's to know of
            assert crew.b_job not in as_a.text or "Not found" in as_a.text
    else:
        assert as_a.status_code < 400 or as_a.status_code == 403, as_a.text
    if path in {"/v1/assignments", "/v1/assignments/summaries", "/v1/me"}:
        assert crew.b_job not in as_a.text and "Bob" not in as_a.text  # A sees only A's own
    as_dispatcher = _call(crew, method, path, body, DISPATCHER_TOKEN)
    assert as_dispatcher.status_code not in {401, 403, 500}, as_dispatcher.text


def test_engineer_a_cannot_act_on_bs_visit_through_the_client(crew: Crew):
    with DispatchClient(crew.service.url, crew.a_token, max_retries=0) as a:
        assert [x.id for x in a.list_assignments()] == [crew.a_job]
        answer = a.send_events(
            [
                {
                    "id": str(uuid.uuid4()),
                    "kind": "depart",
                    "assignment_id": crew.b_job,
                    "device_time": clock().isoformat(),
                }
            ]
        )
    assert answer.results[0].reason_code == "not_found"
    with crew.dispatcher() as d:
        assert d.get_assignment(crew.b_job).status.value == "approved"  # nothing changed
