"""The visit a screen shows is kept folded and moved on one action at a time: it must always be exactly what
folding every action again from the server's copy gives (a restarted app), whatever sync did in between."""

from __future__ import annotations

from datetime import timedelta

from api_client.events import EventResult, Outcome
from api_client.rules.lifecycle import Status, VisitState
from field_app.actions import VisitActions
from field_app.device_store import Delivery
from field_app.state import AppState
from field_app.sync import SyncReport
from tests.app.screens import NOW, assignment, device, request, two_sites, visit


def restarted(state: AppState) -> AppState:
    """A fresh view state on the same device store: nothing cached, everything folded from scratch."""
    again = AppState(store=state.store, clock=state.clock)
    again.load_local()
    return again


def shown(state: AppState, aid: str) -> VisitState:
    a = state.assignment(aid)
    assert a is not None
    return state.visit(a)


def test_a_tap_folds_only_its_action_and_matches_a_full_fold(tmp_path):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    for i in range(30):
        assert actions.log(f"entry {i}").ok
    assert [e.text for e in shown(state, a.id).log] == [f"entry {i}" for i in range(30)]
    assert shown(state, a.id) == shown(restarted(state), a.id)
    assert state.waiting == 30 and [e.kind for e in state.actions(a.id)] == ["log"] * 30


def test_a_tap_reads_nothing_back_from_the_outbox(tmp_path, monkeypatch):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    assert actions.log("first").ok
    shown(state, a.id)

    def no_reads(*_: object, **__: object) -> None:
        raise AssertionError("a tap re-read the outbox")

    for name in ("entries", "deliveries", "counts"):
        monkeypatch.setattr(state.store, name, no_reads)
    assert actions.log("second").ok and actions.log("third").ok
    assert [e.text for e in shown(state, a.id).log] == ["first", "second", "third"] and state.waiting == 3


def test_sync_results_keep_the_fold_or_redo_it_when_an_action_is_refused(tmp_path):
    a = assignment(visit(Status.approved), request(locations=two_sites()))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    assert actions.depart().ok and actions.arrive(None, "B").ok
    before = shown(state, a.id)
    assert before.status is Status.arrived

    batch = state.store.take_batch()  # offline: sent, no answer, back to pending
    state.store.release(batch, "no signal")
    state.apply_report(SyncReport(online=False, error="no signal"))
    assert shown(state, a.id) is before  # nothing that is folded changed: the same state, not folded again

    batch = state.store.take_batch()
    refused = EventResult(id=batch[1].event_id, outcome=Outcome.rejected, reason_code="too_early", reason="x")
    state.store.record_results([EventResult(id=batch[0].event_id, outcome=Outcome.applied), refused])
    state.apply_report(SyncReport(online=True, sent=2))
    after = shown(state, a.id)
    assert after.status is Status.en_route and not after.arrivals  # the refused arrival is not folded any more
    assert after == shown(restarted(state), a.id)
    assert [e.state for e in state.actions(a.id)] == [Delivery.sent, Delivery.refused] and state.refused == 1


def test_a_new_server_copy_is_folded_again_with_only_what_it_does_not_reflect(tmp_path):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    assert actions.log("one").ok and actions.log("two").ok
    batch = state.store.take_batch()
    state.store.record_results([EventResult(id=e.event_id, outcome=Outcome.applied) for e in batch], acked_at=NOW)
    assert actions.log("three").ok  # recorded after the batch went: still waiting
    copy = state.assignment(a.id).visit.model_copy(update={"log": [*shown(state, a.id).log[:2]]})
    state.store.replace_assignments([assignment(copy)], NOW + timedelta(seconds=1))  # the server has one and two
    state.apply_report(SyncReport(online=True, sent=2))
    assert [e.text for e in shown(state, a.id).log] == ["one", "two", "three"]
    assert shown(state, a.id) == shown(restarted(state), a.id)
    assert state.waiting == 1


def test_actions_recorded_outside_the_screen_are_picked_up_on_the_next_read(tmp_path):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    assert actions.log("on screen").ok
    shown(state, a.id)
    other = restarted(state)  # e.g. another part of the app writing to the same store
    assert VisitActions(other, a.id).log("elsewhere").ok
    state.outbox_changed()
    assert [e.text for e in shown(state, a.id).log] == ["on screen", "elsewhere"] and state.waiting == 2
