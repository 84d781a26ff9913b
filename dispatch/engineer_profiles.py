"""Engineers as the desk sees them: the API's engineer plus a profile (WhatsApp, base, working hours, days
off), and the pool the right-engineer ranking reads (api_client/rules/matching.py).

    profile(store, "ENG-1") -> Profile
    save_profile(store, "ENG-1", ProfileIn(...), photo=b"...")   # validated by the page first
    pool(store, request, "ASG-1") -> [EngineerDay, ...]            # every engineer, their visits around that day
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from api_client.request import ServiceRequest, SkillLevel
from api_client.rules.matching import Availability, BookedVisit, EngineerDay
from api_client.wire import Engineer

from .db import AssignmentRow, EngineerProfileRow, EngineerRow, TeamRow
from .store import NotFound, Store, _engineer, _key

# The engineer's columns the ranking needs (not the photo: hundreds of them are read per page).
_ENGINEER_FIELDS = ("id", "name", "name_ja", "company", "skill_level", "phone", "email", "languages")
_ENGINEER_COLUMNS = tuple(getattr(EngineerRow, f) for f in _ENGINEER_FIELDS)
# Visits that no longer hold the engineer's time.
_FREE_STATUSES = ("cancelled",)
# Other visits are read from a day before to a day after this one: enough for a day's conflicts and load.
_AROUND = timedelta(days=1)


@dataclass(frozen=True)
class ProfileIn:
    """A profile as the desk's form gives it, already checked (see web/desk/engineers.py)."""

    name: str
    name_ja: str
    skill_level: SkillLevel
    languages: list[str]
    phone: str | None
    email: str | None
    whatsapp: str | None
    base_address: str
    base_maps_url: str
    base_latitude: float | None
    base_longitude: float | None
    timezone: str
    work_start: str
    work_end: str
    weekly_days_off: list[int]
    days_off: list[str]


@dataclass(frozen=True)
class Profile:
    engineer: Engineer
    whatsapp: str | None = None
    base_address: str = ""
    base_maps_url: str = ""
    base_latitude: float | None = None
    base_longitude: float | None = None
    timezone: str = "Asia/Tokyo"
    work_start: str = "09:00"
    work_end: str = "18:00"
    weekly_days_off: list[int] = field(default_factory=list)
    days_off: list[str] = field(default_factory=list)

    @property
    def has_base(self) -> bool:
        return self.base_latitude is not None and self.base_longitude is not None


def _profile(engineer: EngineerRow, row: EngineerProfileRow | None) -> Profile:
    e = _engineer(engineer)
    if row is None:
        return Profile(e)
    return Profile(
        e,
        whatsapp=row.whatsapp,
        base_address=row.base_address,
        base_maps_url=row.base_maps_url,
        base_latitude=row.base_latitude,
        base_longitude=row.base_longitude,
        timezone=row.timezone,
        work_start=row.work_start,
        work_end=row.work_end,
        weekly_days_off=list(row.weekly_days_off or []),
        days_off=list(row.days_off or []),
    )


def profiles(store: Store) -> list[Profile]:
    with store.sessions() as s:
        rows = s.execute(
            select(EngineerRow, EngineerProfileRow)
            .outerjoin(EngineerProfileRow, EngineerProfileRow.engineer_id == EngineerRow.id)
            .order_by(EngineerRow.name, EngineerRow.id)
        ).all()
        return [_profile(e, p) for e, p in rows]


def profile(store: Store, engineer_id: str) -> Profile:
    with store.sessions() as s:
        engineer = s.get(EngineerRow, _key(engineer_id))
        if engineer is None:
            raise NotFound(engineer_id)
        return _profile(engineer, s.get(EngineerProfileRow, engineer.id))


