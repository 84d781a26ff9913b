"""What the on-site panel shows and offers next — every decision of the panel as plain data.

The panel (views/on_site.py) maps this to widgets and keeps only what is being typed; the rules for "what comes
next" live here and are tested as tables without a screen (tests/app/test_on_site_model.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from api_client.events import UnableReason
from api_client.request import Location
from api_client.rules.billing import Continuation, charged_hours
from api_client.rules.lifecycle import ON_SITE, Arrival, ContinuationAsk, LogEntry, Status, VisitState
from api_client.wire import Assignment

from .device_store import Delivery, OutboxEntry
from .state import AppState
from .sync import BADGE_STATUSES

BEFORE_ARRIVAL = frozenset({Status.approved, Status.en_route})
LATE_MINUTES = (15, 30, 60)  # the "running late" choices: one tap each
# The panel shows the latest work-log entries and actions, not a day's backlog of thousands (each is a control to
# build and send to the screen); refused and stuck actions are shown whatever their age: never silently dropped.
SHOWN = 20
CONTINUE_MINUTES = (15, 30, 60, 90)  # "ask the client to continue": the estimate of extra time, one tap each


@dataclass(frozen=True)
class ArrivalLine:
    """A site this engineer checked in at, with the geofence verdict."""

    site: str  # the site's name on a multi-site job, "" otherwise
    check: str  # "verified", "outside", "unverified", ...
    distance_m: float | None
    at: datetime

    @property
    def verified(self) -> bool:
        return self.check == "verified"


@dataclass(frozen=True)
class ActionLine:
    """One action this device recorded, and what became of it: nothing refused is ever silently dropped."""

    at: datetime
    kind: str
    site: str  # the site of an arrival on a multi-site job, "" otherwise
    delivery: Delivery
    reason_code: str
    reason: str
    stuck: bool = False  # waiting, and the server failed on it last time


@dataclass(frozen=True)
class SignedOff:
    signer: str
    at: datetime


@dataclass(frozen=True)
class OnSiteModel:
    assignment: Assignment
    visit: VisitState
    multi_site: bool
    # Before arrival: the big "Arrived" button for the next site, departing, running late.
    next_site: Location | None
    can_depart: bool
    late_minutes: tuple[int, ...]  # empty: running late is not offered now
    late_expected_at: datetime | None  # my last late notice
    # Checked in: one line per site, and a button for each site of a multi-site job still to check in at.
    arrivals: list[ArrivalLine]
    more_sites: list[Location]
    # Arrived: start the work (naming the client's assistant where one is required).
    can_start: bool
    needs_assistant: bool
    can_report_unable: bool
    # Working: the live timer, the work log, the sign-off.
    show_timer: bool
    can_log: bool
    can_sign: bool
    # Ended.
    signed_off: SignedOff | None
    unable_reason: UnableReason | None
    show_badge: bool
    log: list[LogEntry]  # the latest SHOWN
    actions: list[ActionLine]  # the latest SHOWN, and every older one refused or stuck
    earlier_log: int = 0  # entries before those in `log`
    earlier_actions: int = 0  # actions before those in `actions`, not shown
    # Continuation is not guaranteed: near the reservation's end, ask the client (then hand the phone over).
    continue_minutes: tuple[int, ...] = ()  # empty: asking is not offered now
    continuation_pending: ContinuationAsk | None = None  # asked, waiting for the client's answer
    continuation_decided: ContinuationAsk | None = None  # the client's latest answer

    @property
    def empty(self) -> bool:
        """Nothing to show or do (e.g. a visit still being arranged, with no action on this device)."""
        return not (
            self.next_site
            or self.arrivals
            or self.can_start
            or self.can_sign
            or self.signed_off
            or self.unable_reason
            or self.show_badge
            or self.log
            or self.actions
        )

    @classmethod
    def of(cls, state: AppState, a: Assignment) -> OnSiteModel:
        visit = state.visit(a)
        r, status = a.request, visit.status
        me = state.engineer.id if state.engineer else None
        mine = [x for x in visit.arrivals if x.engineer_id == me]
        checked_in = {x.location_id for x in mine}
        pending = [loc for loc in r.locations if loc.id not in checked_in]
        multi = len(r.locations) > 1
        # Arrival is offered before it, and to a team member who joins an assignment already on site.
        arriving = bool(pending) and (status in BEFORE_ARRIVAL or (status in ON_SITE and not mine))
        late = [n for n in visit.late_notices if n.engineer_id == me]
        working = status is Status.working
        entries = state.actions(a.id)
        recent = len(entries) - SHOWN
        shown = [e for i, e in enumerate(entries) if i >= recent or e.state is Delivery.refused or e.stuck]
        return cls(
            assignment=a,
            visit=visit,
            multi_site=multi,
            next_site=pending[0] if arriving else None,
            can_depart=arriving and status is Status.approved,
            late_minutes=LATE_MINUTES if arriving else (),
            late_expected_at=late[-1].expected_at if arriving and late else None,
            arrivals=[_arrival_line(a, x, multi) for x in mine],
            more_sites=pending if mine and status in ON_SITE else [],
            can_start=status is Status.arrived,
            needs_assistant=status is Status.arrived and r.assistance_required,
            can_report_unable=arriving or status is Status.arrived,
            show_timer=working,
            can_log=working,
            can_sign=working,
            signed_off=(
                SignedOff(visit.signer_name, visit.signed_off_at)
                if status in (Status.signed_off, Status.closed) and visit.signed_off_at
                else None
            ),
            unable_reason=visit.unable_reason if status is Status.unable_to_enter else None,
            show_badge=status in BADGE_STATUSES,
            log=list(visit.log[-SHOWN:]),
            actions=[_action_line(a, e, multi) for e in shown],
            earlier_log=max(len(visit.log) - SHOWN, 0),
            earlier_actions=len(entries) - len(shown),
            continue_minutes=CONTINUE_MINUTES if _may_ask_to_continue(state, a, visit) else (),
            continuation_pending=visit.pending_continuation if status in ON_SITE else None,
            continuation_decided=next(
                (c for c in reversed(visit.continuations) if c.decision is not Continuation.none), None
            ),
        )


def _may_ask_to_continue(state: AppState, a: Assignment, visit: VisitState) -> bool:
    """Working, no question open, no "no" from the client, and the time agreed — the reservation plus any
    accepted continuation — about to end or ended (from the rate card's warning on)."""
    card = state.rate_card
    if visit.status is not Status.working or card is None or visit.pending_continuation is not None:
        return False
    if visit.continuation is Continuation.declined:
        return False
    on_site = visit.on_site_time(state.clock())
    if on_site is None:
        return False
    agreed = sum(c.extra_minutes for c in visit.continuations if c.decision is Continuation.accepted)
    limit = timedelta(hours=float(charged_hours(a.request.reserved)), minutes=agreed - card.warn_before_minutes)
    return on_site >= limit


def _arrival_line(a: Assignment, arrival: Arrival, multi: bool) -> ArrivalLine:
    site = a.request.location(arrival.location_id).name if multi else ""
    return ArrivalLine(site, arrival.check, arrival.distance_m, arrival.at)


def _action_line(a: Assignment, entry: OutboxEntry, multi: bool) -> ActionLine:
    site = ""
    location_id = entry.body.get("location_id")
    if entry.kind == "arrive" and multi and location_id:
        try:
            site = a.request.location(str(location_id)).name
        except KeyError:
            site = ""
    return ActionLine(
        entry.device_time, entry.kind, site, entry.state, entry.reason_code, entry.reason, stuck=entry.stuck
    )
