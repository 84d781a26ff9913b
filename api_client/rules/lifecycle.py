"""The visit lifecycle: which event may happen in which status, and the state it leads to.

    requested -> proposed -> approved -> en_route -> arrived -> working -> signed_off -> closed
                                   \\________\\__________\\-> unable_to_enter -> closed
    requested | proposed | approved | en_route -> cancelled

`apply()` is the single place these rules live. The server folds every incoming event through it; the
app folds its not-yet-sent events through it too, so what the engineer sees offline is what the server
will accept — and a refusal carries a reason code plus a sentence for the person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import Field

from .._base import ResponseModel
from ..events import (
    ApproveEvent,
    ArriveEvent,
    AskContinuationEvent,
    CancelEvent,
    CloseEvent,
    ContinuationVia,
    DecideContinuationEvent,
    DepartEvent,
    EventKind,
    LogEvent,
    ProposeEvent,
    ReviewOvertimeEvent,
    RunningLateEvent,
    SignOffEvent,
    StartWorkEvent,
    UnableReason,
    UnableToEnterEvent,
    VisitEvent,
)
from ..rate_card import RateCard
from ..request import ServiceRequest
from ..texts import text
from .billing import Bill, Continuation, OvertimeReview, VisitOutcome, bill, charged_hours
from .geofence import verify_arrival
from .refusal import Refused
from .timing import DEFAULT_SKEW, DEVICE_KINDS, check_device_time

__all__ = ["Refused", "Role", "Status", "VisitState", "apply", "fold", "visit_bill"]

_T = TypeVar("_T")


class Status(StrEnum):
    requested = "requested"
    proposed = "proposed"
    approved = "approved"
    en_route = "en_route"
    arrived = "arrived"
    working = "working"
    signed_off = "signed_off"
    closed = "closed"
    unable_to_enter = "unable_to_enter"
    cancelled = "cancelled"


class Role(StrEnum):
    engineer = "engineer"
    dispatcher = "dispatcher"
    system = "system"  # the service itself (notifications, reports): reads everything, records nothing
    client = "client"  # a person of the ordering party, on the portal: approves, answers a continuation


DISPATCHER_KINDS = frozenset(
    {EventKind.propose, EventKind.approve, EventKind.cancel, EventKind.close, EventKind.review_overtime}
)
# What the ordering party may record itself on the portal (approve is also the desk's, for a phoned approval).
CLIENT_KINDS = frozenset({EventKind.approve, EventKind.decide_continuation})
ON_SITE = frozenset({Status.arrived, Status.working})
ENDED = frozenset({Status.signed_off, Status.closed, Status.unable_to_enter, Status.cancelled})


class Arrival(ResponseModel):
    engineer_id: str
    location_id: str
    at: datetime
    check: str
    distance_m: float | None = None
    clock_offset_s: float | None = None  # the device's clock minus the server's, when the server measured it

    @property
    def billable_from(self) -> datetime:
        return corrected(self.at, self.clock_offset_s)


def corrected(at: datetime, offset_s: float | None) -> datetime:
    """A device time on the server's clock, for the bill: a phone whose clock the server measured off by more
    than the allowance has its times moved by that much; within the allowance they are taken as they are."""
    if offset_s is None or abs(offset_s) <= DEFAULT_SKEW.total_seconds():
        return at
    return at - timedelta(seconds=offset_s)


class LateNotice(ResponseModel):
    engineer_id: str
    at: datetime
    expected_at: datetime


class LogEntry(ResponseModel):
    event_id: str
    at: datetime
    author: str
    text: str
    has_photo: bool = False


class ContinuationAsk(ResponseModel):
    """The engineer's question "may we continue past the reservation?" and the client's answer."""

    asked_at: datetime
    asked_by: str
    extra_minutes: int
    note: str = ""
    decision: Continuation = Continuation.none
    decided_at: datetime | None = None
    decided_by: str = ""
    via: ContinuationVia | None = None


class VisitState(ResponseModel):
    """Everything that happened to one assignment, folded from its applied events."""

    status: Status = Status.requested
    engineer_ids: list[str] = Field(default_factory=list)
    approved_at: datetime | None = None
    approved_by: str = ""
    departed_at: datetime | None = None
    late_notices: list[LateNotice] = Field(default_factory=list)
    arrivals: list[Arrival] = Field(default_factory=list)
    work_started_at: datetime | None = None
    assisted_by: str = ""
    log: list[LogEntry] = Field(default_factory=list)
    signed_off_at: datetime | None = None
    signer_name: str = ""
    confirmed_steps: list[int] = Field(default_factory=list)
    unable_reason: UnableReason | None = None
    unable_detail: str = ""
    ended_at: datetime | None = None
    cancel_reason: str = ""
    closed_at: datetime | None = None
    signed_off_received_at: datetime | None = None  # the server's receipt of the sign-off
    signed_off_clock_offset_s: float | None = None  # the signing phone's measured clock offset
    overtime_review: OvertimeReview = OvertimeReview.pending
    continuations: list[ContinuationAsk] = Field(default_factory=list)
    last_action_at: dict[str, datetime] = Field(
        default_factory=dict, description="Each engineer's latest device time on this visit (their clock order)"
    )

    @property
    def arrived_at(self) -> datetime | None:
        return min((a.at for a in self.arrivals), default=None)

    @property
    def continuation(self) -> Continuation:
        """The client's latest answer (what the bill follows); none while never answered."""
        decided = [c for c in self.continuations if c.decision is not Continuation.none]
        return decided[-1].decision if decided else Continuation.none

    @property
    def pending_continuation(self) -> ContinuationAsk | None:
        last = self.continuations[-1] if self.continuations else None
        return last if last is not None and last.decision is Continuation.none else None

    def on_site_since(self) -> datetime | None:
        """When billable on-site time began: the first arrival, not before the approval."""
        if not self.arrivals:
            return None
        start = min(a.billable_from for a in self.arrivals)
        return max(start, self.approved_at) if self.approved_at is not None else start

    def reservation_ends_at(self, reserved_hours: Decimal, grace_minutes: int) -> datetime | None:
        """When the charged reservation (+ grace) runs out, counted from the start of on-site time."""
        since = self.on_site_since()
        if since is None:
            return None
        return since + timedelta(hours=float(charged_hours(reserved_hours)), minutes=grace_minutes)

    @property
    def locked(self) -> bool:
        return self.status in ENDED

    @property
    def runs_with_clock(self) -> bool:
        """Someone is on site and the client has not signed: the on-site time, and so the bill, grow with "now"
        (the service stores a bill only when this is false, and computes a running one when asked)."""
        return bool(self.arrivals) and self.status in ON_SITE and self.signed_off_at is None

    def on_site_time(self, now: datetime | None = None) -> timedelta | None:
        """Arrival to sign-off (or to `now` while on site): the billable on-site time."""
        if not self.arrivals:
            return None
        start = min(a.billable_from for a in self.arrivals)
        if self.approved_at is not None:  # no one is on site for us before the approval (server time)
            start = max(start, self.approved_at)
        signed = self.signed_off_at and corrected(self.signed_off_at, self.signed_off_clock_offset_s)
        end = signed or (now if self.status in ON_SITE else None)
        if end is not None and self.signed_off_received_at is not None:  # nor after we learned of the sign-off
            end = min(end, self.signed_off_received_at)
        return None if end is None else max(end - start, timedelta(0))


