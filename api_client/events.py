"""Visit events: every lifecycle transition and work-log entry, as sent over the wire.

An event is created on the device (client UUID, device time, position if any) and delivered by the
outbox; the UUID is the idempotency key. The server adds the receipt time and the result.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, field_validator
from pydantic_core import PydanticCustomError

from ._base import Instant, RequestModel, ResponseModel
from .texts import Language


class EventKind(StrEnum):
    propose = "propose"
    approve = "approve"
    depart = "depart"
    running_late = "running_late"
    arrive = "arrive"
    start_work = "start_work"
    log = "log"
    sign_off = "sign_off"
    unable_to_enter = "unable_to_enter"
    cancel = "cancel"
    close = "close"
    review_overtime = "review_overtime"
    ask_continuation = "ask_continuation"  # the engineer asks the client to continue past the reservation
    decide_continuation = "decide_continuation"  # the client accepts or declines (portal or hand-over)


# Limits, enforced before any work (README "Limits"). A phone photo re-encoded by the app is well under 1 MB.
MAX_STROKES = 500
MAX_STROKE_POINTS = 5_000
MAX_SIGNATURE_POINTS = 20_000
MAX_PHOTO_BASE64_CHARS = 8_000_000  # ~6 MB of image per log photo
MAX_BATCH_EVENTS = 2_000  # a day offline goes in a few requests; the sync sizes its batches by bytes too
MAX_BATCH_ATTACHMENT_CHARS = 12_000_000  # photos + signature images in one batch (the sync splits batches)
Coordinate = Annotated[float, Field(allow_inf_nan=False, ge=-1e6, le=1e6)]


class Position(RequestModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0)


class _Event(RequestModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, description="Client-generated; the idempotency key")
    assignment_id: str = Field(min_length=1, max_length=40)
    device_time: Instant = Field(description="When it happened, by the device's clock")
    position: Position | None = None


class ProposeEvent(_Event):
    kind: Literal[EventKind.propose] = EventKind.propose
    engineer_ids: list[str] = Field(min_length=1, max_length=20)


class ApproveEvent(_Event):
    kind: Literal[EventKind.approve] = EventKind.approve
    approved_by: str = Field(min_length=1, max_length=200, description="The ordering party's approver")


class DepartEvent(_Event):
    kind: Literal[EventKind.depart] = EventKind.depart


class RunningLateEvent(_Event):
    kind: Literal[EventKind.running_late] = EventKind.running_late
    eta_minutes: int = Field(ge=5, le=600, description="Expected delay from now, in minutes")
    note: str = Field(default="", max_length=500)


class ArriveEvent(_Event):
    kind: Literal[EventKind.arrive] = EventKind.arrive
    location_id: str | None = Field(default=None, description="Which site; the first one if omitted")


class StartWorkEvent(_Event):
    kind: Literal[EventKind.start_work] = EventKind.start_work
    assisted_by: str = Field(default="", max_length=200, description="The customer's person assisting")


class LogEvent(_Event):
    kind: Literal[EventKind.log] = EventKind.log
    text: str = Field(min_length=1, max_length=4000)
    photo_base64: str | None = Field(default=None, max_length=MAX_PHOTO_BASE64_CHARS, description="JPEG/PNG, base64")


class SignOffEvent(_Event):
    kind: Literal[EventKind.sign_off] = EventKind.sign_off
    signer_name: str = Field(min_length=1, max_length=200)
    approve_leaving: bool = Field(description="I approve the team leaving the site")
    confirmed_steps: list[int] = Field(default_factory=list, description="Indexes of work steps confirmed")
    strokes: list[Annotated[list[tuple[Coordinate, Coordinate]], Field(min_length=1, max_length=MAX_STROKE_POINTS)]] = (
        Field(
            min_length=1,
            max_length=MAX_STROKES,
            description=f"The signature as drawn: strokes of (x, y) points, at most {MAX_SIGNATURE_POINTS} in all",
        )
    )
    signature_png_base64: str | None = Field(default=None, max_length=2_000_000)
    language: Language = "en"

    @field_validator("strokes")
    @classmethod
    def _bounded(cls, strokes: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
        # Every stored signature is drawn again for the report and each GET of signature.png: bound the work.
        if (total := sum(len(s) for s in strokes)) > MAX_SIGNATURE_POINTS:
            raise PydanticCustomError(
                "signature_points",
                "a signature has at most {limit} points in all; this one has {total}",
                {"limit": MAX_SIGNATURE_POINTS, "total": total},
            )
        return strokes


class UnableReason(StrEnum):
    no_local_contact = "no_local_contact"
    no_access = "no_access"
    devices_not_arrived = "devices_not_arrived"
    paperwork_missing = "paperwork_missing"
    other = "other"


class UnableToEnterEvent(_Event):
    kind: Literal[EventKind.unable_to_enter] = EventKind.unable_to_enter
    reason: UnableReason
    detail: str = Field(default="", max_length=2000)


class CancelEvent(_Event):
    kind: Literal[EventKind.cancel] = EventKind.cancel
    reason: str = Field(min_length=1, max_length=2000)


class CloseEvent(_Event):
    kind: Literal[EventKind.close] = EventKind.close


class ReviewOvertimeEvent(_Event):
    """The dispatcher's decision on overtime above the rate card's review threshold (held until then)."""

    kind: Literal[EventKind.review_overtime] = EventKind.review_overtime
    accept: bool = Field(description="true: bill all of it; false: bill only up to the threshold")
    note: str = Field(default="", max_length=2000)


class AskContinuationEvent(_Event):
    """Before the reservation ends, the engineer asks the client to continue (continuation is not guaranteed)."""

    kind: Literal[EventKind.ask_continuation] = EventKind.ask_continuation
    extra_minutes: int = Field(ge=15, le=480, description="The engineer's estimate of the extra time needed")
    note: str = Field(default="", max_length=500)


class ContinuationVia(StrEnum):
    portal = "portal"  # the ordering party, on the visit page
    hand_over = "hand_over"  # the client, on the engineer's phone


class DecideContinuationEvent(_Event):
    """The client's answer to the last question: accepted (billed as overtime) or declined (no overtime)."""

    kind: Literal[EventKind.decide_continuation] = EventKind.decide_continuation
    accept: bool
    decided_by: str = Field(min_length=1, max_length=200, description="The client's person who decided")
    via: ContinuationVia = ContinuationVia.hand_over


