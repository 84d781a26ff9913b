"""Screens rendered as the Flet session renders them, without a browser: find a field or a button in a render,
type into it and tap it the way Flet delivers those events (the client's value set on the control, then its
handler)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import flet as ft
from flet.components.component import Component, Renderer
from flet.controls.context import _context_page


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
