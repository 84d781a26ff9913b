"""An assignment as an iCalendar event (RFC 5545), so the visit sits in the engineer's own calendar with the
address, floor, access notes and contacts — readable the night before without opening the app."""

from __future__ import annotations

from datetime import UTC, datetime

from api_client.contacts import display_phone
from api_client.wire import Assignment


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never inside a UTF-8 sequence)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(a: Assignment, now: datetime | None = None) -> bytes:
    r = a.request
    start = r.visit_start
    end = r.reservation_end()
    loc = r.locations[0]
    notes = [r.work.summary]
    for site in r.locations:
        notes.append(f"{site.name}: {site.address}" + (f" / {site.floor}" if site.floor else ""))
        if site.access_notes:
            notes.append(site.access_notes)
        notes += [f"{c.name}: {display_phone(c.phone)}" for c in site.local_contacts]
        notes.append(site.maps_url)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//eCorpOne//Field//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{a.id}@field.ecorpone",
        f"DTSTAMP:{_utc(now or datetime.now(UTC))}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{_escape(r.title)}",
        f"LOCATION:{_escape(f'{loc.name}, {loc.address}')}",
        f"DESCRIPTION:{_escape(chr(10).join(notes))}",
        f"URL:{loc.maps_url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