_ENDED_CODES = {
    Status.signed_off: "locked",
    Status.closed: "closed",
    Status.unable_to_enter: "visit_ended",
    Status.cancelled: "cancelled",
}


def _require(state: VisitState, allowed: set[Status], code: str, **values: object) -> None:
    if state.status not in allowed:
        raise Refused(code, **values)


def apply(
    state: VisitState,
    request: ServiceRequest,
    event: VisitEvent,
    *,
    role: Role,
    actor: str,
    card: RateCard,
    received_at: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
    clock_offset: timedelta | None = None,
) -> VisitState:
    """Return the state after `event`, or raise Refused with the reason. `state` is not modified.

    `received_at` is the server's receipt time (None on the phone, which cannot know it); `skew` is the
    allowance between the device's clock and the server's; `clock_offset` is the device's clock minus the
    server's as measured when the batch arrived (None when unknown)."""
    return _step(state, request, event, role, actor, card, received_at, skew, clock_offset, _copied)


def fold(
    state: VisitState,
    request: ServiceRequest,
    events: Iterable[VisitEvent],
    *,
    role: Role,
    actor: str,
    card: RateCard,
    skew: timedelta = DEFAULT_SKEW,
) -> VisitState:
    """`apply` each event in turn, skipping the ones it refuses (as the phone folds its unsent actions, which
    the server may still refuse): the state event-by-event `apply` gives, in time linear in the events.

    `apply` leaves its input untouched, so each step copies the list it grows (the work log...): folding n log
    entries one `apply` at a time copies n²/2 entries. Here the growing lists are copied once into a working
    state only this fold holds, and each step extends them in place (the same rules, the same checks: only
    where the new entry goes differs). `state` is not modified, and is what comes back when nothing applied."""
    work = None
    for event in events:
        if work is None:
            work = state.model_copy(update={name: list(getattr(state, name)) for name in _GROWING})
        try:
            work = _step(work, request, event, role, actor, card, None, skew, None, _extended)
        except Refused:
            continue  # a refused step raised before extending anything: `work` is as it was
        state = work
    return state


