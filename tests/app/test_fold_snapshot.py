"""After a restart the visit is read back from the fold the device stored, with only the later actions folded on
top — and only when that stored fold was made from the same server copy, rate card and actions: whatever happened
in between, the restarted app shows exactly what folding every action again from the server's copy gives."""

from __future__ import annotations

import json
from datetime import timedelta

from api_client.events import EventResult, Outcome, visit_event_adapter
from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.rules.lifecycle import Role, Status, VisitState, fold
from field_app import fold_snapshot
from field_app.actions import VisitActions
from field_app.fold_snapshot import SAVE_EVERY
from field_app.state import AppState
from field_app.sync import SyncReport
from tests.app.screens import ME, NOW, assignment, device, visit


def restarted(state: AppState) -> AppState:
    again = AppState(store=state.store, clock=state.clock)
    again.load_local()
    return again


def shown(state: AppState, aid: str = "ASG-1") -> VisitState:
    a = state.assignment(aid)
    assert a is not None
    return state.visit(a)


def from_scratch(state: AppState, aid: str = "ASG-1") -> VisitState:
    """Every unsent action folded again from the server's copy, the stored fold not used."""
    a = state.assignment(aid)
    assert a is not None and state.rate_card is not None
    events = [visit_event_adapter.validate_json(e.body_json) for e in state.actions(aid) if e.affects_local_state]
    return fold(a.visit, a.request, events, role=Role.engineer, actor=ME.id, card=state.rate_card)


def marked(state: AppState, text: str, aid: str = "ASG-1") -> None:
    """Change the stored fold's last log entry: a restart that shows `text` read the stored fold."""
    basis, seqs, raw = state.store.saved_fold(aid) or ("", "", "")
    stored = VisitState.model_validate_json(raw)
    stored.log[-1] = stored.log[-1].model_copy(update={"text": text})
    state.store.save_fold(aid, basis, seqs, stored.model_dump_json())


def logged(n: int, tmp_path, start: int = 0) -> tuple[AppState, VisitActions]:
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    for i in range(start, start + n):
        assert actions.log(f"entry {i}").ok
        shown(state, a.id)  # the screen re-renders after each tap
        state.apply_report(SyncReport(online=False, error="no signal"))  # the sync pass each tap wakes
    return state, actions


def test_the_fold_is_stored_every_so_many_actions_and_a_restart_starts_from_it(tmp_path):
    state, _ = logged(2 * SAVE_EVERY + 30, tmp_path)
    stored = state.store.saved_fold("ASG-1")
    assert stored is not None and len(json.loads(stored[1])) == 2 * SAVE_EVERY  # the last 30: not yet
    marked(state, "read back")
    again = restarted(state)
    log = shown(again).log
    assert len(log) == 2 * SAVE_EVERY + 30 and log[2 * SAVE_EVERY - 1].text == "read back"
    assert [e.text for e in log[2 * SAVE_EVERY :]] == [f"entry {i}" for i in range(2 * SAVE_EVERY, 2 * SAVE_EVERY + 30)]


def test_the_fold_is_stored_after_a_sync_pass_not_in_a_tap(tmp_path, monkeypatch):
    state, actions = logged(SAVE_EVERY - 1, tmp_path)
    assert state.store.saved_fold("ASG-1") is None

    def not_in_a_tap(*_: object) -> None:
        raise AssertionError("a tap wrote the stored fold")

    with monkeypatch.context() as m:
        m.setattr(state.store, "save_fold", not_in_a_tap)
        for i in range(5):
            assert actions.log(f"more {i}").ok
            shown(state)
    state.apply_report(SyncReport(online=False, error="no signal"))
    stored = state.store.saved_fold("ASG-1")
    assert stored is not None and len(json.loads(stored[1])) == SAVE_EVERY + 4


def test_a_restart_shows_what_a_full_fold_gives(tmp_path):
    state, _ = logged(SAVE_EVERY + 7, tmp_path)
    again = restarted(state)
    assert shown(again) == from_scratch(again) == shown(state)
    assert len(shown(again).log) == SAVE_EVERY + 7


