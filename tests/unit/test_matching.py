"""The right engineer (api_client/rules/matching.py) as tables: skill, language, overlap with the travel buffer,
days off, working hours, distance and load. The visit: Thursday 2026-12-03, 14:00–16:30 Tokyo (2 h + 30 min
grace) at Tokyo Station; times below are Tokyo times."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from api_client.request import ServiceRequest
from api_client.rules.matching import (
    TRAVEL_SPEED_KMH,
    UNKNOWN_TRAVEL_MINUTES,
    Availability,
    BookedVisit,
    Candidate,
    EngineerDay,
    Excluded,
    distance_km,
    rank,
    travel_minutes,
)
from api_client.wire import Engineer
from tests.factories import TOKYO_STATION, request_data

TOKYO = ZoneInfo("Asia/Tokyo")
SHINAGAWA = (35.6285, 139.7387)  # ~6.4 km from Tokyo Station: 13 min at 30 km/h
YOKOHAMA = (35.4660, 139.6223)  # ~27.3 km: 55 min
OSAKA = (34.7025, 135.4959)  # ~400 km


def at(hhmm: str, day: int = 3) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime(2026, 12, day, h, m, tzinfo=TOKYO)


def request(**kw: object) -> ServiceRequest:
    return ServiceRequest.model_validate(request_data(visit_start=at("14:00").isoformat(), **kw))


def engineer(eid: str = "E1", skill: str = "senior", languages: tuple[str, ...] = ("en",)) -> Engineer:
    return Engineer(id=eid, name=f"Eng {eid}", company="eCorpOne", skill_level=skill, languages=list(languages))


def visit(start: str, end: str, point: tuple[float, float] | None = SHINAGAWA, aid: str = "ASG-OTHER") -> BookedVisit:
    return BookedVisit(aid, at(start), at(end), point)


def judge_one(day: EngineerDay, **req: object) -> Candidate | Excluded:
    ranking = rank(request(**req), [day])
    return (ranking.candidates or ranking.excluded)[0]


@pytest.mark.parametrize(
    ("skill", "needed", "fits"),
    [
        ("entry", "entry", True),
        ("entry", "senior", False),
        ("senior", "senior", True),
        ("specialist", "senior", True),
        ("senior", "specialist", False),
        ("specialist", "specialist", True),
    ],
)
def test_skill_level_must_cover_the_request(skill: str, needed: str, fits: bool):
    extra = {"assistance_provided": True} if needed == "entry" else {}
    verdict = judge_one(EngineerDay(engineer(skill=skill)), skill_level=needed, **extra)
    assert isinstance(verdict, Candidate) is fits
    if not fits:
        assert verdict.codes == ["match.skill"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("speaks", "wanted", "fits"),
    [
        (("en",), ["en"], True),
        (("ja",), ["en"], False),
        (("ja",), ["en", "ja"], True),  # one of the languages; the team covers both (proposal rule)
        (("en", "ja"), ["ja"], True),
        ((), ["ja"], False),
    ],
)
def test_languages_must_cover_the_request(speaks: tuple[str, ...], wanted: list[str], fits: bool):
    verdict = judge_one(EngineerDay(engineer(languages=speaks)), languages=wanted)
    assert isinstance(verdict, Candidate) is fits
    if not fits:
        assert verdict.codes == ["match.language"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("other", "fits"),
    [
        (visit("09:00", "11:00"), True),  # long before
        (visit("11:00", "13:45"), True),  # ends 13:45 + 13 min from Shinagawa = 13:58 < 14:00
        (visit("11:00", "13:50"), False),  # 13:50 + 13 min = 14:03: no time to get there
        (visit("11:00", "13:50", point=TOKYO_STATION), True),  # the same building: no travel
        (visit("11:00", "13:10", point=YOKOHAMA), False),  # 13:10 + 55 min = 14:05
        (visit("11:00", "13:00", point=YOKOHAMA), True),  # 13:00 + 55 min = 13:55
        (visit("14:30", "15:30"), False),  # inside the window
        (visit("16:40", "18:00"), False),  # 16:30 + 13 min = 16:43 > 16:40
        (visit("16:45", "18:00"), True),  # 16:43 <= 16:45
        (visit("12:00", "13:30", point=None), False),  # unknown site: an hour assumed, 14:30 > 14:00
        (visit("10:00", "13:00", point=None), True),  # 13:00 + 60 min = 14:00: just in time
        (visit("13:00", "20:00", point=OSAKA), False),
    ],
    ids=lambda v: f"{v.start:%H:%M}-{v.end:%H:%M}" if isinstance(v, BookedVisit) else str(v),
)
def test_other_visits_leave_room_for_the_reserved_window_plus_travel(other: BookedVisit, fits: bool):
    verdict = judge_one(EngineerDay(engineer(), visits=(other,)))
    assert isinstance(verdict, Candidate) is fits, verdict
    if not fits:
        [reason] = verdict.reasons
        overlaps = other.start < at("16:30") and other.end > at("14:00")
        assert reason.code == ("match.double_booked" if overlaps else "match.travel_tight")
        assert reason.values["assignment"] == "ASG-OTHER"
        if not overlaps:
            assert reason.values["travel"] > 0


def test_the_visit_itself_is_not_a_double_booking():
    own = BookedVisit("ASG-SELF", at("14:00"), at("16:30"), TOKYO_STATION)
    ranking = rank(request(), [EngineerDay(engineer(), visits=(own,))], assignment_id="ASG-SELF")
    assert ranking.candidates and not ranking.excluded


@pytest.mark.parametrize(
    ("availability", "code"),
    [
        (Availability(), None),
        (Availability(weekly_days_off=frozenset({3})), "match.day_off"),  # Thursday
        (Availability(weekly_days_off=frozenset({5, 6})), None),
        (Availability(days_off=frozenset({date(2026, 12, 3)})), "match.day_off"),
        (Availability(days_off=frozenset({date(2026, 12, 4)})), None),
        (Availability(work_start=time(9), work_end=time(16)), "match.hours"),  # ends 16:30
        (Availability(work_start=time(14), work_end=time(17)), None),
        (Availability(work_start=time(15), work_end=time(22)), "match.hours"),
        (Availability(work_start=time(0), work_end=time(0)), None),  # round the clock
        # Working hours are the engineer's own zone: 9–18 in London is 18:00–03:00 Tokyo.
        (Availability(timezone="Europe/London"), "match.hours"),
        # In London the visit is 05:00 on Thursday — their day off is Thursday too.
        (Availability(timezone="Europe/London", weekly_days_off=frozenset({3})), "match.day_off"),
    ],
)
def test_days_off_and_working_hours(availability: Availability, code: str | None):
    verdict = judge_one(EngineerDay(engineer(), availability))
    if code is None:
        assert isinstance(verdict, Candidate), verdict
    else:
        assert isinstance(verdict, Excluded) and verdict.codes == [code]


def test_every_reason_is_listed_not_just_the_first():
    day = EngineerDay(
        engineer(skill="entry", languages=("ja",)),
        Availability(weekly_days_off=frozenset({3})),
        (visit("13:00", "15:00"),),
    )
    verdict = judge_one(day)
    assert isinstance(verdict, Excluded)
    assert verdict.codes == ["match.skill", "match.language", "match.day_off", "match.double_booked"]


def test_travel_time_is_the_distance_at_the_assumed_speed():
    km = distance_km(TOKYO_STATION, SHINAGAWA)
    assert 6.0 < km < 7.0
    assert travel_minutes(TOKYO_STATION, SHINAGAWA) == -(-km * 60 // TRAVEL_SPEED_KMH)
    assert travel_minutes(TOKYO_STATION, TOKYO_STATION) == 0
    assert travel_minutes(None, SHINAGAWA) == travel_minutes(TOKYO_STATION, None) == UNKNOWN_TRAVEL_MINUTES


def test_ranked_by_distance_from_base_or_previous_site_and_load():
    near = EngineerDay(engineer("NEAR"), Availability(base=SHINAGAWA))
    far = EngineerDay(engineer("FAR"), Availability(base=YOKOHAMA))
    # Based far away, but the morning visit ends next door: counts from there — one visit that day weighs 15 km.
    busy_near = EngineerDay(
        engineer("BUSY"), Availability(base=OSAKA), (visit("09:00", "12:00", point=TOKYO_STATION, aid="ASG-AM"),)
    )
    unknown = EngineerDay(engineer("NOBASE"))
    ranking = rank(request(), [far, unknown, busy_near, near])
    assert [c.engineer.id for c in ranking.candidates] == ["NEAR", "BUSY", "FAR", "NOBASE"]
    busy = ranking.candidates[1]
    assert busy.from_visit == "ASG-AM" and busy.distance_km == 0 and busy.visits_today == 1
    assert [r.code for r in busy.reasons][-2:] == ["match.ok.from_visit", "match.ok.load"]
    assert ranking.candidates[3].distance_km is None
    assert ranking.candidates[3].reasons[-2].code == "match.ok.distance_unknown"


def test_equal_distance_prefers_the_least_over_qualified():
    spec = EngineerDay(engineer("A-SPEC", skill="specialist"), Availability(base=SHINAGAWA))
    senior = EngineerDay(engineer("B-SENIOR"), Availability(base=SHINAGAWA))
    assert [c.engineer.id for c in rank(request(), [spec, senior]).candidates] == ["B-SENIOR", "A-SPEC"]


def test_load_counts_only_that_local_day():
    yesterday = BookedVisit("ASG-Y", at("10:00", day=2), at("12:00", day=2), TOKYO_STATION)
    verdict = judge_one(EngineerDay(engineer(), visits=(yesterday,)))
    assert isinstance(verdict, Candidate) and verdict.visits_today == 0


def test_requested_number_is_carried():
    assert rank(request(engineer_count=2), []).needed == 2
