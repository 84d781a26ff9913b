import uuid
from datetime import UTC, datetime, timedelta

import pytest

from api_client.events import visit_event_adapter
from api_client.rate_card import EXAMPLE_RATE_CARD as CARD
from api_client.request import ServiceRequest
from api_client.rules.billing import Outcome
from api_client.rules.lifecycle import Refused, Role, Status, VisitState, apply, outcome_of, visit_bill
from tests.factories import TOKYO_STATION, request_data

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
ENG, OTHER = "ENG-A", "ENG-B"


class Visit:
    """Folds events through the rules the way the server does."""

    def __init__(self, **overrides):
        overrides.setdefault("visit_start", T0.isoformat())
        self.request = ServiceRequest.model_validate(request_data(**overrides))
        self.state = VisitState()

    def do(self, kind, *, role=Role.engineer, actor=ENG, minutes=0, **fields):
        event = visit_event_adapter.validate_python(
            {
                "id": str(uuid.uuid4()),
                "assignment_id": "ASG-1",
                "kind": kind,
                "device_time": (T0 + timedelta(minutes=minutes)).isoformat(),
                **fields,
            }
        )
        self.state = apply(self.state, self.request, event, role=role, actor=actor, card=CARD)
        return self.state

    def approved(self, team=(ENG,)):
        self.do("propose", role=Role.dispatcher, actor="dispatcher", minutes=-180, engineer_ids=list(team))
        self.do("approve", role=Role.dispatcher, actor="dispatcher", minutes=-120, approved_by="Pat Lee")
        return self


AT_SITE = {"latitude": TOKYO_STATION[0], "longitude": TOKYO_STATION[1], "accuracy_m": 10}
SIGN = {"signer_name": "Ken Ito", "approve_leaving": True, "confirmed_steps": [0], "strokes": [[(0, 0), (5, 5)]]}


def test_full_journey_bills_by_the_rules():
    v = Visit(reserved_hours=2).approved()
    v.do("depart", minutes=-60)
    v.do("arrive", minutes=0, position=AT_SITE)
    v.do("start_work", minutes=5, assisted_by="Ken Ito")
    v.do("log", minutes=30, text="Old switch removed")
    s = v.do("sign_off", minutes=140, **SIGN)
    assert s.status is Status.signed_off and s.arrivals[0].check == "verified"
    assert s.on_site_time() == timedelta(minutes=140)
    b = visit_bill(v.request, s, expedited=False, card=CARD)
    assert b.overtime_minutes == 20 and b.overtime_billed_minutes == 30  # explicit 2 h: no grace


def test_arrival_before_approval_is_refused_with_reason():
    v = Visit()
    v.do("propose", role=Role.dispatcher, actor="dispatcher", engineer_ids=[ENG])
    with pytest.raises(Refused) as r:
        v.do("arrive")
    assert r.value.code == "not_approved" and "approv" in r.value.message


def test_approval_needs_a_proposal_first():
    with pytest.raises(Refused, match="Propose"):
        Visit().do("approve", role=Role.dispatcher, actor="dispatcher", approved_by="x")


def test_proposal_must_match_the_requested_team_size():
    with pytest.raises(Refused) as r:
        Visit(engineer_count=2).do("propose", role=Role.dispatcher, actor="d", engineer_ids=[ENG])
    assert r.value.code == "engineer_count"


def test_engineer_cannot_do_dispatcher_actions_and_vice_versa():
    with pytest.raises(Refused, match="dispatcher"):
        Visit().do("propose", engineer_ids=[ENG])
    with pytest.raises(Refused, match="engineer"):
        Visit().approved().do("arrive", role=Role.dispatcher, actor="dispatcher")


def test_engineer_not_on_the_team_is_refused():
    with pytest.raises(Refused) as r:
        Visit().approved().do("arrive", actor=OTHER)
    assert r.value.code == "not_assigned"


def test_arrival_far_away_or_without_position_is_recorded_but_unverified():
    v = Visit(engineer_count=2).approved(team=(ENG, OTHER))
    s = v.do("arrive", position={"latitude": 35.0, "longitude": 139.0})
    assert s.status is Status.arrived and s.arrivals[0].check == "too_far" and s.arrivals[0].distance_m > 50_000
    s = v.do("arrive", actor=OTHER)
    assert s.arrivals[1].check == "no_position" and len(s.arrivals) == 2


def test_the_same_engineer_cannot_arrive_twice_at_one_site():
    v = Visit().approved()
    v.do("arrive")
    with pytest.raises(Refused) as r:
        v.do("arrive")
    assert r.value.code == "already_arrived"


def test_start_work_records_assistance_when_required():
    v = Visit().approved()
    v.do("arrive")
    with pytest.raises(Refused) as r:
        v.do("start_work")
    assert r.value.code == "assistance_required"
    assert v.do("start_work", assisted_by="Ken Ito").assisted_by == "Ken Ito"


