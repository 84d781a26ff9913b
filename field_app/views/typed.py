"""What a person has typed (or picked) in a field, as a tap's handler must read it.

A handler made during a render that reads `ft.use_state` sees the value of *that* render. Flet runs a field's
on_change for each key before a tap that came after it (events are handled in order), but the re-render that would
give the tap's handler the new text is queued behind them. On a slow phone or server a tap right after typing ran
with the text of a few keys earlier: a token cut short (refused: the list never came), a name or a log line cut short
(recorded so). Handlers read `Typed.value`, which on_change itself sets; the state only makes the screen re-render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import flet as ft
from flet.components.hooks.use_ref import MutableRef

T = TypeVar("T")


@dataclass(frozen=True)
class Typed(Generic[T]):
    _now: MutableRef[T]
    _rerender: Callable[[T], None]  # the state's setter: the screen re-renders with the new value

    @property
    def value(self) -> T:
        """What the field holds now: also what the field is rendered with (never older than the state)."""
        return self._now.current  # type: ignore[return-value]

    def changed(self, e: ft.Event[Any]) -> None:
        """The field's on_change."""
        self.set(e.control.value)

    def set(self, value: T) -> None:
        self._now.current = value
        self._rerender(value)


def use_typed(initial: T) -> Typed[T]:
    """A field's value for a component: `value=typed.value, on_change=typed.changed`; handlers read `typed.value`."""
    _, rerender = ft.use_state(initial)
    return Typed(ft.use_ref(initial), rerender)