def save_profile(store: Store, engineer_id: str, data: ProfileIn, photo: bytes | None = None) -> Profile:
    """Write the engineer's fields and profile together; a photo replaces the one on file (None keeps it)."""
    with store.writing() as s:
        engineer = s.get(EngineerRow, _key(engineer_id))
        if engineer is None:
            raise NotFound(engineer_id)
        engineer.name, engineer.name_ja = data.name, data.name_ja
        engineer.skill_level, engineer.languages = data.skill_level.value, list(data.languages)
        engineer.phone, engineer.email = data.phone, data.email
        if photo is not None:
            engineer.photo = photo
        row = s.get(EngineerProfileRow, engineer.id) or EngineerProfileRow(engineer_id=engineer.id)
        row.whatsapp, row.base_address, row.base_maps_url = data.whatsapp, data.base_address, data.base_maps_url
        row.base_latitude, row.base_longitude = data.base_latitude, data.base_longitude
        row.timezone, row.work_start, row.work_end = data.timezone, data.work_start, data.work_end
        row.weekly_days_off, row.days_off = list(data.weekly_days_off), list(data.days_off)
        row.updated_at = store.clock()
        s.add(row)
        return _profile(engineer, row)


def availability(p: EngineerProfileRow | Profile | None) -> Availability:
    if p is None:
        return Availability()
    base = (p.base_latitude, p.base_longitude)
    return Availability(
        timezone=p.timezone,
        work_start=time.fromisoformat(p.work_start),
        work_end=time.fromisoformat(p.work_end),
        weekly_days_off=frozenset(p.weekly_days_off or ()),
        days_off=frozenset(date.fromisoformat(d) for d in p.days_off or ()),
        base=None if None in base else base,  # type: ignore[arg-type]
    )


def _visit(
    assignment_id: str, start: datetime, hours: str | None, grace: int | None, lat: Any, lng: Any
) -> BookedVisit:
    end = start + timedelta(hours=float(hours or 2), minutes=int(grace or 0))
    point = None if lat is None or lng is None else (float(lat), float(lng))
    return BookedVisit(assignment_id, start, end, point)


# A stored request's window and first site, read by the database from its JSON: the pool reads hundreds of
# visits per page, and parsing each whole request in Python is what made the page slow (bench/candidates.py).
_REQUEST = AssignmentRow.request
_VISIT_COLUMNS = (
    _REQUEST["reserved_hours"].as_string(),
    _REQUEST["grace_minutes"].as_integer(),
    _REQUEST[("locations", 0, "latitude")].as_float(),
    _REQUEST[("locations", 0, "longitude")].as_float(),
)


def pool(store: Store, request: ServiceRequest, assignment_id: str | None = None) -> list[EngineerDay]:
    """Every engineer with their availability and their visits from a day before to a day after the request."""
    start = request.visit_start_utc()
    with store.sessions() as s:
        engineers = s.execute(
            select(*_ENGINEER_COLUMNS, EngineerRow.photo.is_not(None), EngineerProfileRow).outerjoin(
                EngineerProfileRow, EngineerProfileRow.engineer_id == EngineerRow.id
            )
        ).all()
        booked = s.execute(
            select(TeamRow.engineer_id, AssignmentRow.id, AssignmentRow.visit_start, *_VISIT_COLUMNS)
            .join(AssignmentRow, AssignmentRow.id == TeamRow.assignment_id)
            .where(
                AssignmentRow.visit_start >= start - _AROUND,
                AssignmentRow.visit_start < start + _AROUND,
                AssignmentRow.status.not_in(_FREE_STATUSES),
            )
        ).all()
    visits: dict[str, list[BookedVisit]] = {}
    for engineer_id, aid, visit_start, *window in booked:
        if aid != assignment_id:
            visits.setdefault(engineer_id, []).append(_visit(aid, visit_start, *window))
    days = []
    for *columns, has_photo, p in engineers:
        e = Engineer(**dict(zip(_ENGINEER_FIELDS, columns, strict=True)), has_photo=has_photo)
        days.append(EngineerDay(e, availability(p), tuple(visits.get(e.id, ()))))
    return days
