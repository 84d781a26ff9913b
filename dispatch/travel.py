"""Travel & accommodation: tickets and hotels the desk books per engineer per assignment, each with an optional
PDF (ticket, voucher). An engineer sees only their own bookings, in their assignments (the wire model's
`travel`), and may download only their own PDF; the desk sees all.

    add(store, BookingIn(...), pdf=b"%PDF...", created_by="dispatcher:D-1") -> TravelBooking
    attach(store, assignments, who)      # fills Assignment.travel for what the API answers
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from api_client.wire import Assignment, TravelBooking

from .db import TravelBookingRow
from .principal import Principal
from .store import NotFound, Store, _key

KINDS = ("train", "flight", "bus", "hotel", "car")
MAX_PDF_BYTES = 5 * 1024 * 1024
MAX_PER_ENGINEER = 20  # bookings per engineer per assignment


@dataclass(frozen=True)
class BookingIn:
    """A booking as the desk's form gives it, already checked (see web/desk/travel.py)."""

    assignment_id: str
    engineer_id: str
    kind: str
    what: str
    from_place: str
    to_place: str
    hotel_name: str
    address: str
    starts_at: datetime
    ends_at: datetime | None
    confirmation: str
    attachment_name: str = ""


class TooMany(ValueError):
    pass


def _wire(r: TravelBookingRow, has_attachment: bool) -> TravelBooking:
    return TravelBooking(
        id=r.id,
        engineer_id=r.engineer_id,
        kind=r.kind,
        what=r.what,
        from_place=r.from_place,
        to_place=r.to_place,
        hotel_name=r.hotel_name,
        address=r.address,
        starts_at=r.starts_at,
        ends_at=r.ends_at,
        confirmation=r.confirmation,
        has_attachment=has_attachment,
        attachment_name=r.attachment_name,
    )


_COLUMNS = [c for c in TravelBookingRow.__table__.columns if c.key != "attachment"]


def bookings(store: Store, assignment_id: str) -> list[TravelBooking]:
    """Every booking of one assignment, in time order (the desk's page)."""
    return by_assignment(store, [assignment_id], None).get(assignment_id, [])


def by_assignment(
    store: Store, assignment_ids: Sequence[str], engineer_id: str | None
) -> dict[str, list[TravelBooking]]:
    if not assignment_ids:
        return {}
    query = select(*_COLUMNS, TravelBookingRow.attachment.is_not(None).label("has_pdf")).where(
        TravelBookingRow.assignment_id.in_(list(assignment_ids))
    )
    if engineer_id is not None:
        query = query.where(TravelBookingRow.engineer_id == engineer_id)
    out: dict[str, list[TravelBooking]] = {}
    with store.sessions() as s:
        for r in s.execute(query.order_by(TravelBookingRow.starts_at, TravelBookingRow.id)):
            fields = {k: getattr(r, k) for k in TravelBooking.model_fields if k != "has_attachment" and hasattr(r, k)}
            out.setdefault(r.assignment_id, []).append(TravelBooking(**fields, has_attachment=r.has_pdf))
    return out


def attach(store: Store, assignments: Sequence[Assignment], who: Principal) -> None:
    """Fill each assignment's `travel`: an engineer's own bookings, or all of them for the desk."""
    found = by_assignment(store, [a.id for a in assignments], None if who.sees_everything else who.engineer_id)
    for a in assignments:
        a.travel = found.get(a.id, [])


def add(store: Store, data: BookingIn, pdf: bytes | None, created_by: str) -> TravelBooking:
    with store.writing() as s:
        count = s.scalar(
            select(func.count())
            .select_from(TravelBookingRow)
            .where(
                TravelBookingRow.assignment_id == data.assignment_id,
                TravelBookingRow.engineer_id == data.engineer_id,
            )
        )
        if (count or 0) >= MAX_PER_ENGINEER:
            raise TooMany(data.engineer_id)
        row = TravelBookingRow(
            id=f"TRV-{secrets.token_hex(4).upper()}",
            assignment_id=data.assignment_id,
            engineer_id=data.engineer_id,
            kind=data.kind,
            what=data.what,
            from_place=data.from_place,
            to_place=data.to_place,
            hotel_name=data.hotel_name,
            address=data.address,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            confirmation=data.confirmation,
            attachment=pdf,
            attachment_name=data.attachment_name if pdf is not None else "",
            created_by=created_by,
            created_at=store.clock(),
        )
        s.add(row)
        store.touch(s, data.assignment_id)  # the engineer's phone fetches it again
    return _wire(row, pdf is not None)


def remove(store: Store, assignment_id: str, booking_id: str) -> bool:
    with store.writing() as s:
        result = s.execute(
            delete(TravelBookingRow).where(
                TravelBookingRow.id == _key(booking_id), TravelBookingRow.assignment_id == _key(assignment_id)
            )
        )
        if result.rowcount:  # type: ignore[attr-defined]
            store.touch(s, _key(assignment_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def attachment(store: Store, assignment_id: str, booking_id: str, who: Principal) -> tuple[str, bytes]:
    """The booking's PDF (name, content) for its own engineer or the desk; NotFound for anyone else, as for a
    booking that does not exist — another engineer's tickets are not theirs to know of."""
    with store.sessions() as s:
        row = s.get(TravelBookingRow, _key(booking_id))
        if (
            row is None
            or row.assignment_id != _key(assignment_id)
            or row.attachment is None
            or (not who.sees_everything and row.engineer_id != who.engineer_id)
        ):
            raise NotFound(booking_id)
        return row.attachment_name or f"{row.id}.pdf", row.attachment
