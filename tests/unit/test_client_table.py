"""The typed client's endpoint table: one row per endpoint, both twins generated from it, requests built from it."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import ValidationError

from api_client._base import parse_response
from api_client.client import ENDPOINTS, AsyncDispatchClient, DispatchClient, Endpoint
from api_client.events import ArriveEvent
from api_client.request import ServiceRequest
from api_client.wire import Assignment, EngineerIn
from tests.factories import request_data

BY_NAME = {e.name: e for e in ENDPOINTS}
A1 = "/v1/assignments/A1"
ANN = {
    "name": "Ann",
    "name_ja": "",
    "company": "eCorpOne",
    "skill_level": "senior",
    "languages": ["en"],
}  # unset optionals left out


def test_each_endpoint_is_declared_once():
    assert len(BY_NAME) == len(ENDPOINTS)
    # list_assignments and assignments_page share a path: the page row declares the paging query and its cursor
    assert len({(e.method, e.path, e.query) for e in ENDPOINTS}) == len(ENDPOINTS)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_both_twins_have_every_endpoint_with_the_same_signature(endpoint: Endpoint):
    sync_method = getattr(DispatchClient, endpoint.name)
    async_method = getattr(AsyncDispatchClient, endpoint.name)
    assert inspect.iscoroutinefunction(async_method) and not inspect.iscoroutinefunction(sync_method)
    assert inspect.signature(sync_method) == inspect.signature(async_method)
    assert endpoint.path in (sync_method.__doc__ or "")


def test_names_say_what_they_close():
    assert "close_assignment" in BY_NAME and "close" not in BY_NAME
    assert not hasattr(DispatchClient, "close_connection")
    assert DispatchClient.close.__doc__ and AsyncDispatchClient.aclose.__doc__


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "method", "path", "body", "retry_safe"),
    [
        ("me", (), {}, "GET", "/v1/me", None, True),
        ("get_assignment", ("ASG 1/x",), {}, "GET", "/v1/assignments/ASG%201%2Fx", None, True),  # escaped
        ("approve", ("A1", "Sarah"), {}, "POST", f"{A1}/approve", {"approved_by": "Sarah"}, False),
        ("approve", ("A1",), {"approved_by": "Sarah"}, "POST", f"{A1}/approve", {"approved_by": "Sarah"}, False),
        ("propose", ("A1", ["E1", "E2"]), {}, "POST", f"{A1}/propose", {"engineer_ids": ["E1", "E2"]}, False),
        ("cancel", ("A1",), {"reason": "No"}, "POST", "/v1/assignments/A1/cancel", {"reason": "No"}, False),
        ("close_assignment", ("A1",), {}, "POST", "/v1/assignments/A1/close", None, False),
        ("create_assignment", ({"title": "as is"},), {}, "POST", "/v1/assignments", {"title": "as is"}, False),
        ("add_engineer", (EngineerIn(name="Ann"),), {}, "POST", "/v1/engineers", ANN, False),
        ("rotate_token", ("E1",), {}, "POST", "/v1/engineers/E1/token", None, False),
        ("engineer_photo", ("E1",), {}, "GET", "/v1/engineers/E1/photo", None, True),
        # Safe to retry although a POST: the server stores each event once by its id.
        ("send_events", ([{"id": "x"}],), {}, "POST", "/v1/events/batch", {"events": [{"id": "x"}]}, True),
    ],
)  # fmt: skip
def test_a_call_is_built_from_its_row(name, args, kwargs, method, path, body, retry_safe):
    call = BY_NAME[name].call(*args, **kwargs)
    assert (call.method, call.path, call.json, call.idempotent) == (method, path, body, retry_safe)


def test_events_and_models_in_a_body_travel_as_json():
    event = ArriveEvent(assignment_id="A1", device_time=datetime(2026, 1, 5, 9, tzinfo=UTC))
    call = BY_NAME["send_events"].call([event])
    (sent,) = call.json["events"]
    assert sent["kind"] == "arrive" and sent["id"] == str(event.id) and "position" not in sent  # unset: left out
    json.dumps(call.json)


def test_query_parameters_are_sent_only_when_given():
    assert BY_NAME["badge"].call("A1").params == {}
    assert BY_NAME["badge"].call("A1", engineer_id="E1").params == {"engineer_id": "E1"}
    request = BY_NAME["badge"].call("A1", engineer_id="E1").request(httpx.Client(base_url="http://x"))
    assert str(request.url) == "http://x/v1/assignments/A1/badge?engineer_id=E1"


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "message"),
    [
        ("get_assignment", (), {}, "needs assignment_id"),
        ("me", ("extra",), {}, "too many"),
        ("close_assignment", ("A1",), {"reason": "x"}, "too many"),
        ("approve", ("A1",), {"approved_by": "x", "aproved_by": "typo"}, "unknown field"),
        ("create_assignment", (), {}, "one body"),
        ("create_assignment", ({"title": "x"},), {"title": "y"}, "one body"),
    ],
)
def test_wrong_arguments_are_refused_before_anything_is_sent(name, args, kwargs, message):
    with pytest.raises(TypeError, match=message):
        BY_NAME[name].call(*args, **kwargs)


def test_responses_ignore_unknown_fields_at_every_depth_and_requests_stay_strict():
    from api_client.rules.lifecycle import Status, VisitState

    now = datetime.now(UTC)
    request = ServiceRequest.model_validate(request_data())
    a = Assignment(
        id="A1",
        request=request,
        status=Status.approved,
        expedited=False,
        requested_at=now,
        created_at=now,
        updated_at=now,
        visit=VisitState(status=Status.approved),
    )
    data = a.model_dump(mode="json")
    data["from_a_newer_server"] = 1
    data["request"]["new_request_field"] = "x"  # ServiceRequest is a strict request model
    data["request"]["locations"][0]["new_location_field"] = "x"
    data["visit"]["new_visit_field"] = [1]
    parsed = parse_response(Assignment, json.dumps(data))
    assert parsed == a
    assert parse_response(list[Assignment], json.dumps([data])) == [a]
    with pytest.raises(ValidationError, match="new_request_field"):
        ServiceRequest.model_validate(data["request"])


def test_a_conditional_page_sends_if_none_match_and_reads_a_304_as_not_modified():
    endpoint = BY_NAME["assignment_summaries"]
    call = endpoint.call(since="mark", if_none_match='W/"abc"')
    assert call.params == {"since": "mark"} and call.headers == {"If-None-Match": 'W/"abc"'} and call.conditional
    page = call.parse(httpx.Response(304, headers={"ETag": 'W/"abc"', "X-Since": "later"}))
    assert page.not_modified and page.items == [] and (page.etag, page.since) == ('W/"abc"', "later")
    assert not endpoint.call().conditional and endpoint.call().headers == {}  # a 304 without asking is an error
