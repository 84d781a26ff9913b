"""The client's sign-off, as it is being filled in on the engineer's device. The strokes are the signature:
kept as data, sent as data, drawn again on the report."""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from .actions import ActionResult, VisitActions
from .i18n import Language

Point = tuple[float, float]
MIN_POINTS = 5  # a tap is not a signature


@ft.observable
@dataclass
class SignOffDraft:
    assignment_id: str
    language: Language = "en"
    signer_name: str = ""
    approve_leaving: bool = False
    confirmed_steps: list[int] = field(default_factory=list)
    strokes: list[list[Point]] = field(default_factory=list)
    error: str = ""

    def start_stroke(self, x: float, y: float) -> None:
        self.strokes = [*self.strokes, [(round(x, 1), round(y, 1))]]

    def extend_stroke(self, x: float, y: float) -> None:
        if not self.strokes:
            self.start_stroke(x, y)
            return
        last = self.strokes[-1]
        self.strokes = [*self.strokes[:-1], [*last, (round(x, 1), round(y, 1))]]

    def clear_signature(self) -> None:
        self.strokes = []

    def toggle_approve_leaving(self) -> None:
        self.approve_leaving = not self.approve_leaving

    def toggle_step(self, index: int) -> None:
        steps = set(self.confirmed_steps) ^ {index}
        self.confirmed_steps = sorted(steps)

    @property
    def has_signature(self) -> bool:
        return sum(len(s) for s in self.strokes) >= MIN_POINTS

    def submit(self, actions: VisitActions, need_signature_message: str) -> ActionResult:
        if not self.has_signature:
            self.error = need_signature_message
            return ActionResult(False, self.error)
        result = actions.sign_off(
            signer_name=self.signer_name,
            approve_leaving=self.approve_leaving,
            confirmed_steps=self.confirmed_steps,
            strokes=self.strokes,
            language=self.language,
        )
        self.error = "" if result.ok else result.message
        return result