def test_simple_work_with_senior_needs_no_assistance():
    data = request_data()
    data["work"]["simple"] = True
    v = Visit(work=data["work"]).approved()
    v.do("arrive")
    assert v.do("start_work").status is Status.working


def test_log_only_on_site():
    with pytest.raises(Refused) as r:
        Visit().approved().do("log", text="hello")
    assert r.value.code == "not_on_site"


def test_sign_off_needs_leaving_approval_and_step_confirmations():
    v = Visit().approved()
    v.do("arrive")
    v.do("start_work", assisted_by="Ken")
    with pytest.raises(Refused, match="approve the team leaving"):
        v.do("sign_off", **{**SIGN, "approve_leaving": False})
    with pytest.raises(Refused, match=r"1\. Swap"):
        v.do("sign_off", **{**SIGN, "confirmed_steps": []})
    assert v.do("sign_off", minutes=60, **SIGN).status is Status.signed_off


def test_signed_visit_is_locked():
    v = Visit().approved()
    v.do("arrive")
    v.do("start_work", assisted_by="Ken")
    v.do("sign_off", minutes=60, **SIGN)
    for kind, fields in [("log", {"text": "late note"}), ("sign_off", SIGN)]:
        with pytest.raises(Refused) as r:
            v.do(kind, minutes=61, **fields)
        assert r.value.code == "locked"


def test_sign_off_before_arrival_time_is_refused():
    v = Visit(engineer_count=2).approved(team=(ENG, OTHER))
    v.do("arrive", minutes=30)
    v.do("start_work", minutes=31, assisted_by="Ken")
    with pytest.raises(Refused) as r:  # the crew mate's phone dates the sign-off before anyone arrived
        v.do("sign_off", actor=OTHER, minutes=10, **SIGN)
    assert r.value.code == "time_order"


def test_an_engineers_own_actions_cannot_go_back_in_time():
    v = Visit().approved()
    v.do("arrive", minutes=30)
    v.do("start_work", minutes=31, assisted_by="Ken")
    with pytest.raises(Refused) as r:
        v.do("sign_off", minutes=10, **SIGN)
    assert r.value.code == "time_before_previous" and "previous action" in r.value.message


def test_a_crew_mates_later_dated_action_does_not_refuse_an_offline_one():
    v = Visit(engineer_count=2).approved(team=(ENG, OTHER))
    v.do("arrive", minutes=0)
    v.do("start_work", minutes=5, assisted_by="Ken")
    v.do("log", actor=OTHER, minutes=60, text="Rack done")  # online, received first
    assert v.do("log", minutes=20, text="Cables labelled").log[-1].text == "Cables labelled"  # offline, later


@pytest.mark.parametrize(
    ("kind", "minutes", "fields", "code"),
    [
        ("depart", -400 * 24 * 60, {}, "time_before_approval"),  # a phone whose clock says last year
        ("arrive", -126, {}, "time_before_approval"),  # 6 min before the approval (at -120): beyond 5 min
        ("arrive", 13 * 60, {}, "arrival_outside_window"),  # 13 h after the visit start
    ],
)
def test_device_times_outside_what_the_visit_allows_are_refused(kind, minutes, fields, code):
    v = Visit().approved()
    with pytest.raises(Refused) as r:
        v.do(kind, minutes=minutes, **fields)
    assert r.value.code == code


def test_arrival_window_opens_before_the_visit_start():
    v = Visit()
    v.do("propose", role=Role.dispatcher, actor="dispatcher", minutes=-600, engineer_ids=[ENG])
    v.do("approve", role=Role.dispatcher, actor="dispatcher", minutes=-500, approved_by="Pat Lee")
    with pytest.raises(Refused) as r:
        v.do("arrive", minutes=-190)  # 3 h 10 min early: outside the window (+ 5 min allowance)
    assert r.value.code == "arrival_outside_window"
    assert v.do("arrive", minutes=-170).status is Status.arrived


def test_a_device_clock_ahead_of_the_server_is_refused_only_by_the_server():
    v = Visit().approved()
    event = visit_event_adapter.validate_python(
        {"id": str(uuid.uuid4()), "assignment_id": "A", "kind": "arrive", "device_time": T0 + timedelta(minutes=6)}
    )
    with pytest.raises(Refused) as r:
        apply(v.state, v.request, event, role=Role.engineer, actor=ENG, card=CARD, received_at=T0)
    assert r.value.code == "device_clock_ahead"
    assert apply(v.state, v.request, event, role=Role.engineer, actor=ENG, card=CARD).status is Status.arrived


