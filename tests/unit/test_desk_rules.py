"""The desk's rules: what the intake shows as missing or applying (prerequisites), and how a visit stands for the
board (watch: late, overtime, the reservation)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from api_client.request import ServiceRequest
from api_client.rules.billing import ReservationPhase
from api_client.rules.lifecycle import Arrival, LateNotice, Status, VisitState
from api_client.rules.prerequisites import Severity, prerequisites
from api_client.rules.watch import watch
from tests.clock import clock
from tests.factories import request_data


def _request(**overrides) -> ServiceRequest:
    return ServiceRequest.model_validate(request_data(**overrides))


def _codes(request: ServiceRequest, expedited: bool = False) -> list[str]:
    return [f.code for f in prerequisites(request, expedited=expedited)]


FORCED = {"forced_by": "Pat Lee", "reason": "site unmanned at night"}


@pytest.mark.parametrize(
    ("overrides", "expedited", "expected"),
    [
        ({"reserved_hours": 3}, False, []),
        ({"reserved_hours": 3, "devices_on_site_confirmed": False}, False, ["devices_not_confirmed"]),
        ({"reserved_hours": 3, "paperwork": [{"name": "NDA", "status": "sent"}]}, False, ["paperwork_not_ready"]),
        ({"reserved_hours": 3, "paperwork": [{"name": "NDA", "status": "accepted"}]}, False, []),
        ({"reserved_hours": 3, "travel": {"required": True}}, False, ["travel_required"]),
        ({"reserved_hours": 3}, True, ["expedite_fee"]),
        ({"reserved_hours": 3, "retainer_sla": True}, True, ["expedited_retainer"]),
        ({}, False, ["default_reservation"]),
    ],
)
def test_prerequisites_name_what_is_missing_and_which_rule_applies(overrides, expedited, expected):
    request = _request(work={"summary": "x", "simple": True}, **overrides)
    assert _codes(request, expedited) == expected


def test_a_forced_visit_without_a_local_contact_says_who_forced_it_and_why():
    data = request_data(local_contact_override=FORCED, reserved_hours=3)
    data["locations"][0]["local_contacts"] = []
    [finding, *_] = prerequisites(ServiceRequest.model_validate(data), expedited=False)
    assert finding.code == "local_contact_forced" and finding.severity is Severity.warn
    assert finding.values == {"sites": "Tokyo office", "who": "Pat Lee", "why": "site unmanned at night"}


def test_missing_prerequisites_come_before_the_rules_that_apply():
    request = _request(devices_on_site_confirmed=False, paperwork=[{"name": "NDA"}])
    severities = [f.severity for f in prerequisites(request, expedited=True)]
    assert severities == sorted(severities, key=[Severity.bad, Severity.warn, Severity.info].index)
    assert "assistance_to_record" in _codes(request)


NOW = clock()
START = NOW - timedelta(minutes=30)


def _watch(state: VisitState, start=START, reserved="2", grace=30):
    return watch(
        state, visit_start=start, reserved_hours=Decimal(reserved), grace_minutes=grace, warn_before_minutes=15, now=NOW
    )


def _arrived(minutes_ago: int, status: Status = Status.working) -> VisitState:
    at = NOW - timedelta(minutes=minutes_ago)
    return VisitState(
        status=status,
        engineer_ids=["E1"],
        approved_at=at - timedelta(hours=1),
        arrivals=[Arrival(engineer_id="E1", location_id="L1", at=at, check="verified")],
    )


@pytest.mark.parametrize(
    ("state", "start", "late"),
    [
        (VisitState(status=Status.approved, approved_at=NOW - timedelta(hours=2)), NOW - timedelta(minutes=11), True),
        (VisitState(status=Status.approved, approved_at=NOW - timedelta(hours=2)), NOW - timedelta(minutes=9), False),
        (VisitState(status=Status.en_route), NOW + timedelta(hours=1), False),
        (VisitState(status=Status.proposed), NOW - timedelta(hours=1), False),  # not sent: not late
        (_arrived(5, Status.arrived), NOW - timedelta(hours=1), False),
    ],
)
def test_a_visit_is_late_past_its_start_and_an_allowance_until_someone_arrives(state, start, late):
    assert _watch(state, start=start).late is late


def test_a_running_late_notice_makes_it_late_with_the_expected_time():
    expected = NOW + timedelta(minutes=20)
    state = VisitState(
        status=Status.en_route, late_notices=[LateNotice(engineer_id="E1", at=NOW, expected_at=expected)]
    )
    seen = _watch(state, start=NOW + timedelta(minutes=5))
    assert seen.late and seen.expected_at == expected


@pytest.mark.parametrize(
    ("minutes_on_site", "phase", "overtime"),
    [
        (30, ReservationPhase.within, False),
        (110, ReservationPhase.ending_soon, False),
        (130, ReservationPhase.grace, False),
        (151, ReservationPhase.overtime, True),
    ],
)
def test_time_on_site_against_the_reservation(minutes_on_site, phase, overtime):
    seen = _watch(_arrived(minutes_on_site))
    assert seen.phase is phase and seen.overtime is overtime
    assert seen.reserved == timedelta(hours=2)
    assert seen.reservation_percent == min(minutes_on_site * 100 // 120, 100)


def test_the_two_hour_minimum_is_the_reservation_the_board_measures_against():
    assert _watch(_arrived(70), reserved="1").reserved == timedelta(hours=2)


@pytest.mark.parametrize(
    ("arrived_after", "minutes_since_approval", "breached"),
    [
        (None, 30, False),  # within the promise, nobody there yet
        (None, 70, True),  # promise passed, nobody there
        (50, 70, False),  # arrived in time
        (65, 70, True),  # arrived, but after the promise
    ],
)
def test_a_retainer_sla_is_missed_when_nobody_arrives_within_the_response_time(
    arrived_after, minutes_since_approval, breached
):
    approved = NOW - timedelta(minutes=minutes_since_approval)
    arrivals = []
    if arrived_after is not None:
        at = approved + timedelta(minutes=arrived_after)
        arrivals = [Arrival(engineer_id="E1", location_id="L1", at=at, check="verified")]
    state = VisitState(status=Status.arrived if arrivals else Status.approved, approved_at=approved, arrivals=arrivals)
    seen = watch(
        state,
        visit_start=approved,
        reserved_hours=Decimal(2),
        grace_minutes=0,
        warn_before_minutes=15,
        now=NOW,
        sla_response=timedelta(minutes=60),
    )
    assert seen.sla_due == approved + timedelta(minutes=60)
    assert seen.sla_breached is breached


def test_without_a_retainer_there_is_no_sla_to_miss():
    state = VisitState(status=Status.approved, approved_at=NOW - timedelta(days=1))
    seen = _watch(state, start=NOW + timedelta(hours=1))
    assert seen.sla_due is None and not seen.sla_breached


def test_a_visit_booked_for_later_is_due_at_its_start_not_at_approval_plus_response():
    approved = NOW - timedelta(hours=2)
    state = VisitState(status=Status.approved, approved_at=approved)
    start = NOW + timedelta(days=2)
    seen = watch(
        state,
        visit_start=start,
        reserved_hours=Decimal(2),
        grace_minutes=0,
        warn_before_minutes=15,
        now=NOW,
        sla_response=timedelta(minutes=60),
    )
    assert seen.sla_due == start and not seen.sla_breached
