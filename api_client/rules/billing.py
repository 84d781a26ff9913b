"""Billing by the contract rules (DOMAIN.md, "Billing rules").

- charged hours = max(reserved, 2) per engineer, at the skill level's rate;
- on-site time beyond the charged reservation + grace is overtime, rounded UP to the rate card's increment
  and charged at rate x overtime multiplier;
- unable to enter: the full reservation, no overtime;
- expedited without a retainer SLA: the expedite fee, once per assignment;
- overtime beyond the rate card's review threshold is held (shown, not billed) until the dispatcher accepts
  it, so a wrong clock or a forgotten sign-off can never bill a fortune on its own.

Reading: the 2-hour minimum also lifts the overtime threshold; a 1-hour reservation is charged 2 hours and
overtime only starts after those 2 hours (+ grace), since the client already pays for them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ..rate_card import RateCard
from ..request import MINIMUM_CHARGED_HOURS, SkillLevel
from ..texts import bill_line, bill_note


class VisitOutcome(StrEnum):
    """How a visit stands for billing (not to be confused with an event's delivery `events.Outcome`)."""

    in_progress = "in_progress"  # live estimate while on site
    completed = "completed"  # client signed off
    unable_to_enter = "unable_to_enter"
    cancelled = "cancelled"
    not_started = "not_started"  # estimate before arrival


@dataclass(frozen=True)
class BillLine:
    code: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class BillNote:
    """Why the bill reads as it does, as a catalog code (`bill.note.<code>`) and its values: each reader gets
    it in their language (`texts.bill_note`); `Bill.notes` keeps the English for the readers of earlier releases."""

    code: str
    values: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Bill:
    currency: str
    rate_card_label: str
    lines: tuple[BillLine, ...]
    total: Decimal
    charged_hours: Decimal
    on_site_minutes: int | None
    overtime_minutes: int
    overtime_billed_minutes: int
    notes: tuple[str, ...] = field(default_factory=tuple)
    overtime_held_minutes: int = 0  # above the review threshold, awaiting the dispatcher's decision
    note_codes: tuple[BillNote, ...] = field(default_factory=tuple)


class OvertimeReview(StrEnum):
    pending = ""  # nothing decided: overtime above the threshold is held
    accepted = "accepted"
    declined = "declined"


class Continuation(StrEnum):
    """The client's latest answer to "may the engineer continue past the reservation?" (DOMAIN.md reading)."""

    none = ""  # never asked (or not answered yet): overtime is billed as the rate card says
    accepted = "accepted"  # billed as overtime, and said so on the bill and the report
    declined = "declined"  # nothing beyond the reservation (+ grace) is billed


def charged_hours(reserved_hours: Decimal) -> Decimal:
    return max(reserved_hours, MINIMUM_CHARGED_HOURS)


def is_expedited(requested_at: datetime, visit_start: datetime, urgency: int, card: RateCard) -> bool:
    """Class 4 (visit immediately) is always expedited; otherwise lead time under the card's threshold."""
    return urgency >= 4 or (visit_start - requested_at) < timedelta(hours=card.expedite_lead_hours)


def overtime_minutes(on_site: timedelta, reserved_hours: Decimal, grace_minutes: int) -> int:
    """Whole minutes beyond reservation + grace (seconds count: 1 s over is 1 minute over)."""
    allowance = timedelta(hours=float(charged_hours(reserved_hours)), minutes=grace_minutes)
    over = on_site - allowance
    return 0 if over <= timedelta(0) else math.ceil(over.total_seconds() / 60)


def round_up(minutes: int, increment: int) -> int:
    return math.ceil(minutes / increment) * increment if minutes > 0 else 0


def _money(value: Decimal, card: RateCard) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-card.minor_units), rounding=ROUND_HALF_UP)


