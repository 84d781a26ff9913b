"""A day's backlog on the on-site panel: the latest entries and actions are shown with a count of the earlier ones
(each shown line is a control to build and send), and a refused or stuck action is shown whatever its age."""

from __future__ import annotations

import uuid

from api_client.events import EventResult, Outcome
from api_client.rules.lifecycle import Status
from field_app.actions import VisitActions
from field_app.device_store import Delivery
from field_app.i18n import Translator
from field_app.on_site_model import SHOWN, OnSiteModel
from tests.app.screens import assignment, device, visit


def test_the_panel_shows_the_latest_and_counts_the_rest(tmp_path):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    for i in range(SHOWN + 15):
        assert actions.log(f"entry {i}").ok
    m = OnSiteModel.of(state, a)
    assert [e.text for e in m.log] == [f"entry {i}" for i in range(15, SHOWN + 15)] and m.earlier_log == 15
    assert len(m.actions) == SHOWN and m.earlier_actions == 15
    assert Translator("en")("onsite.earlier", n=15) == "… and 15 earlier"


def test_an_old_refused_or_stuck_action_stays_on_the_panel(tmp_path):
    a = assignment(visit(Status.working))
    state = device(tmp_path / "d.sqlite3", a)
    actions = VisitActions(state, a.id)
    assert actions.log("refused one").ok and actions.log("stuck one").ok
    first, second = state.store.take_batch()
    state.store.record_results(
        [
            EventResult(id=uuid.UUID(first.event_id), outcome=Outcome.rejected, reason_code="x", reason="No."),
            EventResult(id=uuid.UUID(second.event_id), outcome=Outcome.error, reason_code="server_error", reason="!"),
        ]
    )
    state.outbox_changed()
    for i in range(SHOWN + 5):
        assert actions.log(f"entry {i}").ok
    m = OnSiteModel.of(state, a)
    assert [(x.delivery, x.stuck) for x in m.actions[:2]] == [(Delivery.refused, False), (Delivery.pending, True)]
    assert len(m.actions) == SHOWN + 2 and m.earlier_actions == 5