_GROWING = ("late_notices", "arrivals", "log", "continuations")  # the lists a step adds one item to


def _copied(items: list[_T], item: _T) -> list[_T]:
    return [*items, item]


def _extended(items: list[_T], item: _T) -> list[_T]:
    """Only for a list a fold's working state owns, and as a step's last action (nothing may raise after it)."""
    items.append(item)
    return items


def _step(
    state: VisitState,
    request: ServiceRequest,
    event: VisitEvent,
    role: Role,
    actor: str,
    card: RateCard,
    received_at: datetime | None,
    skew: timedelta,
    clock_offset: timedelta | None,
    grow: Callable[[list[Any], Any], list[Any]],
) -> VisitState:
    if event.kind in DEVICE_KINDS and role is not Role.engineer:
        raise Refused("role", who=text("refused.role.engineer", "en"), kind=text(f"kind.{event.kind}", "en"))
    if event.kind is EventKind.decide_continuation and role not in (Role.engineer, Role.client):
        raise Refused("role", who=text("refused.role.client", "en"), kind=text(f"kind.{event.kind}", "en"))
    client_may = role is Role.client and event.kind in CLIENT_KINDS
    if event.kind in DISPATCHER_KINDS and role is not Role.dispatcher and not client_may:
        raise Refused("role", who=text("refused.role.dispatcher", "en"), kind=text(f"kind.{event.kind}", "en"))
    after_end = event.kind is EventKind.close and state.status is not Status.cancelled
    after_end |= event.kind is EventKind.review_overtime and state.status is Status.signed_off
    if state.status in ENDED and not after_end:
        raise Refused(_ENDED_CODES[state.status])
    if role is Role.engineer and actor not in state.engineer_ids:
        raise Refused("not_assigned")

    check_device_time(
        event,
        request=request,
        card=card,
        actor_last=state.last_action_at.get(actor) if role is Role.engineer else None,
        approved_at=state.approved_at,
        received_at=received_at,
        skew=skew,
    )

    _check_continuation_declined(state, request, event, role)

    # Shallow copy: every branch below replaces the lists it changes (or, in a fold's working state, extends them
    # through `grow` as its last action), so the caller's state is untouched (a deep copy per event was quadratic).
    new = state.model_copy()
    if role is Role.engineer:
        new.last_action_at = {
            **state.last_action_at,
            actor: max(event.device_time, state.last_action_at.get(actor, event.device_time)),
        }
    at = event.device_time
    match event:
        case ProposeEvent():
            _require(state, {Status.requested, Status.proposed}, "already_approved")
            if len(set(event.engineer_ids)) != request.engineer_count:
                raise Refused("engineer_count", requested=request.engineer_count, proposed=len(set(event.engineer_ids)))
            new.engineer_ids = list(dict.fromkeys(event.engineer_ids))
            new.status = Status.proposed
        case ApproveEvent():
            _require(state, {Status.proposed}, "not_proposed")
            new.status, new.approved_at, new.approved_by = Status.approved, at, event.approved_by
        case DepartEvent():
            _require(state, {Status.approved}, _not_approved_code(state), status=text(f"status.{state.status}", "en"))
            new.status, new.departed_at = Status.en_route, at
        case RunningLateEvent():
            _require(
                state,
                {Status.approved, Status.en_route},
                _not_approved_code(state),
                status=text(f"status.{state.status}", "en"),
            )
            notice = LateNotice(engineer_id=actor, at=at, expected_at=at + timedelta(minutes=event.eta_minutes))
            new.late_notices = grow(state.late_notices, notice)
        case ArriveEvent():
            _apply_arrival(new, state, request, event, actor, card, clock_offset, grow)
        case StartWorkEvent():
            _require(
                state, {Status.arrived}, "not_arrived" if state.status is not Status.working else "already_working"
            )
            if (arrived := state.arrived_at) is not None and at < arrived - skew:
                raise Refused("time_order")
            if request.assistance_required and not event.assisted_by.strip():
                raise Refused("assistance_required")
            new.status, new.work_started_at, new.assisted_by = Status.working, at, event.assisted_by.strip()
        case LogEvent():
            _require(state, set(ON_SITE), "not_on_site")
            entry = LogEntry(
                event_id=str(event.id), at=at, author=actor, text=event.text, has_photo=bool(event.photo_base64)
            )
            new.log = grow(state.log, entry)
        case SignOffEvent():
            _apply_sign_off(new, state, request, event, skew)
            new.signed_off_received_at = received_at
            new.signed_off_clock_offset_s = None if clock_offset is None else clock_offset.total_seconds()
        case UnableToEnterEvent():
            _require(
                state,
                {Status.approved, Status.en_route, Status.arrived},
                _not_approved_code(state),
                status=text(f"status.{state.status}", "en"),
            )
            if event.reason is UnableReason.other and not event.detail.strip():
                raise Refused("detail_required")
            new.status, new.unable_reason, new.unable_detail = Status.unable_to_enter, event.reason, event.detail
            new.ended_at = at
        case CancelEvent():
            _require(state, {Status.requested, Status.proposed, Status.approved, Status.en_route}, "on_site")
            new.status, new.cancel_reason, new.ended_at = Status.cancelled, event.reason, at
        case CloseEvent():
            _require(state, {Status.signed_off, Status.unable_to_enter}, "not_finished")
            new.status, new.closed_at = Status.closed, at
        case ReviewOvertimeEvent():
            _require(state, {Status.signed_off}, "not_signed_off")
            new.overtime_review = OvertimeReview.accepted if event.accept else OvertimeReview.declined
        case AskContinuationEvent():
            _require(state, set(ON_SITE), "not_on_site")
            if state.pending_continuation is not None:
                raise Refused("continuation_pending")
            if state.continuation is Continuation.declined:
                raise Refused("continuation_declined")
            ask = ContinuationAsk(asked_at=at, asked_by=actor, extra_minutes=event.extra_minutes, note=event.note)
            new.continuations = grow(state.continuations, ask)
        case DecideContinuationEvent():
            _require(state, set(ON_SITE), "not_on_site")
            if (pending := state.pending_continuation) is None:
                raise Refused("no_continuation_asked")
            decided = pending.model_copy(
                update={
                    "decision": Continuation.accepted if event.accept else Continuation.declined,
                    "decided_at": at,
                    "decided_by": event.decided_by.strip(),
                    "via": event.via,
                }
            )
            new.continuations = [*state.continuations[:-1], decided]
    return new


