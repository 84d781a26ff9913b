"""Continuation consent (DOMAIN.md reading of "continuation is not guaranteed"): the engineer asks, the client
answers; an accepted continuation is billed as overtime, a declined one bills nothing past the reservation and
refuses the engineer's later actions except the sign-off."""

import pytest

from api_client.rate_card import EXAMPLE_RATE_CARD as CARD
from api_client.rules.billing import Continuation
from api_client.rules.lifecycle import Refused, Role, visit_bill
from tests.unit.test_lifecycle import AT_SITE, ENG, SIGN, Visit

RESERVED_END = 120  # an explicit 2 h reservation: no grace


def _working() -> Visit:
    v = Visit(reserved_hours=2).approved()
    v.do("arrive", minutes=0, position=AT_SITE)
    v.do("start_work", minutes=5, assisted_by="Ken Ito")
    return v


def _decide(v: Visit, accept: bool, minutes: int, role: Role = Role.client, actor: str = "person:P-1"):
    return v.do("decide_continuation", role=role, actor=actor, minutes=minutes, accept=accept, decided_by="Aoi Sato")


def test_accepted_continuation_is_billed_as_overtime():
    v = _working()
    v.do("ask_continuation", minutes=110, extra_minutes=60)
    s = _decide(v, True, 112)
    assert s.continuation is Continuation.accepted and s.continuations[0].decided_by == "Aoi Sato"
    v.do("log", minutes=150, text="Still cabling")  # past the reservation: allowed, the client agreed
    s = v.do("sign_off", minutes=170, **SIGN)
    b = visit_bill(v.request, s, expedited=False, card=CARD)
    assert b.overtime_minutes == 50 and b.overtime_billed_minutes == 60
    assert [line.code for line in b.lines] == ["reserved", "overtime"]
    assert any("accepted a continuation" in n for n in b.notes)


def test_declined_continuation_bills_nothing_past_the_reservation():
    v = _working()
    v.do("ask_continuation", minutes=110, extra_minutes=30)
    _decide(v, False, 111, role=Role.engineer, actor=ENG)  # handed over on the engineer's phone
    s = v.do("sign_off", minutes=RESERVED_END + 40, **SIGN)  # the sign-off itself is never refused
    b = visit_bill(v.request, s, expedited=False, card=CARD)
    assert b.overtime_minutes == 40 and b.overtime_billed_minutes == 0
    assert [line.code for line in b.lines] == ["reserved"]
    assert any("declined to continue" in n for n in b.notes)


@pytest.mark.parametrize(
    ("kind", "fields"),
    [("log", {"text": "one more thing"}), ("ask_continuation", {"extra_minutes": 15})],
)
def test_after_a_decline_engineer_actions_past_the_reservation_are_refused(kind, fields):
    v = _working()
    v.do("ask_continuation", minutes=100, extra_minutes=30)
    _decide(v, False, 101)
    v.do("log", minutes=RESERVED_END - 1, text="wrapping up")  # inside the reservation: fine
    with pytest.raises(Refused) as r:
        v.do(kind, minutes=RESERVED_END + 1, **fields)
    assert r.value.code == "reservation_ended"


def test_after_a_decline_asking_again_is_refused_even_inside_the_reservation():
    v = _working()
    v.do("ask_continuation", minutes=100, extra_minutes=30)
    _decide(v, False, 101)
    with pytest.raises(Refused) as r:
        v.do("ask_continuation", minutes=105, extra_minutes=15)
    assert r.value.code == "continuation_declined"


def test_one_question_at_a_time_and_no_answer_without_a_question():
    v = _working()
    with pytest.raises(Refused) as r:
        _decide(v, True, 50)
    assert r.value.code == "no_continuation_asked"
    v.do("ask_continuation", minutes=100, extra_minutes=30)
    with pytest.raises(Refused) as r:
        v.do("ask_continuation", minutes=101, extra_minutes=30)
    assert r.value.code == "continuation_pending"
    _decide(v, True, 102)
    v.do("ask_continuation", minutes=140, extra_minutes=30)  # the accepted time runs out: ask again
    assert v.state.pending_continuation is not None and v.state.continuation is Continuation.accepted


def test_only_an_engineer_asks_and_only_the_client_answers():
    v = _working()
    with pytest.raises(Refused) as r:
        v.do("ask_continuation", role=Role.client, actor="person:P-1", minutes=100, extra_minutes=30)
    assert r.value.code == "role"
    v.do("ask_continuation", minutes=100, extra_minutes=30)
    with pytest.raises(Refused) as r:
        _decide(v, True, 101, role=Role.dispatcher, actor="dispatcher")
    assert r.value.code == "role"


def test_a_client_may_approve_but_not_propose():
    v = Visit()
    with pytest.raises(Refused) as r:
        v.do("propose", role=Role.client, actor="person:P-1", engineer_ids=[ENG])
    assert r.value.code == "role"
    v.do("propose", role=Role.dispatcher, actor="dispatcher", minutes=-180, engineer_ids=[ENG])
    s = v.do("approve", role=Role.client, actor="person:P-1", minutes=-120, approved_by="Aoi Sato")
    assert s.approved_by == "Aoi Sato"


def test_without_a_question_overtime_is_billed_as_before():
    v = _working()
    s = v.do("sign_off", minutes=RESERVED_END + 20, **SIGN)
    b = visit_bill(v.request, s, expedited=False, card=CARD)
    assert b.overtime_billed_minutes == 30 and s.continuation is Continuation.none
