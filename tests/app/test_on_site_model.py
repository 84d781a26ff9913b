"""Every decision of the on-site panel, as tables over the view model (no screen, no server)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from api_client.events import EventResult, Outcome
from api_client.events import UnableReason as U
from api_client.rules.lifecycle import ContinuationAsk
from api_client.rules.lifecycle import Status as S
from field_app.actions import VisitActions
from field_app.device_store import Delivery
from field_app.on_site_model import CONTINUE_MINUTES, LATE_MINUTES, OnSiteModel, SignedOff
from tests.app.screens import MATE, ME, NOW, arrival, assignment, device, late, log_entry, request, two_sites, visit


@dataclass(frozen=True)
class Offers:
    """What the panel offers next, in one row."""

    arrive: str | None  # the site of the big Arrived button
    depart: bool
    late: bool
    start: bool
    unable: bool
    working: bool  # timer, work log, sign-off
    badge: bool

    @classmethod
    def of(cls, m: OnSiteModel) -> Offers:
        assert m.show_timer == m.can_log == m.can_sign  # the working screen comes as one
        return cls(
            arrive=m.next_site.id if m.next_site else None,
            depart=m.can_depart,
            late=bool(m.late_minutes),
            start=m.can_start,
            unable=m.can_report_unable,
            working=m.can_sign,
            badge=m.show_badge,
        )


NOTHING = Offers(None, False, False, False, False, False, False)


@pytest.mark.parametrize(
    ("status", "arrivals", "expected"),
    [
        (S.requested, [], NOTHING),
        (S.proposed, [], NOTHING),
        (S.approved, [], Offers("L1", depart=True, late=True, start=False, unable=True, working=False, badge=True)),
        (S.en_route, [], Offers("L1", depart=False, late=True, start=False, unable=True, working=False, badge=True)),
        # I arrived: start the work (or say I cannot get in).
        (S.arrived, [arrival(ME)], Offers(None, False, False, start=True, unable=True, working=False, badge=True)),
        # A teammate arrived first: I still check in myself, and may start.
        (S.arrived, [arrival(MATE)], Offers("L1", False, True, start=True, unable=True, working=False, badge=True)),
        (S.working, [arrival(ME)], Offers(None, False, False, False, unable=False, working=True, badge=True)),
        (S.working, [arrival(MATE)], Offers("L1", False, True, False, unable=True, working=True, badge=True)),
        (S.signed_off, [arrival(ME)], Offers(None, False, False, False, False, False, badge=True)),
        (S.closed, [arrival(ME)], Offers(None, False, False, False, False, False, badge=True)),
        (S.unable_to_enter, [], Offers(None, False, False, False, False, False, badge=True)),
        (S.cancelled, [], NOTHING),
    ],
)
def test_what_comes_next_follows_the_status(tmp_path, status, arrivals, expected):
    a = assignment(visit(status, arrivals=arrivals))
    m = OnSiteModel.of(device(tmp_path / "d.sqlite3", a), a)
    assert Offers.of(m) == expected
    assert m.late_minutes in ((), LATE_MINUTES)
    assert m.empty is (expected == NOTHING)


SIGNED = SignedOff("Ken Ito", NOW - timedelta(minutes=5))


@pytest.mark.parametrize(
    ("status", "signed_off", "unable"),
    [
        (S.working, None, None),
        (S.signed_off, SIGNED, None),
        (S.closed, SIGNED, None),
        (S.unable_to_enter, None, U.no_access),
        (S.cancelled, None, None),
    ],
)
def test_an_ended_visit_says_how_it_ended(tmp_path, status, signed_off, unable):
    a = assignment(visit(status))
    m = OnSiteModel.of(device(tmp_path / "d.sqlite3", a), a)
    assert (m.signed_off, m.unable_reason) == (signed_off, unable)


@pytest.mark.parametrize(
    ("work", "skill", "needs_assistant"),
    [
        ({"summary": "Swap", "simple": True}, "senior", False),  # very simple + senior: nobody needed
        ({"summary": "Swap", "simple": True}, "specialist", False),
        ({"summary": "Swap", "simple": False}, "senior", True),
        ({"summary": "Swap", "simple": True, "instructions_provided": True}, "entry", False),  # README: none needed
    ],
)
def test_starting_asks_for_the_clients_assistant_only_where_required(tmp_path, work, skill, needs_assistant):
    a = assignment(visit(S.arrived, arrivals=[arrival(ME)]), request(work=work, skill_level=skill))
    m = OnSiteModel.of(device(tmp_path / "d.sqlite3", a), a)
    assert m.can_start and m.needs_assistant is needs_assistant
    working = assignment(visit(S.working), request(work=work, skill_level=skill))
    assert not OnSiteModel.of(device(tmp_path / "w.sqlite3", working), working).needs_assistant


@pytest.mark.parametrize(
    ("status", "mine_at", "next_site", "more_sites", "lines"),
    [
        (S.approved, [], "A", [], []),
        (S.arrived, ["A"], None, ["B"], ["Site A"]),  # on site: check in at the next site when you get there
        (S.working, ["A", "B"], None, [], ["Site A", "Site B"]),
        (S.working, ["B"], None, ["A"], ["Site B"]),  # any order
        (S.signed_off, ["A"], None, [], ["Site A"]),  # ended: no more check-ins
    ],
)
def test_a_multi_site_job_checks_in_site_by_site(tmp_path, status, mine_at, next_site, more_sites, lines):
    v = visit(status, arrivals=[arrival(ME, loc) for loc in mine_at])
    a = assignment(v, request(locations=two_sites()))
    m = OnSiteModel.of(device(tmp_path / "d.sqlite3", a), a)
    assert m.multi_site
    assert (m.next_site.id if m.next_site else None) == next_site
    assert [loc.id for loc in m.more_sites] == more_sites
    assert [line.site for line in m.arrivals] == lines


def test_a_single_site_names_no_site_and_shows_the_geofence_verdict(tmp_path):
    v = visit(S.arrived, arrivals=[arrival(ME, check="outside"), arrival(MATE)])
    a = assignment(v)
    m = OnSiteModel.of(device(tmp_path / "d.sqlite3", a), a)
    assert not m.multi_site and [(x.site, x.check, x.verified) for x in m.arrivals] == [("", "outside", False)]


@pytest.mark.parametrize(
    ("status", "notices", "expected_minutes"),
    [
        (S.approved, [], None),
        (S.approved, [late(ME, 15), late(ME, 40)], 40),  # the last one counts
        (S.en_route, [late(MATE, 30)], None),  # a teammate's notice is theirs
        (S.arrived, [late(ME, 30)], None),  # arrived: lateness is over
    ],
)
def test_running_late_shows_my_last_notice_before_arrival(tmp_path, status, notices, expected_minutes):
    arrivals = [arrival(ME)] if status is S.arrived else []
    a = assignment(visit(status, late_notices=notices, arrivals=arrivals))
    m = OnSiteModel.of(device(tmp_path / "d.sqlite3", a), a)
    expected = None if expected_minutes is None else late(ME, expected_minutes).expected_at
    assert m.late_expected_at == expected


def test_the_log_and_this_devices_actions_with_their_delivery(tmp_path):
    a = assignment(visit(S.approved), request(locations=two_sites()))
    state = device(tmp_path / "d.sqlite3", a)
    assert OnSiteModel.of(state, a).actions == []
    actions = VisitActions(state, a.id)
    assert actions.depart().ok and actions.arrive(None, "B").ok
    m = OnSiteModel.of(state, a)
    assert [(x.kind, x.site, x.delivery) for x in m.actions] == [
        ("depart", "", Delivery.pending),
        ("arrive", "Site B", Delivery.pending),  # the site of an arrival on a multi-site job
    ]
    assert m.visit.status is S.arrived and [loc.id for loc in m.more_sites] == ["A"]  # folded locally at once

    batch = state.store.take_batch()
    state.store.record_results(
        [
            EventResult(id=batch[0].event_id, outcome=Outcome.applied),
            EventResult(id=batch[1].event_id, outcome=Outcome.rejected, reason_code="too_early", reason="Too early."),
        ]
    )
    state.outbox_changed()
    m = OnSiteModel.of(state, a)
    assert [(x.delivery, x.reason_code) for x in m.actions] == [(Delivery.sent, ""), (Delivery.refused, "too_early")]
    assert m.visit.status is S.en_route and m.next_site.id == "A"  # the refused arrival is not folded
    assert state.refused == 1 and state.waiting == 0

    logged = assignment(visit(S.working, log=[log_entry("Swapped the switch")]))
    assert [e.text for e in OnSiteModel.of(device(tmp_path / "l.sqlite3", logged), logged).log] == [
        "Swapped the switch"
    ]


def test_an_unknown_assignment_or_a_signed_out_device_shows_no_panel_model(tmp_path):
    a = assignment(visit(S.approved))
    state = device(tmp_path / "d.sqlite3", a)
    assert state.assignment("ASG-NOPE") is None
    state.engineer = None
    m = OnSiteModel.of(state, a)  # no engineer: nothing is mine
    assert m.arrivals == [] and m.next_site is not None


# -- continuation consent: asked near the reservation's end, answered by the client on this phone -----------------
def _on_site_for(minutes: int, **fields):
    """Working, first arrived `minutes` ago (the request reserves 2 h + 30 min grace by default)."""
    at = NOW - timedelta(minutes=minutes)
    return visit(S.working, arrivals=[arrival(ME).model_copy(update={"at": at})], **fields)


def _ask(decision: str = "", **kw) -> ContinuationAsk:
    return ContinuationAsk(
        asked_at=NOW - timedelta(minutes=5), asked_by=ME.id, extra_minutes=30, decision=decision, **kw
    )


@pytest.mark.parametrize(
    ("on_site_minutes", "continuations", "offered"),
    [
        (60, [], False),  # well within the reservation: nothing to ask yet
        (110, [], True),  # 10 min before the end (the card warns 15 min before)
        (135, [], True),  # in the grace period
        (170, [], True),  # already in overtime: still ask before going on
        (110, [_ask()], False),  # asked: waiting for the answer
        (130, [_ask("accepted", decided_by="Aoi")], False),  # 30 more minutes agreed: not yet
        (140, [_ask("accepted", decided_by="Aoi")], True),  # the agreed time is about to run out: ask again
        (110, [_ask("declined", decided_by="Aoi")], False),  # the client said no
    ],
)
def test_asking_the_client_to_continue_is_offered_when_the_reservation_ends(
    tmp_path, on_site_minutes, continuations, offered
):
    a = assignment(_on_site_for(on_site_minutes, continuations=continuations))
    m = OnSiteModel.of(device(tmp_path / "d.sqlite3", a), a)
    assert (m.continue_minutes == CONTINUE_MINUTES) is offered
    assert m.continue_minutes in ((), CONTINUE_MINUTES)


def test_the_open_question_and_the_answer_are_shown(tmp_path):
    pending = assignment(_on_site_for(110, continuations=[_ask()]))
    m = OnSiteModel.of(device(tmp_path / "p.sqlite3", pending), pending)
    assert m.continuation_pending is not None and m.continuation_decided is None
    answered = assignment(_on_site_for(110, continuations=[_ask("declined", decided_by="Aoi", via="portal")]))
    m = OnSiteModel.of(device(tmp_path / "a.sqlite3", answered), answered)
    assert m.continuation_pending is None and m.continuation_decided.decided_by == "Aoi"


def test_asking_and_the_hand_over_answer_are_recorded_on_the_device_by_the_rules(tmp_path):
    a = assignment(_on_site_for(110))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    assert not actions.decide_continuation(True, "Ken Ito").ok  # nothing asked yet: refused at once
    assert actions.ask_continuation(45).ok
    m = OnSiteModel.of(state, a)
    assert m.continuation_pending.extra_minutes == 45 and m.continue_minutes == ()
    assert not actions.ask_continuation(15).ok  # one question at a time
    assert actions.decide_continuation(True, "Ken Ito").ok
    m = OnSiteModel.of(state, a)
    assert m.continuation_decided.decision.value == "accepted" and m.continuation_decided.via.value == "hand_over"
    assert [x.kind for x in m.actions] == ["ask_continuation", "decide_continuation"]
