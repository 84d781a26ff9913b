"""A tap right after typing acts on everything typed, on a slow device too.

Flet hands each typed key to the field's on_change before a later tap (events are handled in the order they came),
but the re-render that would give the tap's handler the new text is queued after them. Under load (two cores, the
browser tests) the Sign-in tap often ran with a token a few keys short — refused, and the assignment list never came
(one of ~25 browser tests each run). These tests render the real screens, type, and tap the button of the render
made *before* the typing reached the screen: what a tap queued behind the keys gets.
"""

from __future__ import annotations

import asyncio

import flet as ft

from api_client.events import UnableReason
from api_client.rules.lifecycle import Status as S
from dispatch.demo import DEMO_TOKENS
from field_app.device_store import DeviceStore
from field_app.state import AppState
from field_app.views.on_site import OnSitePanel
from field_app.views.sign_in import SignIn
from field_app.views.unable import UnableToEnter
from tests.app.rendered import Rendered, button, field, tap, type_into
from tests.app.screens import assignment, device, visit
from tests.clock import clock


def test_sign_in_tapped_right_after_typing_uses_the_whole_token(demo_service, tmp_path):
    state = AppState(store=DeviceStore(tmp_path / "device.sqlite3"), server_url=demo_service.url, clock=clock)
    state.load_local()
    shown = Rendered(SignIn, state).render()  # the screen as it is when the keys arrive

    async def go() -> None:
        type_into(field(shown, "Engineer token"), DEMO_TOKENS["sato"])
        await tap(button(shown, "Sign in"))  # queued behind the keys: no re-render in between
        state.stop_sync()

    asyncio.run(go())
    assert state.sign_in_error == "" and state.signed_in


def test_start_work_and_log_tapped_right_after_typing_record_the_whole_text(tmp_path):
    a = assignment(visit(S.arrived), aid="ASG-1")
    state = device(tmp_path / "d.sqlite3", a)
    screen = Rendered(OnSitePanel, state, a.id)
    shown = screen.render()
    type_into(field(shown, "Customer's person assisting"), "Hiroshi Ito")
    asyncio.run(tap(button(shown, "Start work")))
    assert [e.body["assisted_by"] for e in state.actions(a.id) if e.kind == "start_work"] == ["Hiroshi Ito"]

    shown = screen.render()  # working now: the log
    type_into(field(shown, "What did you do / find?"), "Old core switch removed")
    shown = screen.render()  # re-rendered with part of the text: "Add to log" enabled
    type_into(field(shown, "What did you do / find?"), "Old core switch removed; cabling labelled")
    asyncio.run(tap(button(shown, "Add to log")))
    assert [e.body["text"] for e in state.actions(a.id) if e.kind == "log"] == [
        "Old core switch removed; cabling labelled"
    ]


def test_unable_to_enter_tapped_right_after_typing_records_the_reason_and_detail(tmp_path):
    a = assignment(visit(S.approved), aid="ASG-1")
    state = device(tmp_path / "d.sqlite3", a)
    shown = Rendered(UnableToEnter, state, a.id).render()
    group = next(c for c in shown if isinstance(c, ft.RadioGroup))
    type_into(group, UnableReason.devices_not_arrived.value)
    type_into(field(shown, "Details"), "Label tape not delivered")
    asyncio.run(tap(button(shown, "Record: unable to enter")))
    (entry,) = [e for e in state.actions(a.id) if e.kind == "unable_to_enter"]
    assert (entry.body["reason"], entry.body["detail"]) == ("devices_not_arrived", "Label tape not delivered")