def bill(
    *,
    skill_level: SkillLevel,
    engineer_count: int,
    reserved_hours: Decimal,
    grace_minutes: int,
    outcome: VisitOutcome,
    on_site: timedelta | None,
    expedited: bool,
    retainer_sla: bool,
    card: RateCard,
    overtime_review: OvertimeReview = OvertimeReview.pending,
    continuation: Continuation = Continuation.none,
) -> Bill:
    rate = card.rate(skill_level)
    lines: list[BillLine] = []
    notes: list[BillNote] = []

    def note(code: str, **values: int | str) -> None:
        notes.append(BillNote(code, values))

    hours = charged_hours(reserved_hours)
    over = billed = held = 0

    if outcome is VisitOutcome.cancelled:
        # Reading: the seed defines no cancellation charge; the contract may add one.
        note("cancelled")
        hours = Decimal(0)
    else:
        if outcome is VisitOutcome.not_started:
            note("estimate")
        if reserved_hours < MINIMUM_CHARGED_HOURS:
            note("minimum", reserved=str(reserved_hours), minimum=str(MINIMUM_CHARGED_HOURS))
        # The line's description is the catalog's English; readers get theirs from the same fields.
        reserved_code = "unable" if outcome is VisitOutcome.unable_to_enter else "reserved"
        desc = bill_line(reserved_code, "en", skill=skill_level, engineer_count=engineer_count, charged_hours=hours)
        qty = hours * engineer_count
        lines.append(BillLine("reserved", desc, qty, "h", rate, _money(qty * rate, card)))
        if outcome in (VisitOutcome.completed, VisitOutcome.in_progress) and on_site is not None:
            over = overtime_minutes(on_site, reserved_hours, grace_minutes)
            billed = round_up(over, card.overtime_increment_minutes)
            threshold = round_up(card.overtime_review_after_minutes, card.overtime_increment_minutes)
            if continuation is Continuation.declined:
                if over:
                    note("continuation_declined", over=over)
                billed = 0
            elif continuation is Continuation.accepted:
                note("continuation_accepted")
            if billed > threshold and overtime_review is not OvertimeReview.accepted:
                held, billed = billed - threshold, threshold
                if overtime_review is OvertimeReview.declined:
                    note("overtime_declined", threshold=threshold)
                    held = 0
                else:
                    note("overtime_held", held=held, threshold=threshold)
            if billed:
                ot_rate = _money(rate * card.overtime_multiplier, card)
                ot_qty = Decimal(billed) / 60 * engineer_count
                lines.append(
                    BillLine(
                        "overtime",
                        bill_line(
                            "overtime",
                            "en",
                            skill=skill_level,
                            engineer_count=engineer_count,
                            charged_hours=hours,
                            overtime_minutes=over,
                            overtime_billed_minutes=billed,
                        ),
                        ot_qty.quantize(Decimal("0.01")),
                        "h",
                        ot_rate,
                        _money(ot_qty * ot_rate, card),
                    )
                )

    if expedited and outcome is not VisitOutcome.cancelled:
        if retainer_sla:
            note("retainer_expedite")
        else:
            lines.append(
                BillLine(
                    "expedite",
                    bill_line("expedite", "en", skill=skill_level, engineer_count=1, charged_hours=hours),
                    Decimal(1),
                    "item",
                    card.expedite_fee,
                    _money(card.expedite_fee, card),
                )
            )
    total = _money(sum((line.amount for line in lines), Decimal(0)), card)
    return Bill(
        currency=card.currency,
        rate_card_label=card.label,
        lines=tuple(lines),
        total=total,
        charged_hours=hours,
        on_site_minutes=None if on_site is None else int(on_site.total_seconds() // 60),
        overtime_minutes=over,
        overtime_billed_minutes=billed,
        notes=tuple(bill_note(n.code, n.values, "en") for n in notes),
        overtime_held_minutes=held,
        note_codes=tuple(notes),
    )


class ReservationPhase(StrEnum):
    within = "within"
    ending_soon = "ending_soon"  # warn: continuation not guaranteed, confirm with the client
    grace = "grace"
    overtime = "overtime"


def reservation_phase(
    on_site: timedelta, reserved_hours: Decimal, grace_minutes: int, warn_before_minutes: int
) -> ReservationPhase:
    reserved = timedelta(hours=float(charged_hours(reserved_hours)))
    if on_site > reserved + timedelta(minutes=grace_minutes):
        return ReservationPhase.overtime
    if on_site > reserved:
        return ReservationPhase.grace
    if on_site >= reserved - timedelta(minutes=warn_before_minutes):
        return ReservationPhase.ending_soon
    return ReservationPhase.within