VisitEvent = Annotated[
    ProposeEvent
    | ApproveEvent
    | DepartEvent
    | RunningLateEvent
    | ArriveEvent
    | StartWorkEvent
    | LogEvent
    | SignOffEvent
    | UnableToEnterEvent
    | CancelEvent
    | CloseEvent
    | ReviewOvertimeEvent
    | AskContinuationEvent
    | DecideContinuationEvent,
    Field(discriminator="kind"),
]
visit_event_adapter: TypeAdapter[VisitEvent] = TypeAdapter(VisitEvent)


class Outcome(StrEnum):
    applied = "applied"
    duplicate = "duplicate"  # same id delivered again: the first result is returned
    rejected = "rejected"  # refused by a rule or malformed: final, stored with its reason
    # Not recorded, nothing decided: the device keeps the event and sends it again later.
    retry = "retry"  # transient (database busy or restarting, an earlier event of the visit is waiting)
    error = "error"  # the server failed on this event; logged with its id, shown on the device as stuck

    @property
    def final(self) -> bool:
        return self in (Outcome.applied, Outcome.duplicate, Outcome.rejected)


class EventResult(ResponseModel):
    id: uuid.UUID | None
    outcome: Outcome
    original: Outcome | None = Field(default=None, description="For a duplicate: what the first delivery got")
    reason_code: str = ""
    reason: str = ""
    received_at: datetime | None = None
    status: str | None = Field(default=None, description="The assignment's status after this event")
    clock_offset_seconds: float | None = Field(
        default=None, description="Device clock minus server clock when the batch was sent (if it said)"
    )
    warnings: list[str] = Field(default_factory=list, description="e.g. device_clock_behind: applied, but noted")


class EventBatch(RequestModel):
    unchecked_text_fields = frozenset({"events"})  # each event is validated on its own by the service
    events: list[dict[Any, object]] = Field(  # keys too are checked per event: see Ingestor._parse
        min_length=1,
        max_length=MAX_BATCH_EVENTS,
        description="Visit events (see the VisitEvent schema), applied in order. Each is validated on its "
        "own, so one malformed event is rejected without blocking the others.",
    )
    sent_at: Instant | None = Field(
        default=None,
        description="The device's clock when it sent this batch: lets the server measure the device's clock "
        "offset and report a clock that is behind or ahead",
    )

    @field_validator("events")
    @classmethod
    def _attachments_bounded(cls, events: list[dict[str, object]]) -> list[dict[str, object]]:
        total = sum(attachment_chars(e) for e in events)
        if total > MAX_BATCH_ATTACHMENT_CHARS:
            raise PydanticCustomError(
                "batch_attachments",
                "the photos and signature images of one batch may total {limit} base64 characters; this batch "
                "has {total}: send fewer events per batch",
                {"limit": MAX_BATCH_ATTACHMENT_CHARS, "total": total},
            )
        return events


def attachment_chars(event: dict[str, object]) -> int:
    """Base64 characters of an event's binary attachments (what makes a batch heavy)."""
    return sum(len(v) for k in ("photo_base64", "signature_png_base64") if isinstance(v := event.get(k), str))


class EventBatchResult(ResponseModel):
    results: list[EventResult]


class RecordedEvent(ResponseModel):
    """An event as stored: what the device said plus who sent it and when the server received it."""

    id: uuid.UUID
    assignment_id: str
    kind: EventKind
    actor: str
    device_time: datetime
    received_at: datetime
    position: Position | None = None
    outcome: Outcome
    reason_code: str = ""
    reason: str = ""
    data: dict[str, object] = Field(default_factory=dict)
    clock_offset_seconds: float | None = None
