"""What a screen re-renders from: AppState's fields change (and notify) when its actions or a sync change what
the device holds — no counter to bump, no store to poll."""

from __future__ import annotations

import asyncio

from api_client.rules.lifecycle import Status as S
from field_app.actions import VisitActions
from field_app.device_store import DeviceStore
from field_app.state import AppState
from tests.app.conftest import signed_in
from tests.app.screens import assignment, device, visit


class Changes(list):
    """The names of the fields a subscribed screen is told about, in order."""

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self._listener = lambda _sender, name: self.append(name)  # held here: subscriptions are weak
        state.subscribe(self._listener)


def test_recording_an_action_changes_the_outbox_field(tmp_path):
    a = assignment(visit(S.approved))
    state = device(tmp_path / "d.sqlite3", a)
    seen = Changes(state)
    assert VisitActions(state, a.id).depart().ok
    assert "outbox" in seen and "waiting" in seen
    assert [e.kind for e in state.outbox[a.id]] == ["depart"] and state.waiting == 1


def test_ticking_an_item_changes_packed_items_and_survives_a_restart(tmp_path):
    a = assignment(visit(S.approved))
    state = device(tmp_path / "d.sqlite3", a)
    seen = Changes(state)
    state.toggle_packed(a.id, 2)
    state.toggle_packed(a.id, 0)
    assert seen.count("packed_items") == 2 and state.packed(a.id) == {0, 2}
    state.toggle_packed(a.id, 2)
    again = AppState(store=DeviceStore(tmp_path / "d.sqlite3"))
    again.load_local()
    assert again.packed(a.id) == {0} and again.packed("ASG-OTHER") == frozenset()


def test_a_sync_refreshes_badges_and_photos(device, demo_service):
    state = signed_in(device, demo_service, "sato")
    approved = [a for a in state.assignments if a.status is S.approved]
    assert approved and all(state.badge(a.id) for a in approved)
    device.put(f"badge:{approved[0].id}", None)  # as on a device that last synced before the approval
    state.load_local()
    assert state.badge(approved[0].id) is None
    seen = Changes(state)
    asyncio.run(state.sync_now())
    assert "badges" in seen and state.badge(approved[0].id) is not None
    assert state.engineer_photo(state.badge(approved[0].id).engineer.id)


def test_the_engineers_language_choice_wins_over_the_devices(tmp_path):
    state = AppState(store=DeviceStore(tmp_path / "d.sqlite3"), language="ja")
    state.load_local()
    state.use_device_language("en")  # the phone's setting changed: followed while nothing was chosen
    assert state.language == "en"
    state.set_language("ja")
    state.use_device_language("en")
    assert state.language == "ja"
    restarted = AppState(store=state.store, language="en")
    restarted.load_local()
    assert restarted.language == "ja"
