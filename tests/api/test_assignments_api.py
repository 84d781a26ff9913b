"""The real dispatch service on 127.0.0.1, driven through the typed client."""

import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from api_client import DispatchClient
from api_client.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
)
from api_client.events import ArriveEvent, LogEvent
from api_client.rules.lifecycle import Status
from api_client.wire import EngineerIn
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN
from tests.factories import TOKYO_STATION, request_data


@pytest.fixture
def dispatcher(service):
    with DispatchClient(service.url, DISPATCHER_TOKEN) as c:
        yield c


@pytest.fixture
def team(dispatcher, service):
    """Two engineers, each with an approved assignment of their own."""
    out = {}
    for name in ("Alice", "Bob"):
        created = dispatcher.add_engineer(EngineerIn(name=name, phone="+81 90-1234-0000"))
        a = dispatcher.create_assignment(request_data(title=f"{name}'s job"))
        dispatcher.propose(a.id, [created.engineer.id])
        dispatcher.approve(a.id, "Pat Lee")
        out[name] = (created.engineer.id, created.token, a.id)
    return out


def now() -> datetime:
    return clock()


def test_create_and_read_back_with_defaults(dispatcher):
    a = dispatcher.create_assignment(request_data())
    assert a.status is Status.requested and a.request.reserved == 2 and a.request.grace == 30
    assert dispatcher.get_assignment(a.id).request.locations[0].latitude == TOKYO_STATION[0]
    assert a.bill.currency == "JPY"


def test_bad_request_is_422_naming_field_and_rule(dispatcher):
    data = request_data(languages=[])
    data["locations"][0]["local_contacts"] = []
    with pytest.raises(UnprocessableEntityError) as exc:
        dispatcher.create_assignment(data)
    fields = {e.field: e for e in exc.value.field_errors}
    assert "languages" in fields and fields["languages"].rule == "too_short"


def test_rule_violations_are_422_with_the_rule(dispatcher):
    data = request_data(skill_level="entry")
    data["locations"][0]["local_contacts"] = []
    with pytest.raises(UnprocessableEntityError) as exc:
        dispatcher.create_assignment(data)
    rules = {e.field: e.rule for e in exc.value.field_errors}
    assert rules == {"skill_level": "entry_needs_assistance", "locations.0.local_contacts": "local_contact_required"}


def test_expedited_when_lead_time_is_short(dispatcher):
    soon = now() + timedelta(hours=3)
    a = dispatcher.create_assignment(request_data(visit_start=soon.isoformat(), requested_at=None))
    assert a.expedited and any(line.code == "expedite" for line in a.bill.lines)


def test_no_token_unknown_token_and_engineer_doing_dispatch_work(service, team):
    with DispatchClient(service.url) as anon, pytest.raises(AuthenticationError):
        anon.list_assignments()
    with DispatchClient(service.url, "nope-nope-nope") as bad, pytest.raises(AuthenticationError):
        bad.list_assignments()
    _, token, _ = team["Alice"]
    with DispatchClient(service.url, token) as alice, pytest.raises(PermissionDeniedError):
        alice.create_assignment(request_data())


def test_engineer_sees_only_own_assignments(service, team):
    _, a_token, a_job = team["Alice"]
    _, _, b_job = team["Bob"]
    with DispatchClient(service.url, a_token) as alice:
        assert [a.id for a in alice.list_assignments()] == [a_job]
        with pytest.raises(NotFoundError):
            alice.get_assignment(b_job)
        with pytest.raises(NotFoundError):
            alice.bill(b_job)
        result = alice.send_events([ArriveEvent(assignment_id=b_job, device_time=now())]).results[0]
        assert result.outcome == "rejected" and result.reason_code == "not_found"
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        assert d.get_assignment(b_job).status is Status.approved  # Alice's post changed nothing


def test_events_are_idempotent_by_id(service, team):
    _, token, job = team["Alice"]
    arrive = ArriveEvent(assignment_id=job, device_time=now())
    with DispatchClient(service.url, token) as alice:
        first = alice.send_events([arrive]).results[0]
        again = alice.send_events([arrive]).results[0]
        assert (first.outcome, again.outcome, again.original) == ("applied", "duplicate", "applied")
        assert again.received_at == first.received_at
        changed = arrive.model_copy(update={"device_time": now() + timedelta(minutes=1)})
        conflict = alice.send_events([changed]).results[0]
        assert conflict.outcome == "rejected" and conflict.reason_code == "idempotency_conflict"
        assert len(alice.get_assignment(job).visit.arrivals) == 1


