"""The right engineer for a request: candidates ranked and explained, the others excluded with their reasons.

Pure functions over plain data (no I/O): the desk's page and the benchmark feed them what the store holds.

    ranking = rank(request, pool, assignment_id="ASG-1")
    ranking.candidates   # best first, each with the reasons it fits (codes + values for the catalog)
    ranking.excluded     # each with every reason it does not fit

Readings (DOMAIN.md, "the right engineer"):
- *skill* and *language*: `rules.proposal` (the same predicates the proposal rule `team_not_qualified` uses);
- *free for the reserved window plus travel*: every other visit of the engineer (proposed or later, not ended
  as cancelled) must end, plus the travel from its site to this one, before this visit starts, or start after
  this visit's reserved end (grace included) plus the travel back. No double booking, no teleporting;
- *travel time*: the great-circle distance (geopy) at `TRAVEL_SPEED_KMH` door to door, rounded up to the
  minute; `UNKNOWN_TRAVEL_MINUTES` when a site or the base has no coordinates (never zero: unknown is not near);
- *working hours and days off*: the reserved window lies inside the engineer's working hours on that day, in
  the engineer's own time zone, and that day is not a day off (weekly or a dated one);
- *distance*: from the site of the engineer's previous visit that day, else from their base;
- *load*: the engineer's visits that day (their local date). Ranking: `distance + LOAD_WEIGHT_KM × visits`, then
  the least over-qualified (a specialist stays free for specialist work), then the name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from geopy.distance import great_circle

from ..request import ServiceRequest
from ..wire import Engineer
from .proposal import covers_skill, speaks_for

# Door to door between sites in and around a city: train, walking, the last stretch by taxi. A reading, not a
# timetable; the dispatcher sees the minutes and decides.
TRAVEL_SPEED_KMH = 30.0
# Travel between two points when either has no coordinates: an hour, so "unknown" is never "next door".
UNKNOWN_TRAVEL_MINUTES = 60
# Ranking weight: one more visit that day counts like this many more kilometres away.
LOAD_WEIGHT_KM = 15.0
DEFAULT_WORK_START = time(9, 0)
DEFAULT_WORK_END = time(18, 0)
DEFAULT_TIMEZONE = "Asia/Tokyo"

Point = tuple[float, float]


@dataclass(frozen=True)
class BookedVisit:
    """Another visit the engineer is on: its reserved window (UTC) and where it is."""

    assignment_id: str
    start: datetime
    end: datetime
    point: Point | None = None
    end_point: Point | None = None  # a multi-site visit ends at its last site

    @property
    def leaves_from(self) -> Point | None:
        return self.end_point or self.point


@dataclass(frozen=True)
class Availability:
    """When and from where the engineer works (their profile)."""

    timezone: str = DEFAULT_TIMEZONE
    work_start: time = DEFAULT_WORK_START
    work_end: time = DEFAULT_WORK_END
    weekly_days_off: frozenset[int] = frozenset()  # 0 = Monday ... 6 = Sunday
    days_off: frozenset[date] = frozenset()
    base: Point | None = None


@dataclass(frozen=True)
class EngineerDay:
    """One engineer as the ranking sees them: who, their availability, their other visits around that day."""

    engineer: Engineer
    availability: Availability = field(default_factory=Availability)
    visits: tuple[BookedVisit, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One line of explanation: a catalog key (`match.*`) and its values, already formatted for any language."""

    code: str
    values: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    engineer: Engineer
    reasons: tuple[Reason, ...]
    distance_km: float | None
    from_visit: str | None  # None: from the base
    travel_minutes: int
    visits_today: int
    score: float


@dataclass(frozen=True)
class Excluded:
    engineer: Engineer
    reasons: tuple[Reason, ...]

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]


@dataclass(frozen=True)
class Ranking:
    needed: int
    candidates: list[Candidate]
    excluded: list[Excluded]


@dataclass(frozen=True)
class Wanted:
    """What the request asks, as matching needs it."""

    request: ServiceRequest
    start: datetime
    end: datetime
    point: Point | None
    end_point: Point | None
    site_tz: ZoneInfo

    @classmethod
    def of(cls, request: ServiceRequest) -> Wanted:
        first, last = request.locations[0], request.locations[-1]
        return cls(
            request=request,
            start=request.visit_start_utc(),
            end=request.reservation_end(),
            point=_point(first.latitude, first.longitude),
            end_point=_point(last.latitude, last.longitude),
            site_tz=ZoneInfo(request.site_timezone),
        )

    def hhmm(self, moment: datetime) -> str:
        local = moment.astimezone(self.site_tz)
        return f"{local.hour:02d}:{local.minute:02d}"


def _point(lat: float | None, lng: float | None) -> Point | None:
    return None if lat is None or lng is None else (lat, lng)


def forget_distances() -> None:
    """Empty the distance cache (the benchmark measures a cold ranking)."""
    _distance.cache_clear()


def distance_km(a: Point, b: Point) -> float:
    return _distance(a, b) if a <= b else _distance(b, a)  # one cache entry per pair, either way round


@lru_cache(maxsize=65_536)
def _distance(a: Point, b: Point) -> float:
    return great_circle(a, b).km


