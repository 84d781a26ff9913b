"""Tickets and hotels on the phone: they come with the assignment pull (an engineer's own only); their PDFs
are fetched while there is signal and kept in the device store, so the engineer can show a ticket in a
basement or on a train with no network.

    await cache_pdfs(store, client, assignments)      # from the sync's pull
    travel_lines(a, state, language)                  # what the assignment screen shows
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from api_client.errors import APIStatusError
from api_client.texts import Language, site_datetime, text
from api_client.wire import Assignment, TravelBooking

from .device_store import DeviceStore

if TYPE_CHECKING:
    from api_client.client import AsyncDispatchClient

MAX_CACHED_PDF_BYTES = 5 * 1024 * 1024  # the service's own limit: never more is kept on the phone


def pdf_key(booking_id: str) -> str:
    return f"travel_pdf:{booking_id}"


async def cache_pdfs(store: DeviceStore, client: AsyncDispatchClient, assignments: Sequence[Assignment]) -> None:
    """Fetch each booking's PDF once (a booking never changes its PDF: the desk removes and adds). A missing
    PDF is not worth failing the sync for."""
    for a in assignments:
        for b in a.travel:
            if not b.has_attachment or store.get(pdf_key(b.id)) is not None:
                continue
            try:
                pdf = await client.travel_attachment(a.id, b.id)
            except APIStatusError:
                continue
            if len(pdf) <= MAX_CACHED_PDF_BYTES:
                store.put(pdf_key(b.id), base64.b64encode(pdf).decode())


@dataclass(frozen=True)
class TravelLine:
    booking: TravelBooking
    kind: str  # the kind in the reader's language
    title: str  # "Shin-Osaka → Tokyo" or the hotel's name
    when: str  # site-local, with the zone
    detail: str  # what, the hotel's address
    confirmation: str
    pdf_on_device: bool


def travel_lines(a: Assignment, store: DeviceStore, language: Language) -> list[TravelLine]:
    tz = a.request.site_timezone
    lines = []
    for b in a.travel:
        title = b.hotel_name if b.kind == "hotel" else f"{b.from_place} → {b.to_place}".strip(" →")
        when = site_datetime(b.starts_at, tz, language)
        if b.ends_at is not None:
            when += " – " + site_datetime(b.ends_at, tz, language)
        lines.append(
            TravelLine(
                booking=b,
                kind=text(f"desk.travel.kind.{b.kind}", language) if b.kind in _KINDS else b.kind,
                title=title or b.what,
                when=when,
                detail=" · ".join(x for x in (b.what if title else "", b.address) if x),
                confirmation=b.confirmation,
                pdf_on_device=b.has_attachment and store.get(pdf_key(b.id)) is not None,
            )
        )
    return lines


_KINDS = {"train", "flight", "bus", "hotel", "car"}


def pdf_file(store: DeviceStore, booking: TravelBooking) -> Path | None:
    """The cached PDF written to a file the platform's viewer can open (the app's data folder)."""
    raw = store.get(pdf_key(booking.id))
    if raw is None:
        return None
    folder = Path(os.environ.get("FLET_APP_STORAGE_DATA") or tempfile.gettempdir()) / "tickets"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{booking.id}.pdf"
    path.write_bytes(base64.b64decode(raw))
    return path
