"""The client's sign-off, as it is being filled in on the engineer's device. The strokes are the signature:
kept as data, sent as data, drawn again on the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import flet as ft

from api_client.rate_card import RateCard
from api_client.request import WorkStep
from api_client.rules.billing import Bill
from api_client.rules.lifecycle import LogEntry, VisitState
from api_client.wire import Assignment

from .actions import ActionResult, VisitActions
from .detail_model import DetailModel
from .i18n import Language
from .state import AppState

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

    def toggle_language(self) -> None:
        self.language = "ja" if self.language == "en" else "en"

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


def client_language(a: Assignment, engineer_language: Language) -> Language:
    """The hand-over starts in the client's language when the request names one; otherwise the engineer's."""
    return a.request.languages[0] if len(a.request.languages) == 1 else engineer_language


@dataclass(frozen=True)
class SignOffModel:
    """What the hand-over screen shows the client, as plain data (the draft holds what they enter)."""

    assignment: Assignment
    visit: VisitState
    site: str
    on_site: timedelta | None  # shown once the team has arrived
    log: list[LogEntry]  # empty: "nothing logged" is shown
    bill: Bill | None  # shown with the rate card, once there is one on the device
    card: RateCard | None
    steps_to_confirm: list[tuple[int, WorkStep]]  # (index, step): the steps whose result the client confirms

    @classmethod
    def of(cls, state: AppState, a: Assignment, now: datetime) -> SignOffModel:
        m = DetailModel.of(state, a, now)
        card = state.rate_card
        return cls(
            assignment=a,
            visit=m.visit,
            site=a.request.locations[0].name,
            on_site=m.on_site,
            log=list(m.visit.log),
            bill=m.bill if card is not None else None,
            card=card,
            steps_to_confirm=[(i, s) for i, s in enumerate(a.request.work.steps) if s.confirm_after],
        )
