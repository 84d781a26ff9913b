"""What the assignment screen shows, computed from the view state — plain data, no widgets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from api_client.contacts import display_phone, mailto_url, tel_url, whatsapp_url
from api_client.maps import directions_url, link_to_open
from api_client.rate_card import RateCard
from api_client.request import Contact, Location
from api_client.rules.billing import Bill, BillLine, ReservationPhase, reservation_phase
from api_client.rules.lifecycle import ON_SITE, VisitState, visit_bill
from api_client.texts import bill_line, has_text
from api_client.wire import Assignment

from .i18n import Translator
from .state import AppState
from .travel import TravelLine, travel_lines


@dataclass(frozen=True)
class ContactLine:
    name: str
    role: str
    phone: str | None  # display form, +81 3-6825-1234
    tel: str | None
    whatsapp: str | None
    email: str | None
    mailto: str | None

    @classmethod
    def of(cls, c: Contact, subject: str) -> ContactLine:
        return cls(
            name=c.name,
            role=c.role,
            phone=display_phone(c.phone) if c.phone else None,
            tel=tel_url(c.phone) if c.phone else None,
            whatsapp=whatsapp_url(c.whatsapp) if c.whatsapp else None,
            email=c.email,
            mailto=mailto_url(c.email, subject) if c.email else None,
        )


@dataclass(frozen=True)
class SiteLine:
    location: Location
    maps_url: str
    directions_url: str
    short_link: bool
    contacts: list[ContactLine]


def bill_line_label(line: BillLine, bill: Bill, a: Assignment, visit: VisitState, card: RateCard, t: Translator) -> str:
    """A bill line in the reader's language, from its structured fields (the catalog's `bill_line`)."""
    code = "unable" if line.code == "reserved" and visit.unable_reason is not None else line.code
    if not has_text(f"bill.{code}"):
        return line.description  # a line a newer service added: its own (English) words
    return bill_line(
        code,
        t.language,
        skill=a.request.skill_level,
        engineer_count=a.request.engineer_count,
        charged_hours=bill.charged_hours,
        overtime_minutes=bill.overtime_minutes,
        overtime_billed_minutes=bill.overtime_billed_minutes,
    )


@dataclass(frozen=True)
class DetailModel:
    assignment: Assignment
    visit: VisitState
    sites: list[SiteLine]
    ordering_engineer: ContactLine
    bill: Bill | None
    on_site: timedelta | None
    phase: ReservationPhase | None
    travel: tuple[TravelLine, ...] = ()  # the engineer's own tickets and hotels (PDFs cached on the device)

    @classmethod
    def of(cls, state: AppState, a: Assignment, now: datetime | None = None) -> DetailModel:
        now = now or state.clock()
        visit = state.visit(a)
        subject = f"[{a.request.reference or a.id}] {a.request.title}"
        sites = [
            SiteLine(
                location=loc,
                maps_url=(link := link_to_open(loc.maps_url, loc.latitude, loc.longitude, loc.address)).url,
                directions_url=directions_url(loc.latitude, loc.longitude, loc.address),
                short_link=link.short_link,
                contacts=[ContactLine.of(c, subject) for c in loc.local_contacts],
            )
            for loc in a.request.locations
        ]
        card = state.rate_card
        bill = visit_bill(a.request, visit, expedited=a.expedited, card=card, now=now) if card else None
        on_site = visit.on_site_time(now)
        phase = None
        if on_site is not None and card is not None and visit.status in ON_SITE:
            phase = reservation_phase(on_site, a.request.reserved, a.request.grace, card.warn_before_minutes)
        travel = tuple(travel_lines(a, state.store, state.language))
        return cls(
            a, visit, sites, ContactLine.of(a.request.ordering_party.engineer, subject), bill, on_site, phase, travel
        )