def _check_continuation_declined(state: VisitState, request: ServiceRequest, event: VisitEvent, role: Role) -> None:
    """Reading of "continuation is not guaranteed": once the client declined to continue, nothing an engineer
    does may be dated past the end of the reservation (+ grace) — except signing off, which ends the visit."""
    if role is not Role.engineer or event.kind is EventKind.sign_off:
        return
    if state.continuation is not Continuation.declined:
        return
    ends = state.reservation_ends_at(request.reserved, request.grace)
    if ends is not None and event.device_time > ends:
        raise Refused("reservation_ended")


def _not_approved_code(state: VisitState) -> str:
    return "not_approved" if state.status in {Status.requested, Status.proposed} else "wrong_status"


def _apply_arrival(
    new: VisitState,
    state: VisitState,
    request: ServiceRequest,
    event: ArriveEvent,
    actor: str,
    card: RateCard,
    clock_offset: timedelta | None,
    grow: Callable[[list[Any], Any], list[Any]],
) -> None:
    allowed = {Status.approved, Status.en_route, *ON_SITE}
    _require(state, allowed, _not_approved_code(state), status=text(f"status.{state.status}", "en"))
    try:
        location = request.location(event.location_id)
    except KeyError:
        raise Refused("unknown_location", location=event.location_id) from None
    if any(a.engineer_id == actor and a.location_id == location.id for a in state.arrivals):
        raise Refused("already_arrived", site=location.name)
    pos = event.position
    check = verify_arrival(
        None if pos is None else (pos.latitude, pos.longitude, pos.accuracy_m),
        (location.latitude, location.longitude),
        card.arrival_radius_m,
    )
    arrival = Arrival(
        engineer_id=actor,
        location_id=location.id,
        at=event.device_time,
        check=check.check.value,
        distance_m=check.distance_m,
        clock_offset_s=None if clock_offset is None else clock_offset.total_seconds(),
    )
    new.arrivals = grow(state.arrivals, arrival)
    if state.status not in ON_SITE:
        new.status = Status.arrived


