"""Time you can trust: the bounds on a device's clock (DOMAIN.md, "Time you can trust").

The device time says when the engineer did something; the server's receipt time says when we learned it.
Both are kept. These rules bound the device time so that a wrong clock can neither reorder a visit nor bill
a fortune; `lifecycle.apply` runs them for every event, on the phone and on the server alike.

Readings of the seed:
- "The SLA clock starts" at approval, and "without approval no engineer is sent": nothing an engineer does
  can be dated before the approval (less the clock-skew allowance between the device and the server).
- "Every transition is an event with who, when": a device's own events come in the order it made them, so
  an event may not be dated before the previous event *of the same engineer* on the visit. A crew's phones
  are offline independently and their clocks differ by seconds; their events interleave by receipt, so
  another engineer's later-dated event is no reason to refuse one.
- Arrival "at the visit date and time": accepted only inside the rate card's window around the visit start.
- A device clock ahead of the server (beyond the allowance) is refused: an event cannot be received before
  it happened. A clock behind is measured from the batch's `sent_at` and reported with the result.
- "Charges are based on the hours reserved" and overtime on on-site time: on-site time never exceeds what
  the server's own clock allows (approval to the sign-off's receipt), whatever the device says.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..events import EventKind, VisitEvent
from ..rate_card import RateCard
from ..request import ServiceRequest
from .refusal import Refused

DEFAULT_SKEW = timedelta(minutes=5)

# What an engineer's phone records; dispatcher events are stamped by the server's own clock.
DEVICE_KINDS = frozenset(
    {
        EventKind.running_late,
        EventKind.depart,
        EventKind.arrive,
        EventKind.start_work,
        EventKind.log,
        EventKind.sign_off,
        EventKind.unable_to_enter,
        EventKind.ask_continuation,
    }
)


def _clock(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def check_device_time(
    event: VisitEvent,
    *,
    request: ServiceRequest,
    card: RateCard,
    actor_last: datetime | None,
    approved_at: datetime | None,
    received_at: datetime | None,
    skew: timedelta = DEFAULT_SKEW,
) -> None:
    """Raise Refused when the event's device time cannot be right. `received_at` is None on the phone."""
    at = event.device_time
    if received_at is not None and at - received_at > skew:
        raise Refused(
            "device_clock_ahead",
            f"The device time ({_clock(at)}) is ahead of the server's ({_clock(received_at)}); "
            "set the device clock to automatic and try again.",
        )
    if event.kind not in DEVICE_KINDS:
        return
    if actor_last is not None and at < actor_last - skew:
        raise Refused(
            "time_before_previous",
            f"The device time ({_clock(at)}) is before your previous action on this visit "
            f"({_clock(actor_last)}); check the device clock.",
        )
    if approved_at is not None and at < approved_at - skew:
        raise Refused(
            "time_before_approval",
            f"The device time ({_clock(at)}) is before the visit was approved ({_clock(approved_at)}); "
            "check the device clock.",
        )
    if event.kind is EventKind.arrive:
        opens = request.visit_start - timedelta(minutes=card.arrival_window_before_minutes)
        closes = request.visit_start + timedelta(minutes=card.arrival_window_after_minutes)
        if not opens - skew <= at <= closes + skew:
            raise Refused(
                "arrival_outside_window",
                f"An arrival is accepted from {_clock(opens)} to {_clock(closes)} (around the visit start); "
                f"the device time is {_clock(at)}. Check the device clock, or call the desk.",
            )


def clock_offset(sent_at: datetime | None, received_at: datetime) -> timedelta | None:
    """Device clock minus server clock, from the batch's `sent_at` (None when the device did not say)."""
    return None if sent_at is None else sent_at - received_at


def clock_warnings(offset: timedelta | None, skew: timedelta = DEFAULT_SKEW) -> list[str]:
    if offset is None or abs(offset) <= skew:
        return []
    return ["device_clock_behind" if offset < timedelta(0) else "device_clock_ahead"]
