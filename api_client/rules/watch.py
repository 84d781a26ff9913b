"""How a visit stands right now, for the people watching it (the desk's board): late, overtime, the time
against the reservation. Derived from the visit state and the same billing rules as the bill, never from a
template's arithmetic.

    watch(state, visit_start=..., reserved_hours=Decimal(2), grace_minutes=30, warn_before_minutes=15, now=now)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from .billing import ReservationPhase, charged_hours, reservation_phase
from .lifecycle import ENDED, ON_SITE, Status, VisitState

# An approved visit nobody has reached this long after its start is late even without a "running late" notice.
LATE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Watch:
    late: bool  # not there yet past the start (+ allowance), or an engineer said so
    expected_at: datetime | None  # the latest "running late" notice's expected time
    on_site: timedelta | None
    reserved: timedelta  # the charged reservation (2-hour minimum), without grace
    phase: ReservationPhase | None  # None before arrival
    overtime: bool
    sla_started_at: datetime | None  # the approval (the SLA clock's start)
    sla_due: datetime | None = None  # the later of approval + the retainer's response time and the visit start
    sla_breached: bool = False  # nobody arrived by then

    @property
    def reservation_percent(self) -> int:
        """On-site time as a share of the reservation, for the bar on the board (capped at 100)."""
        if self.on_site is None or not self.reserved:
            return 0
        return min(int(self.on_site / self.reserved * 100), 100)


def watch(
    state: VisitState,
    *,
    visit_start: datetime,
    reserved_hours: Decimal,
    grace_minutes: int,
    warn_before_minutes: int,
    now: datetime,
    sla_response: timedelta | None = None,
) -> Watch:
    """`sla_response`: the retainer's response time when a retainer covers the visit (None: no SLA promise)."""
    on_site = state.on_site_time(now)
    phase = None
    if on_site is not None:
        phase = reservation_phase(on_site, reserved_hours, grace_minutes, warn_before_minutes)
    expected = max((n.expected_at for n in state.late_notices), default=None)
    waiting = state.status in {Status.approved, Status.en_route} and not state.arrivals
    late = waiting and (expected is not None or now > visit_start + LATE_AFTER)
    if state.status in ENDED or state.status in ON_SITE:
        late = False
    # Reading: the retainer promises arrival within its response time of the approval — for a visit booked for
    # later, that is its start (nobody is due before the time the client asked for).
    due = (
        None
        if sla_response is None or state.approved_at is None
        else max(state.approved_at + sla_response, visit_start)
    )
    first_arrival = min((a.at for a in state.arrivals), default=None)
    breached = (
        due is not None
        and state.status is not Status.cancelled
        and (first_arrival > due if first_arrival is not None else now > due)
    )
    return Watch(
        late=late,
        expected_at=expected if waiting else None,
        on_site=on_site,
        reserved=timedelta(hours=float(charged_hours(reserved_hours))),
        phase=phase,
        overtime=phase is ReservationPhase.overtime,
        sla_started_at=state.approved_at,
        sla_due=due,
        sla_breached=breached,
    )
