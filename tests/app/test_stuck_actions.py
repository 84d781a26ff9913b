"""What the engineer sees when the service could not record an action: kept, retried, and said so — never
dropped, never shown as refused; and a clock the service measured off, in the sync bar."""

from __future__ import annotations

import uuid

from api_client.events import EventResult, LogEvent, Outcome
from api_client.rules.lifecycle import Status
from field_app.actions import VisitActions
from field_app.device_store import Delivery
from field_app.on_site_model import OnSiteModel
from field_app.sync import Syncer, SyncReport
from tests.app.screens import NOW, assignment, device, visit


def test_an_action_the_server_failed_on_is_shown_stuck_and_kept(tmp_path):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    assert VisitActions(state, a.id).log("Cables labelled").ok
    [entry] = state.store.take_batch()
    error = EventResult(id=uuid.UUID(entry.event_id), outcome=Outcome.error, reason_code="server_error", reason="x")
    state.store.record_results([error])
    state.outbox_changed()
    [line] = [x for x in OnSiteModel.of(state, a).actions if x.kind == "log"]
    assert line.stuck and line.delivery is Delivery.pending  # waiting, retried: not refused
    assert state.stuck == 1 and state.waiting == 1 and state.refused == 0
    retry = EventResult(id=uuid.UUID(entry.event_id), outcome=Outcome.applied)
    state.store.take_batch()
    state.store.record_results([retry])
    state.outbox_changed()
    assert state.stuck == 0 and state.waiting == 0


def test_a_clock_measured_off_is_shown_in_minutes(tmp_path):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    syncer = Syncer(state.store, client=None, clock=lambda: NOW)  # type: ignore[arg-type]
    event = LogEvent(assignment_id=a.id, device_time=NOW, text="x")
    behind = EventResult(
        id=event.id, outcome=Outcome.applied, clock_offset_seconds=-600.0, warnings=["device_clock_behind"]
    )
    syncer._note_clock([behind])  # what push() does with every answer
    state.apply_report(SyncReport(online=True))
    assert state.clock_off_minutes == -10
    fine = EventResult(id=event.id, outcome=Outcome.applied, clock_offset_seconds=-3.0, warnings=[])
    syncer._note_clock([fine])
    state.apply_report(SyncReport(online=True))
    assert state.clock_off_minutes == 0