def test_a_new_server_copy_makes_the_stored_fold_stale(tmp_path):
    state, _ = logged(SAVE_EVERY, tmp_path)
    marked(state, "stale")
    a = state.assignment("ASG-1")
    copy = a.visit.model_copy(update={"assisted_by": "Someone else"})  # the desk changed something
    state.store.replace_assignments([assignment(copy)], NOW + timedelta(seconds=1))
    again = restarted(state)
    assert shown(again) == from_scratch(again)
    assert shown(again).assisted_by == "Someone else" and "stale" not in {e.text for e in shown(again).log}


def test_another_rate_card_makes_the_stored_fold_stale(tmp_path):
    state, _ = logged(SAVE_EVERY, tmp_path)
    marked(state, "stale")
    state.store.save_rate_card(EXAMPLE_RATE_CARD.model_copy(update={"arrival_radius_m": 999}))
    again = restarted(state)
    assert shown(again) == from_scratch(again) and "stale" not in {e.text for e in shown(again).log}


def test_an_action_refused_by_the_server_makes_the_stored_fold_stale(tmp_path):
    state, actions = logged(SAVE_EVERY, tmp_path)
    marked(state, "stale")
    for i in range(5):  # more after the stored fold: it still covers fewer actions than are waiting
        assert actions.log(f"later {i}").ok
    batch = state.store.take_batch(limit=3)
    state.store.record_results(
        [EventResult(id=batch[1].event_id, outcome=Outcome.rejected, reason_code="x", reason="No.")], acked_at=NOW
    )
    state.store.release([batch[0], batch[2]], "no signal")
    again = restarted(state)
    texts = [e.text for e in shown(again).log]
    assert shown(again) == from_scratch(again) and len(texts) == SAVE_EVERY + 4
    assert "entry 1" not in texts and "stale" not in texts and texts[-1] == "later 4"


def test_a_restart_after_an_acknowledged_sync_folds_only_what_is_left(tmp_path):
    state, actions = logged(SAVE_EVERY, tmp_path)
    batch = state.store.take_batch(limit=1000)
    state.store.record_results([EventResult(id=e.event_id, outcome=Outcome.applied) for e in batch], acked_at=NOW)
    server = state.assignment("ASG-1").visit.model_copy(update={"log": shown(state).log})  # it has them all now
    state.store.replace_assignments([assignment(server)], NOW + timedelta(seconds=1))
    state.apply_report(SyncReport(online=True, sent=SAVE_EVERY))
    assert actions.log("after the sync").ok
    again = restarted(state)
    assert shown(again) == from_scratch(again) == shown(state)
    assert [e.text for e in shown(again).log][-2:] == [f"entry {SAVE_EVERY - 1}", "after the sync"]


def test_a_damaged_stored_fold_is_folded_again(tmp_path):
    state, _ = logged(SAVE_EVERY + 1, tmp_path)
    basis, seqs, _ = state.store.saved_fold("ASG-1") or ("", "", "")
    state.store.save_fold("ASG-1", basis, seqs, '{"status": "nonsense"')
    again = restarted(state)
    assert shown(again) == from_scratch(again) and len(shown(again).log) == SAVE_EVERY + 1


def test_the_basis_names_the_copy_the_card_the_engineer_and_the_rules(tmp_path):
    a = assignment(visit(Status.working))
    card = EXAMPLE_RATE_CARD
    one = fold_snapshot.basis(a, card, ME.id)
    assert one == fold_snapshot.basis(assignment(visit(Status.working)), card, ME.id)  # the same inputs
    assert one != fold_snapshot.basis(a, card, "ENG-OTHER")
    assert one != fold_snapshot.basis(a, card.model_copy(update={"arrival_radius_m": 1}), ME.id)
    assert one != fold_snapshot.basis(assignment(visit(Status.arrived)), card, ME.id)


def test_signing_out_drops_the_stored_folds(tmp_path):
    state, _ = logged(SAVE_EVERY, tmp_path)
    assert state.store.saved_fold("ASG-1") is not None
    state.store.clear_session_data()
    assert state.store.saved_fold("ASG-1") is None


def test_an_assignment_with_nothing_to_fold_looks_nothing_up(tmp_path, monkeypatch):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)

    def no_lookup(*_: object) -> None:
        raise AssertionError("a visit with no actions read the stored folds")

    monkeypatch.setattr(state.store, "saved_fold", no_lookup)
    assert shown(state) is state.assignment(a.id).visit  # the server's copy as it is