def test_on_site_time_never_exceeds_what_the_servers_receipt_times_allow():
    v = Visit().approved()  # approved at T0 - 120 min by the server's clock
    v.do("arrive", minutes=-124)  # the phone's clock runs a little behind: within the allowance
    v.do("start_work", minutes=-100, assisted_by="Ken")
    event = visit_event_adapter.validate_python(
        {
            "id": str(uuid.uuid4()),
            "assignment_id": "A",
            "kind": "sign_off",
            "device_time": T0 + timedelta(minutes=4),
            **SIGN,
        }
    )
    # The device says 2 h 8 min; the server approved 2 h before it received the sign-off: 2 h is all it allows.
    s = apply(v.state, v.request, event, role=Role.engineer, actor=ENG, card=CARD, received_at=T0)
    assert s.on_site_time() == timedelta(hours=2)


def test_overtime_above_the_review_threshold_is_held_until_the_desk_decides():
    v = Visit(reserved_hours=2).approved()
    v.do("arrive", minutes=0)
    v.do("start_work", minutes=1, assisted_by="Ken")
    s = v.do("sign_off", minutes=(2 + 6) * 60, **SIGN)  # 6 h of overtime; the threshold is 4 h
    held = visit_bill(v.request, s, expedited=False, card=CARD)
    assert held.overtime_billed_minutes == 240 and held.overtime_held_minutes == 120
    assert any("review" in n for n in held.notes)
    accepted = v.do("review_overtime", role=Role.dispatcher, actor="dispatcher", minutes=600, accept=True)
    full = visit_bill(v.request, accepted, expedited=False, card=CARD)
    assert full.overtime_billed_minutes == 360 and full.overtime_held_minutes == 0 and full.total > held.total


def test_declined_overtime_bills_only_up_to_the_threshold():
    v = Visit(reserved_hours=2).approved()
    v.do("arrive", minutes=0)
    v.do("start_work", minutes=1, assisted_by="Ken")
    v.do("sign_off", minutes=(2 + 6) * 60, **SIGN)
    s = v.do("review_overtime", role=Role.dispatcher, actor="dispatcher", minutes=600, accept=False)
    b = visit_bill(v.request, s, expedited=False, card=CARD)
    assert b.overtime_billed_minutes == 240 and b.overtime_held_minutes == 0


def test_unable_to_enter_ends_the_visit_and_charges_full_reservation():
    v = Visit(reserved_hours=4).approved()
    v.do("arrive")
    with pytest.raises(Refused) as r:
        v.do("unable_to_enter", reason="other")
    assert r.value.code == "detail_required"
    s = v.do("unable_to_enter", reason="devices_not_arrived")
    assert s.status is Status.unable_to_enter and outcome_of(s) is Outcome.unable_to_enter
    assert visit_bill(v.request, s, expedited=False, card=CARD).charged_hours == 4
    s = v.do("close", role=Role.dispatcher, actor="dispatcher")
    assert s.status is Status.closed and outcome_of(s) is Outcome.unable_to_enter


def test_cancel_only_before_anyone_is_on_site():
    v = Visit().approved()
    v.do("arrive")
    with pytest.raises(Refused) as r:
        v.do("cancel", role=Role.dispatcher, actor="d", reason="x")
    assert r.value.code == "on_site"
    v2 = Visit().approved()
    assert v2.do("cancel", role=Role.dispatcher, actor="d", reason="client postponed").status is Status.cancelled
    with pytest.raises(Refused) as r:
        v2.do("close", role=Role.dispatcher, actor="d")
    assert r.value.code == "cancelled"


def test_apply_does_not_modify_the_given_state():
    v = Visit().approved()
    before = v.state.model_copy(deep=True)
    event = visit_event_adapter.validate_python({"assignment_id": "A", "kind": "arrive", "device_time": T0.isoformat()})
    apply(v.state, v.request, event, role=Role.engineer, actor=ENG, card=CARD)
    assert v.state == before


def test_live_estimate_runs_from_arrival_to_now():
    v = Visit().approved()
    v.do("arrive")
    s = v.state
    b = visit_bill(v.request, s, expedited=False, card=CARD, now=T0 + timedelta(hours=3))
    assert b.on_site_minutes == 180 and b.overtime_minutes == 30  # default reservation: 2 h + 30 min grace


def test_running_late_only_before_arrival_and_after_approval():
    v = Visit()
    v.do("propose", role=Role.dispatcher, actor="dispatcher", engineer_ids=[ENG])
    with pytest.raises(Refused) as r:
        v.do("running_late", eta_minutes=30)
    assert r.value.code == "not_approved"
    v.do("approve", role=Role.dispatcher, actor="dispatcher", approved_by="Pat")
    s = v.do("running_late", minutes=5, eta_minutes=30)
    assert s.status is Status.approved and s.late_notices[0].expected_at == T0 + timedelta(minutes=35)
    v.do("arrive", minutes=40)
    with pytest.raises(Refused):
        v.do("running_late", minutes=41, eta_minutes=15)