def test_one_bad_event_does_not_block_the_batch(service, team):
    _, token, job = team["Alice"]
    with DispatchClient(service.url, token) as alice:
        results = alice.send_events(
            [
                {"id": "not-a-uuid", "kind": "arrive"},
                {"id": str(uuid.uuid4()), "kind": "teleport", "assignment_id": job, "device_time": now().isoformat()},
                LogEvent(assignment_id=job, device_time=now(), text="before arrival"),
                ArriveEvent(assignment_id=job, device_time=now()),
                LogEvent(assignment_id=job, device_time=now(), text="after arrival"),
            ]
        ).results
    assert [r.outcome for r in results] == ["rejected", "rejected", "rejected", "applied", "applied"]
    assert results[0].reason.startswith("id:") and "kind" in results[1].reason
    assert results[2].reason_code == "not_on_site"


def test_refused_event_repeats_as_the_same_refusal(service, dispatcher):
    created = dispatcher.add_engineer(EngineerIn(name="Carol", email="carol@example.com"))
    a = dispatcher.create_assignment(request_data())
    dispatcher.propose(a.id, [created.engineer.id])  # proposed, not approved
    event = ArriveEvent(assignment_id=a.id, device_time=now())
    with DispatchClient(service.url, created.token) as carol:
        first = carol.send_events([event]).results[0]
        assert first.reason_code == "not_approved"
        dispatcher.approve(a.id, "Pat")
        again = carol.send_events([event]).results[0]
    assert (again.outcome, again.original, again.reason_code) == ("duplicate", "rejected", "not_approved")


def test_device_clock_far_ahead_is_refused(service, team):
    _, token, job = team["Alice"]
    with DispatchClient(service.url, token) as alice:
        r = alice.send_events([ArriveEvent(assignment_id=job, device_time=now() + timedelta(hours=2))]).results[0]
    assert r.reason_code == "device_clock_ahead"


def test_device_time_and_receipt_time_are_kept_apart(service, team):
    _, token, job = team["Alice"]
    device_time = now() - timedelta(hours=1)  # recorded offline an hour ago
    with DispatchClient(service.url, token) as alice:
        alice.send_events([ArriveEvent(assignment_id=job, device_time=device_time)])
        recorded = alice.events(job)[-1]
    assert abs(recorded.device_time - device_time) < timedelta(milliseconds=1)
    assert recorded.received_at - recorded.device_time > timedelta(minutes=59)


def test_dispatcher_transitions_refused_by_rules_are_409(dispatcher, team):
    _, _, job = team["Alice"]
    with pytest.raises(ConflictError) as exc:
        dispatcher.approve(job, "again")
    assert exc.value.field_errors[0].rule == "not_proposed"
    with pytest.raises(NotFoundError):
        dispatcher.approve("ASG-NOPE", "x")


def test_proposing_unknown_engineer_is_refused(dispatcher):
    a = dispatcher.create_assignment(request_data())
    with pytest.raises(ConflictError, match="ENG-GHOST"):
        dispatcher.propose(a.id, ["ENG-GHOST"])


def test_client_retries_idempotent_calls_then_reports_no_signal():
    from api_client.errors import ConnectError
    from tests.conftest import free_port

    with DispatchClient(f"http://127.0.0.1:{free_port()}", "t", max_retries=1) as c, pytest.raises(ConnectError):
        c.list_assignments()


def test_openapi_is_served(service):
    spec = httpx.get(f"{service.url}/openapi.json").json()
    assert "/v1/events/batch" in spec["paths"] and spec["info"]["title"].startswith("eCorpOne")


def test_rotating_a_token_locks_out_the_lost_phone(service, team, dispatcher):
    eng_id, old_token, job = team["Alice"]
    new = dispatcher.rotate_token(eng_id)
    with DispatchClient(service.url, old_token) as lost, pytest.raises(AuthenticationError):
        lost.get_assignment(job)
    with DispatchClient(service.url, new.token) as found:
        assert found.get_assignment(job).id == job
    with DispatchClient(service.url, new.token) as engineer, pytest.raises(PermissionDeniedError):
        engineer.rotate_token(eng_id)  # only the dispatcher issues tokens
