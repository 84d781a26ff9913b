"""`lifecycle.fold` (the phone's bulk fold of its unsent actions) gives exactly what applying the events one at a
time gives, skipping the refused ones — whatever the mix of accepted and refused events — and leaves its input
untouched (it extends lists in place, but only in a working copy of its own)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from api_client.events import VisitEvent, visit_event_adapter
from api_client.rate_card import EXAMPLE_RATE_CARD as CARD
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Refused, Role, Status, VisitState, apply, fold
from tests.factories import TOKYO_STATION, request_data

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
ENG, OTHER = "ENG-A", "ENG-B"
FAR = {"latitude": TOKYO_STATION[0] + 0.05, "longitude": TOKYO_STATION[1], "accuracy_m": 10}
NEAR = {"latitude": TOKYO_STATION[0], "longitude": TOKYO_STATION[1], "accuracy_m": 10}
SITES = [
    request_data()["locations"][0] | {"id": "A"},
    request_data()["locations"][0] | {"id": "B", "name": "Annex"},
]
REQUEST = ServiceRequest.model_validate(
    request_data(
        visit_start=T0.isoformat(),
        reserved_hours=1,
        locations=SITES,
        work={"summary": "Swap", "steps": [{"title": "Swap", "confirm_after": "Users online"}, {"title": "Tidy"}]},
    )
)
SIGN = {"signer_name": "Ken Ito", "approve_leaving": True, "strokes": [[(0, 0), (5, 5)]]}

# Each kind with the fields that make it valid, refused by a rule, or refused by the state it meets.
ENGINEER_FIELDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "depart": st.just({}),
    "running_late": st.builds(lambda m: {"eta_minutes": m}, st.sampled_from([5, 30])),
    "arrive": st.fixed_dictionaries(
        {"location_id": st.sampled_from(["A", "B", "nowhere", None]), "position": st.sampled_from([NEAR, FAR, None])}
    ),
    "start_work": st.sampled_from([{"assisted_by": "Ken Ito"}, {"assisted_by": ""}]),
    "log": st.builds(
        lambda t, p: {"text": t, "photo_base64": p}, st.text(min_size=1, max_size=5), st.sampled_from([None, "aGk="])
    ),
    "ask_continuation": st.builds(lambda m: {"extra_minutes": m}, st.sampled_from([15, 60])),
    "decide_continuation": st.builds(lambda a: {"accept": a, "decided_by": "Ken Ito"}, st.booleans()),
    "sign_off": st.builds(
        lambda steps, leave: SIGN | {"confirmed_steps": steps, "approve_leaving": leave},
        st.sampled_from([[0], [0, 1], [], [7]]),
        st.booleans(),
    ),
    "unable_to_enter": st.sampled_from([{"reason": "no_access"}, {"reason": "other", "detail": ""}]),
}
DESK_FIELDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "propose": st.builds(lambda team: {"engineer_ids": team}, st.sampled_from([[ENG], [ENG, OTHER]])),
    "approve": st.just({"approved_by": "Pat Lee"}),
    "cancel": st.just({"reason": "Not needed"}),
    "close": st.just({}),
    "review_overtime": st.builds(lambda a: {"accept": a}, st.booleans()),
    "depart": st.just({}),  # an engineer's action, refused to the desk
}


def events(fields: dict[str, st.SearchStrategy[dict[str, Any]]]) -> st.SearchStrategy[list[VisitEvent]]:
    """Events in the order recorded, their device times mostly moving on, sometimes stepping back an hour."""
    one = st.tuples(st.sampled_from(sorted(fields)), st.integers(-60, 90)).flatmap(
        lambda kind_gap: st.tuples(st.just(kind_gap), fields[kind_gap[0]])
    )

    def build(script: list[tuple[tuple[str, int], dict[str, Any]]]) -> list[VisitEvent]:
        at, out = T0 - timedelta(minutes=30), []
        for (kind, gap), extra in script:
            at += timedelta(minutes=gap)
            body = {"id": str(uuid.uuid4()), "assignment_id": "ASG-1", "kind": kind, "device_time": at.isoformat()}
            out.append(visit_event_adapter.validate_python(body | extra))
        return out

    return st.lists(one, max_size=40).map(build)


def one_by_one(state: VisitState, evs: list[VisitEvent], role: Role, actor: str) -> tuple[VisitState, int]:
    applied = 0
    for event in evs:
        try:
            state = apply(state, REQUEST, event, role=role, actor=actor, card=CARD)
        except Refused:
            continue
        applied += 1
    return state, applied


def same_fold(start: VisitState, evs: list[VisitEvent], role: Role, actor: str) -> int:
    before = start.model_dump_json()
    expected, applied = one_by_one(start, evs, role, actor)
    got = fold(start, REQUEST, iter(evs), role=role, actor=actor, card=CARD)
    assert got == expected
    assert got.model_dump_json() == expected.model_dump_json()
    assert start.model_dump_json() == before  # the input was not extended in place
    assert (got is start) == (applied == 0)  # nothing applied: the same object (a screen's cache keeps holding)
    return applied


ON_SITE = VisitState(
    status=Status.working,
    engineer_ids=[ENG, OTHER],
    approved_at=T0 - timedelta(hours=2),
    arrivals=[{"engineer_id": OTHER, "location_id": "A", "at": T0, "check": "verified"}],
    work_started_at=T0,
    log=[{"event_id": "e0", "at": T0, "author": OTHER, "text": "from the server"}],
)
APPROVED = VisitState(status=Status.approved, engineer_ids=[ENG, OTHER], approved_at=T0 - timedelta(hours=2))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    start=st.sampled_from([APPROVED, ON_SITE]), evs=events(ENGINEER_FIELDS), actor=st.sampled_from([ENG, ENG, "ENG-X"])
)
def test_the_engineers_bulk_fold_equals_applying_each_event(start, evs, actor):
    same_fold(start, evs, Role.engineer, actor)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(evs=events(DESK_FIELDS))
def test_the_desks_bulk_fold_equals_applying_each_event(evs):
    same_fold(VisitState(), evs, Role.dispatcher, "desk")


def test_the_generated_mixes_do_accept_events_and_do_refuse_some():
    """Guard on the property tests above: a journey where some steps are accepted and some refused."""
    at = T0 - timedelta(minutes=10)
    script = [
        ("depart", {}),
        ("log", {"text": "too early"}),  # refused: not on site
        ("arrive", {"location_id": "A", "position": NEAR}),
        ("arrive", {"location_id": "A", "position": NEAR}),  # refused: already arrived
        ("start_work", {"assisted_by": "Ken Ito"}),
        *[("log", {"text": f"entry {i}"}) for i in range(50)],
        ("ask_continuation", {"extra_minutes": 30}),
        ("ask_continuation", {"extra_minutes": 30}),  # refused: one is pending
        ("decide_continuation", {"accept": True, "decided_by": "Ken Ito"}),
        ("running_late", {"eta_minutes": 5}),  # refused: on site
        ("sign_off", SIGN | {"confirmed_steps": [0]}),
        ("log", {"text": "after"}),  # refused: signed off
    ]
    evs = [
        visit_event_adapter.validate_python(
            {
                "id": str(uuid.uuid4()),
                "assignment_id": "ASG-1",
                "kind": k,
                "device_time": (at + timedelta(minutes=i)).isoformat(),
            }
            | f
        )
        for i, (k, f) in enumerate(script)
    ]
    assert same_fold(APPROVED, evs, Role.engineer, ENG) == len(script) - 5
    got = fold(APPROVED, REQUEST, evs, role=Role.engineer, actor=ENG, card=CARD)
    assert got.status is Status.signed_off and len(got.log) == 50 and len(got.arrivals) == 1
    assert len(got.continuations) == 1 and got.continuations[0].decided_by == "Ken Ito"