def travel_minutes(a: Point | None, b: Point | None) -> int:
    """Minutes to get from a to b at the assumed speed; unknown coordinates give UNKNOWN_TRAVEL_MINUTES."""
    if a is None or b is None:
        return UNKNOWN_TRAVEL_MINUTES
    return math.ceil(distance_km(a, b) / TRAVEL_SPEED_KMH * 60)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def conflicts(wanted: Wanted, visits: Iterable[BookedVisit]) -> list[Reason]:
    """Every other visit that leaves no time for this one plus the travel to and from it."""
    found = []
    for v in visits:
        # Travel matters only across a gap: a visit that overlaps the window conflicts whatever the distance.
        travel = 0
        if v.end <= wanted.start:
            travel = travel_minutes(v.leaves_from, wanted.point)
            free = v.end + timedelta(minutes=travel) <= wanted.start
        elif v.start >= wanted.end:
            travel = travel_minutes(wanted.end_point, v.point)
            free = wanted.end + timedelta(minutes=travel) <= v.start
        else:
            free = False
        if not free:
            found.append(
                Reason(
                    "match.travel_tight" if travel else "match.double_booked",
                    {
                        "assignment": v.assignment_id,
                        "start": wanted.hhmm(v.start),
                        "end": wanted.hhmm(v.end),
                        "travel": travel,
                    },
                )
            )
    return found


def outside_hours(wanted: Wanted, a: Availability) -> list[Reason]:
    """A day off, or a reserved window outside the engineer's working hours (their time zone)."""
    tz = _zone(a.timezone)
    start, end = wanted.start.astimezone(tz), wanted.end.astimezone(tz)
    day = start.date()
    if day in a.days_off or day.weekday() in a.weekly_days_off:
        return [Reason("match.day_off", {"date": day.isoformat(), "weekday": str(day.weekday())})]
    latest_end = datetime.combine(day, a.work_end, tz) if a.work_end != time(0) else None
    earliest = datetime.combine(day, a.work_start, tz)
    if start < earliest or (latest_end is not None and end > latest_end):
        return [
            Reason(
                "match.hours",
                {
                    "from": a.work_start.strftime("%H:%M"),
                    "to": a.work_end.strftime("%H:%M"),
                    "start": start.strftime("%H:%M"),
                    "end": end.strftime("%H:%M"),
                    "zone": start.tzname() or a.timezone,
                },
            )
        ]
    return []


def judge(wanted: Wanted, day: EngineerDay, assignment_id: str | None = None) -> Candidate | Excluded:
    """One engineer against the request: a candidate with its reasons, or excluded with every reason."""
    e, request = day.engineer, wanted.request
    visits = [v for v in day.visits if v.assignment_id != assignment_id]
    problems: list[Reason] = []
    if not covers_skill(request, e):
        problems.append(Reason("match.skill", {"level": e.skill_level.value, "needed": request.skill_level.value}))
    if not speaks_for(request, e):
        problems.append(
            Reason("match.language", {"speaks": ",".join(e.languages), "needed": ",".join(request.languages)})
        )
    problems += outside_hours(wanted, day.availability)
    problems += conflicts(wanted, visits)
    if problems:
        return Excluded(e, tuple(problems))

    tz = _zone(day.availability.timezone)
    local_day = wanted.start.astimezone(tz).date()
    today = [v for v in visits if v.start.astimezone(tz).date() == local_day]
    before = [v for v in today if v.end <= wanted.start]
    previous = max(before, key=lambda v: v.end) if before else None
    origin = previous.leaves_from if previous else day.availability.base
    distance = distance_km(origin, wanted.point) if origin is not None and wanted.point is not None else None
    travel = travel_minutes(origin, wanted.point)
    reasons = [
        Reason("match.ok.skill", {"level": e.skill_level.value, "needed": request.skill_level.value}),
        Reason("match.ok.language", {"speaks": ",".join(e.languages)}),
        Reason("match.ok.free", {"start": wanted.hhmm(wanted.start), "end": wanted.hhmm(wanted.end)}),
    ]
    if distance is None:
        reasons.append(Reason("match.ok.distance_unknown", {"travel": travel}))
    elif previous is not None:
        reasons.append(
            Reason(
                "match.ok.from_visit",
                {"km": f"{distance:.1f}", "assignment": previous.assignment_id, "travel": travel},
            )
        )
    else:
        reasons.append(Reason("match.ok.from_base", {"km": f"{distance:.1f}", "travel": travel}))
    reasons.append(Reason("match.ok.load", {"count": len(today)}))
    km = distance if distance is not None else TRAVEL_SPEED_KMH * UNKNOWN_TRAVEL_MINUTES / 60
    return Candidate(
        engineer=e,
        reasons=tuple(reasons),
        distance_km=distance,
        from_visit=previous.assignment_id if previous else None,
        travel_minutes=travel,
        visits_today=len(today),
        score=km + LOAD_WEIGHT_KM * len(today),
    )


def rank(request: ServiceRequest, pool: Sequence[EngineerDay], assignment_id: str | None = None) -> Ranking:
    """Every engineer of the pool judged; candidates best first, the excluded by name."""
    wanted = Wanted.of(request)
    candidates: list[Candidate] = []
    excluded: list[Excluded] = []
    for day in pool:
        verdict = judge(wanted, day, assignment_id)
        (candidates if isinstance(verdict, Candidate) else excluded).append(verdict)  # type: ignore[arg-type]
    need = request.skill_level.rank
    candidates.sort(key=lambda c: (c.score, c.engineer.skill_level.rank - need, c.engineer.name, c.engineer.id))
    excluded.sort(key=lambda x: (x.engineer.name, x.engineer.id))
    return Ranking(needed=request.engineer_count, candidates=candidates, excluded=excluded)
