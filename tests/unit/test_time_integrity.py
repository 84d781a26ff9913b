"""Properties of the time rules over random visits with random device clocks: whatever the devices say, no
accepted sequence bills more on-site time than the server's own clock allows, and every refusal names a rule.

A visit is simulated as the server sees it: true times move forward; each engineer's phone reports them
through its own clock (anything from a year behind to hours ahead, or a clock that jumps); the server
receives each event at or after the true time (a phone may be offline for hours) and folds it through the
same rules as production, with its receipt time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from api_client.events import visit_event_adapter
from api_client.rate_card import EXAMPLE_RATE_CARD as CARD
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Refused, Role, Status, VisitState, apply, visit_bill
from api_client.rules.timing import DEFAULT_SKEW
from tests.factories import request_data

VISIT_START = datetime(2026, 12, 3, 5, 0, tzinfo=UTC)
APPROVED = VISIT_START - timedelta(hours=2)
CREW = ("ENG-A", "ENG-B")
KNOWN_CODES = {
    "time_before_previous",
    "time_before_approval",
    "arrival_outside_window",
    "device_clock_ahead",
    "already_arrived",
    "not_on_site",
    "not_arrived",
    "already_working",
    "not_working",
    "time_order",
    "locked",
    "assistance_required",
}
SIGN = {"signer_name": "Ken Ito", "approve_leaving": True, "confirmed_steps": [0], "strokes": [[(0, 0), (4, 4)]]}
REQUEST = ServiceRequest.model_validate(
    request_data(visit_start=VISIT_START.isoformat(), reserved_hours=2, engineer_count=2)
)

clock_offsets = st.one_of(
    st.just(timedelta(0)),
    st.timedeltas(min_value=timedelta(minutes=-10), max_value=timedelta(minutes=10)),
    st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(hours=6)),
)
steps = st.lists(
    st.tuples(
        st.sampled_from(CREW),
        st.sampled_from(["arrive", "start_work", "log", "sign_off"]),
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=3)),  # true time since the last step
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=8)),  # how long until the server gets it
        st.timedeltas(min_value=timedelta(minutes=-30), max_value=timedelta(minutes=30)),  # a clock jump
    ),
    min_size=1,
    max_size=14,
)


def _approved() -> VisitState:
    return VisitState(status=Status.approved, engineer_ids=list(CREW), approved_at=APPROVED)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    offsets=st.tuples(clock_offsets, clock_offsets),
    script=steps,
    true_start=st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=6)),
)
def test_no_accepted_sequence_bills_more_than_the_receipt_times_allow(offsets, script, true_start):
    state = _approved()
    offset = dict(zip(CREW, offsets, strict=True))
    true_now = VISIT_START - timedelta(hours=1) + true_start
    received_last = APPROVED
    signed_off_received = None
    for engineer, kind, gap, delay, jump in script:
        true_now += gap
        offset[engineer] += jump
        received = max(true_now + delay, received_last)  # the server's clock only moves forward
        received_last = received
        fields = {"assisted_by": "Ken Ito"} if kind == "start_work" else {}
        fields |= {"text": "work"} if kind == "log" else {}
        fields |= SIGN if kind == "sign_off" else {}
        event = visit_event_adapter.validate_python(
            {
                "id": str(uuid.uuid4()),
                "assignment_id": "ASG-1",
                "kind": kind,
                "device_time": (true_now + offset[engineer]).isoformat(),
                **fields,
            }
        )
        try:
            state = apply(state, REQUEST, event, role=Role.engineer, actor=engineer, card=CARD, received_at=received)
        except Refused as refusal:
            assert refusal.code in KNOWN_CODES, refusal.code
            assert refusal.message  # a sentence for the person, naming what is wrong
            continue
        if kind == "sign_off":
            signed_off_received = received
        # The device time of anything accepted is never ahead of the server's receipt beyond the allowance,
        # nor before the approval beyond it.
        assert event.device_time <= received + DEFAULT_SKEW
        assert event.device_time >= APPROVED - DEFAULT_SKEW

    on_site = state.on_site_time(received_last)
    if signed_off_received is not None:
        # On-site time fits between the approval and the moment the server learned of the sign-off.
        assert on_site is not None and on_site <= signed_off_received - APPROVED
        bill = visit_bill(REQUEST, state, expedited=False, card=CARD)
        limit = timedelta(hours=2) + timedelta(minutes=CARD.overtime_review_after_minutes)
        # Unreviewed, nothing beyond the review threshold is billed, however long the phones claim.
        billed = timedelta(hours=2) + timedelta(minutes=bill.overtime_billed_minutes)
        assert billed <= limit + timedelta(minutes=CARD.overtime_increment_minutes)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(offset=st.timedeltas(min_value=timedelta(days=-800), max_value=timedelta(days=800)))
def test_a_wrong_clock_cannot_arrive_outside_the_window_or_before_the_approval(offset):
    at = VISIT_START + offset
    event = visit_event_adapter.validate_python(
        {"id": str(uuid.uuid4()), "assignment_id": "A", "kind": "arrive", "device_time": at.isoformat()}
    )
    window_open = VISIT_START - timedelta(minutes=CARD.arrival_window_before_minutes) - DEFAULT_SKEW
    window_close = VISIT_START + timedelta(minutes=CARD.arrival_window_after_minutes) + DEFAULT_SKEW
    try:
        apply(_approved(), REQUEST, event, role=Role.engineer, actor="ENG-A", card=CARD, received_at=window_close)
    except Refused as refusal:
        assert refusal.code in {"arrival_outside_window", "time_before_approval", "device_clock_ahead"}
        assert not (max(window_open, APPROVED - DEFAULT_SKEW) <= at <= window_close)
    else:
        assert max(window_open, APPROVED - DEFAULT_SKEW) <= at <= window_close


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    offset=clock_offsets,
    arrive_after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=4)),
    work=st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=14)),
    offline=st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=10)),
    sign_jump=st.timedeltas(min_value=timedelta(hours=-1), max_value=timedelta(hours=12)),
)
def test_a_whole_visit_with_a_wrong_clock_never_bills_beyond_the_server_or_the_review(
    offset, arrive_after, work, offline, sign_jump
):
    """Arrival, start, sign-off by one phone whose clock is off (and may jump before the sign-off): when the
    sign-off is accepted, the bill fits the server's receipt times and holds what is above the threshold."""
    state = _approved()
    arrived = APPROVED + arrive_after
    signed = arrived + work
    received = signed + offline  # all of it synced when back in signal
    script = [("arrive", arrived, {}), ("start_work", arrived, {"assisted_by": "Ken"})]
    script.append(("sign_off", signed + sign_jump, SIGN))
    accepted = []
    for kind, true_at, fields in script:
        event = visit_event_adapter.validate_python(
            {"id": str(uuid.uuid4()), "assignment_id": "A", "kind": kind, "device_time": true_at + offset, **fields}
        )
        try:
            state = apply(state, REQUEST, event, role=Role.engineer, actor="ENG-A", card=CARD, received_at=received)
            accepted.append(kind)
        except Refused as refusal:
            assert refusal.code in KNOWN_CODES
    if "sign_off" not in accepted:
        return
    bill = visit_bill(REQUEST, state, expedited=False, card=CARD)
    assert state.on_site_time() <= received - APPROVED
    assert bill.on_site_minutes * 60 <= (received - APPROVED).total_seconds()
    threshold = CARD.overtime_review_after_minutes
    assert bill.overtime_billed_minutes <= threshold + CARD.overtime_increment_minutes
    assert bill.overtime_billed_minutes + bill.overtime_held_minutes >= min(bill.overtime_minutes, threshold)
