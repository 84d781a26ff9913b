"""A tap right after typing acts on everything typed, on a slow device too.

Flet hands each typed key to the field's on_change before a later tap (events are handled in the order they came),
but the re-render that would give the tap's handler the new text is queued after them. Under load (two cores, the
browser tests) the Sign-in tap often ran with a token a few keys short — refused, and the assignment list never came
(one of ~25 browser tests each run). These tests render the real screens, type, and tap the button of the render
made *before* the typing reached the screen: what a tap queued behind the keys gets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import flet as ft
from flet.components.component import Component, Renderer
from flet.controls.context import _context_page

from api_client.events import UnableReason
from api_client.rules.lifecycle import Status as S
from dispatch.demo import DEMO_TOKENS
from field_app.device_store import DeviceStore
from field_app.state import AppState
from field_app.views.on_site import OnSitePanel
from field_app.views.sign_in import SignIn
from field_app.views.unable import UnableToEnter
from tests.app.screens import assignment, device, visit
from tests.clock import clock


class Navigator:
    """Stands in for the page where a screen only navigates (no browser here)."""

    def __init__(self) -> None:
        self.routes: list[str] = []

    def navigate(self, route: str) -> None:
        self.routes.append(route)


class Rendered:
    """A screen component, rendered (and re-rendered, keeping its state) as the session does; the controls of a
    render carry the handlers a tap on them runs."""

    def __init__(self, screen: Callable[..., Any], *args: Any) -> None:
        self.fn = screen.__component_impl__  # type: ignore[attr-defined]
        self.args = args
        self.component = Component(fn=self.fn, args=args, kwargs={})
        self.page = Navigator()

    def render(self) -> list[ft.BaseControl]:
        self.component._state.hook_cursor = 0
        _context_page.set(self.page)  # type: ignore[arg-type]
        return list(_walk(Renderer(self.component).render(self.fn, *self.args)))


def _walk(node: Any) -> Iterator[ft.BaseControl]:
    if isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)
        return
    if not isinstance(node, ft.BaseControl):
        return
    yield node
    for name in ("_b", "content", "controls"):
        yield from _walk(getattr(node, name, None))


def field(controls: list[ft.BaseControl], label: str) -> ft.TextField:
    return next(c for c in controls if isinstance(c, ft.TextField) and c.label == label)


def button(controls: list[ft.BaseControl], label: str) -> ft.BaseControl:
    return next(c for c in controls if getattr(c, "content", None) == label and getattr(c, "on_click", None))


def type_into(control: ft.BaseControl, text: str) -> None:
    """What Flet does with a typed key: the client's value is set on the control, then on_change runs."""
    control.value = text
    control.on_change(ft.ControlEvent(control=control, name="change", data=text))


async def tap(control: ft.BaseControl) -> None:
    result = control.on_click()
    if asyncio.iscoroutine(result):
        await result


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