def _apply_sign_off(
    new: VisitState, state: VisitState, request: ServiceRequest, event: SignOffEvent, skew: timedelta
) -> None:
    _require(state, {Status.working}, "not_working")
    if not event.approve_leaving:
        raise Refused("leaving_not_approved")
    steps = request.work.steps
    if bad := [i for i in event.confirmed_steps if not 0 <= i < len(steps)]:
        raise Refused("unknown_step", steps=", ".join(str(i + 1) for i in bad))
    missing = [i for i, s in enumerate(steps) if s.confirm_after and i not in event.confirmed_steps]
    if missing:
        names = "; ".join(f"{i + 1}. {steps[i].title}" for i in missing)
        raise Refused("confirmation_missing", steps=names)
    arrived = state.arrived_at
    if arrived is not None and event.device_time < arrived - skew:
        raise Refused("time_order")
    new.status, new.signed_off_at, new.ended_at = Status.signed_off, event.device_time, event.device_time
    new.signer_name, new.confirmed_steps = event.signer_name, sorted(set(event.confirmed_steps))


def outcome_of(state: VisitState) -> VisitOutcome:
    if state.status is Status.unable_to_enter or state.unable_reason is not None:
        return VisitOutcome.unable_to_enter
    if state.status is Status.cancelled:
        return VisitOutcome.cancelled
    if state.signed_off_at is not None:
        return VisitOutcome.completed
    if state.status in ON_SITE:
        return VisitOutcome.in_progress
    return VisitOutcome.not_started


def visit_bill(
    request: ServiceRequest, state: VisitState, *, expedited: bool, card: RateCard, now: datetime | None = None
) -> Bill:
    """The bill for this visit as it stands (a live estimate while on site, given `now`)."""
    return bill(
        skill_level=request.skill_level,
        engineer_count=request.engineer_count,
        reserved_hours=request.reserved,
        grace_minutes=request.grace,
        outcome=outcome_of(state),
        on_site=state.on_site_time(now),
        expedited=expedited,
        retainer_sla=request.retainer_sla,
        card=card,
        overtime_review=state.overtime_review,
        continuation=state.continuation,
    )
