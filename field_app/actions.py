"""The engineer's on-site actions. Each one becomes a visit event: checked against the same rules the server
applies (a refusal is shown at once, with the reason), then appended to the outbox with the device time —
the screen updates from local state straight away and the sync loop delivers it when it can."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from api_client.events import Position, UnableReason, visit_event_adapter
from api_client.rules.lifecycle import Refused, Role, apply

from .state import AppState


@dataclass(frozen=True)
class ActionResult:
    ok: bool
    message: str = ""


class VisitActions:
    def __init__(self, state: AppState, assignment_id: str) -> None:
        self.state = state
        self.assignment_id = assignment_id

    def depart(self) -> ActionResult:
        return self._record("depart")

    def running_late(self, eta_minutes: int, note: str = "") -> ActionResult:
        return self._record("running_late", eta_minutes=eta_minutes, note=note.strip())

    def arrive(self, position: Position | None, location_id: str | None = None) -> ActionResult:
        return self._record("arrive", position=position, location_id=location_id)

    def start_work(self, assisted_by: str) -> ActionResult:
        return self._record("start_work", assisted_by=assisted_by)

    def log(self, text: str, photo: bytes | None = None) -> ActionResult:
        photo_b64 = base64.b64encode(photo).decode() if photo else None
        return self._record("log", text=text.strip(), photo_base64=photo_b64)

    def unable_to_enter(self, reason: UnableReason, detail: str = "") -> ActionResult:
        return self._record("unable_to_enter", reason=reason, detail=detail.strip())

    def ask_continuation(self, extra_minutes: int, note: str = "") -> ActionResult:
        """Continuation is not guaranteed: ask the client before working past the reservation."""
        return self._record("ask_continuation", extra_minutes=extra_minutes, note=note.strip())

    def decide_continuation(self, accept: bool, decided_by: str) -> ActionResult:
        """The client's answer, given on this phone (handed over, like the sign-off)."""
        return self._record("decide_continuation", accept=accept, decided_by=decided_by.strip(), via="hand_over")

    def sign_off(
        self,
        *,
        signer_name: str,
        approve_leaving: bool,
        confirmed_steps: list[int],
        strokes: list[list[tuple[float, float]]],
        language: str,
    ) -> ActionResult:
        return self._record(
            "sign_off",
            signer_name=signer_name.strip(),
            approve_leaving=approve_leaving,
            confirmed_steps=confirmed_steps,
            strokes=strokes,
            language=language,
        )

    def _record(self, kind: str, **fields: Any) -> ActionResult:
        state, t = self.state, self.state.t
        a = state.assignment(self.assignment_id)
        if a is None or state.engineer is None or state.rate_card is None:
            return self._fail(t("action.not_ready"))
        raw = {"kind": kind, **state.new_event_fields(self.assignment_id), **fields}
        try:
            event = visit_event_adapter.validate_python(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"][1:]) or kind
            label = t(f"field.{field}")
            return self._fail(
                t("action.invalid", field=field if label == f"field.{field}" else label, rule=first["msg"])
            )
        try:
            visit = apply(
                state.visit(a), a.request, event, role=Role.engineer, actor=state.engineer.id, card=state.rate_card
            )
        except Refused as refusal:
            return self._fail(state.refusal_text(refusal.code, refusal.message))
        # One insert, and the visit just checked becomes the one shown: nothing here reads the backlog.
        state.recorded(state.store.enqueue(event), visit)
        state.request_sync()
        return ActionResult(True)

    def _fail(self, message: str) -> ActionResult:
        self.state.notice = message
        return ActionResult(False, message)
