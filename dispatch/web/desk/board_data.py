"""The board's data: every visit of a date range with its live state, read in a fixed number of queries.

The board must render 2,000 visits over 200 engineers in well under 300 ms (bench/board.py), so nothing here
is per row: one query reads only the request fields the board shows (JSON paths, not the whole request), one
the engineers, one the companies, one the refused device actions, one the continuation events. The visit
state is small (the work log lives in the events table) and is folded once per row; the bill comes from the
same rule (`billing.bill`) as every other bill.

    board = load_board(store, BoardQuery(start=date(2026, 12, 3), days=3), now)
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from api_client.clients import RetainerSLA
from api_client.request import SkillLevel
from api_client.rules.billing import Bill, VisitOutcome, bill
from api_client.rules.lifecycle import Status, VisitState, outcome_of
from api_client.rules.watch import Watch, watch

from ...db import AssignmentRow, CompanyRow, DispatcherRow, EngineerRow, EventRow, PersonRow
from ...store import Store

# The desk's calendar (eCorpOne works from Japan): which visits "today" and the date filter select. Each visit
# is still drawn and labelled at its site's local time.
DESK_ZONE = ZoneInfo("Asia/Tokyo")
MAX_DAYS = 7
MAX_VISITS = 5000  # a board wider than this is cut (and says so): README "Limits"
CONTINUATION_KINDS = ("ask_continuation", "decide_continuation")  # the portal's continuation events
STATUSES = tuple(s.value for s in Status)


@dataclass(frozen=True)
class BoardQuery:
    start: date
    days: int = 3
    company_id: str | None = None
    engineer_id: str | None = None
    status: str | None = None

    def bounds(self) -> tuple[datetime, datetime]:
        first = datetime.combine(self.start, time(0), DESK_ZONE)
        return first, datetime.combine(self.start + timedelta(days=self.days), time(0), DESK_ZONE)


@dataclass
class BoardVisit:
    id: str
    title: str
    reference: str
    site: str
    company_id: str | None
    company: tuple[str, str]  # (English, Japanese) name: the ordering party's company
    status: str
    urgency: int
    expedited: bool
    tz: str
    start: datetime
    end: datetime  # the reservation's end (+ grace) if started on time
    engineer_ids: list[str]
    state: VisitState
    watch: Watch
    bill: Bill
    arrival_check: str | None  # the first arrival's geofence check
    continuation: str | None = None  # asked | accepted | declined (the portal's continuation events)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (event kind, reason code) from devices
    log_count: int = 0
    last_log: tuple[str, datetime] | None = None  # the latest work-log entry: its words and device time
    day: int = 0  # which day column (site-local date minus the board's first date)
    left: float = 0.0  # position on the timeline, percent of the whole range
    width: float = 0.0


@dataclass
class Lane:
    engineer_id: str | None  # None: not yet assigned
    name: str
    name_ja: str
    visits: list[BoardVisit]
    tracks: int = 1
    track_of: dict[str, int] = field(default_factory=dict)  # visit id -> track, when visits overlap


@dataclass
class Board:
    query: BoardQuery
    visits: list[BoardVisit]
    lanes: list[Lane]
    engineers: dict[str, tuple[str, str]]  # id -> (name, name_ja): every engineer, for the filter
    companies: dict[str, tuple[str, str]]
    truncated: bool = False

    @property
    def days(self) -> list[date]:
        return [self.query.start + timedelta(days=i) for i in range(self.query.days)]


def _req(path: str | tuple[Any, ...]) -> Any:
    return AssignmentRow.request[path]


@dataclass(frozen=True)
class _Facts:
    """The request's fields the board shows. A request never changes after creation, so these are read once
    per assignment (by JSON path: never the whole request) and kept."""

    title: str
    reference: str
    tz: str
    urgency: int
    skill: SkillLevel
    count: int
    reserved: Decimal
    grace: int
    retainer: bool
    site: str
    ordering_company: str


_FACT_COLUMNS = (
    _req("title").as_string(),
    _req("reference").as_string(),
    _req("site_timezone").as_string(),
    _req("urgency").as_integer(),
    _req("skill_level").as_string(),
    _req("engineer_count").as_integer(),
    _req("reserved_hours").as_string(),
    _req("grace_minutes").as_integer(),
    _req("retainer_sla").as_boolean(),
    _req(("locations", 0, "name")).as_string(),
    _req(("ordering_party", "company")).as_string(),
)
CACHE_SIZE = 20_000  # assignments whose facts and parsed state are kept (README "Limits")
_CHUNK = 500  # ids per IN (...) list


class _Cache:
    """Per store: request facts by assignment, and the parsed visit state by (assignment, version) — a board
    re-rendered after one event parses one state, not two thousand."""

    def __init__(self) -> None:
        self.facts: OrderedDict[str, _Facts] = OrderedDict()
        self.states: OrderedDict[str, tuple[int, VisitState]] = OrderedDict()
        self.bills: OrderedDict[str, tuple[int, Bill]] = OrderedDict()  # of visits not on site: clock-free
        self.lock = threading.Lock()

    def keep(self, table: OrderedDict[str, Any], key: str, value: Any) -> None:
        with self.lock:
            table[key] = value
            while len(table) > CACHE_SIZE:
                table.popitem(last=False)


_caches: weakref.WeakKeyDictionary[Store, _Cache] = weakref.WeakKeyDictionary()


def _cache(store: Store) -> _Cache:
    found = _caches.get(store)
    if found is None:
        found = _caches[store] = _Cache()
    return found


def visits_statement(query: BoardQuery) -> Select[Any]:
    """The board's one query for its visits: the columns it shows (request facts and states come from the
    cache, or from `_fill` for those not cached yet)."""
    first, last = query.bounds()
    stmt = (
        select(
            AssignmentRow.id,
            AssignmentRow.status,
            AssignmentRow.visit_start,
            AssignmentRow.expedited,
            AssignmentRow.company_id,
            AssignmentRow.version,
        )
        .where(AssignmentRow.visit_start >= first, AssignmentRow.visit_start < last)
        .order_by(AssignmentRow.visit_start, AssignmentRow.id)
        .limit(MAX_VISITS + 1)
    )
    if query.company_id:
        stmt = stmt.where(AssignmentRow.company_id == query.company_id)
    if query.status in STATUSES:
        stmt = stmt.where(AssignmentRow.status == query.status)
    return stmt


def _fill(s: Session, cache: _Cache, rows: list[Any]) -> None:
    """Read what the cache lacks: facts of new assignments, states whose version moved — batched."""
    need_facts = [r.id for r in rows if r.id not in cache.facts]
    need_states = [r.id for r in rows if (got := cache.states.get(r.id)) is None or got[0] != r.version]
    for n in range(0, len(need_facts), _CHUNK):
        chunk = need_facts[n : n + _CHUNK]
        for f in s.execute(select(AssignmentRow.id, *_FACT_COLUMNS).where(AssignmentRow.id.in_(chunk))):
            (aid, title, reference, tz, urgency, skill, count, reserved, grace, retainer, site, company) = f
            facts = _Facts(
                title=title or "",
                reference=reference or "",
                tz=tz or "Asia/Tokyo",
                urgency=int(urgency or 1),
                skill=SkillLevel(skill or "senior"),
                count=int(count or 1),
                reserved=Decimal(str(reserved or "2")),
                grace=int(grace or 0),
                retainer=bool(retainer),
                site=site or "",
                ordering_company=company or "",
            )
            cache.keep(cache.facts, aid, facts)
    for n in range(0, len(need_states), _CHUNK):
        chunk = need_states[n : n + _CHUNK]
        stmt = select(AssignmentRow.id, AssignmentRow.version, AssignmentRow.state).where(AssignmentRow.id.in_(chunk))
        for aid, version, state in s.execute(stmt):
            cache.keep(cache.states, aid, (version, VisitState.model_validate(state)))


def load_board(store: Store, query: BoardQuery, now: datetime) -> Board:
    first, last = query.bounds()
    cache = _cache(store)
    with store.sessions() as s:
        rows = s.execute(visits_statement(query)).all()[: MAX_VISITS + 1]
        _fill(s, cache, rows[:MAX_VISITS])
        in_range = (
            select(AssignmentRow.id)
            .where(AssignmentRow.visit_start >= first, AssignmentRow.visit_start < last)
            .scalar_subquery()
        )
        # Refused device actions and continuation events in one pass over the range's events.
        noted = s.execute(
            select(EventRow.assignment_id, EventRow.kind, EventRow.outcome, EventRow.reason_code, EventRow.data)
            .where(
                EventRow.assignment_id.in_(in_range),
                ((EventRow.outcome == "rejected") & (EventRow.role == "engineer"))
                | (EventRow.kind.in_(CONTINUATION_KINDS) & (EventRow.outcome == "applied")),
            )
            .order_by(EventRow.seq)
        ).all()
        # The work log as progress: how many entries, and the last one's words (two grouped queries, no scan of
        # every entry's text).
        log_counts = s.execute(
            select(EventRow.assignment_id, func.count(), func.max(EventRow.seq))
            .where(EventRow.assignment_id.in_(in_range), EventRow.kind == "log", EventRow.outcome == "applied")
            .group_by(EventRow.assignment_id)
        ).all()
        last_seqs = [r[2] for r in log_counts]
        last_logs: dict[str, tuple[str, datetime]] = {}
        for n in range(0, len(last_seqs), _CHUNK):
            stmt = select(EventRow.assignment_id, EventRow.data, EventRow.device_time).where(
                EventRow.seq.in_(last_seqs[n : n + _CHUNK])
            )
            for aid, data, at in s.execute(stmt):
                last_logs[aid] = (str((data or {}).get("text", ""))[:200], at)
        engineers = {
            r.id: (r.name, r.name_ja)
            for r in s.execute(select(EngineerRow.id, EngineerRow.name, EngineerRow.name_ja).order_by(EngineerRow.name))
        }
        companies: dict[str, tuple[str, str]] = {}
        retainers: dict[str, RetainerSLA] = {}
        for r in s.execute(
            select(CompanyRow.id, CompanyRow.name_en, CompanyRow.name_ja, CompanyRow.retainer).order_by(
                CompanyRow.name_en
            )
        ):
            companies[r.id] = (r.name_en, r.name_ja)
            if r.retainer:
                retainers[r.id] = RetainerSLA.model_validate(r.retainer)
    truncated = len(rows) > MAX_VISITS
    log_count = {r[0]: int(r[1]) for r in log_counts}
    refused: dict[str, list[tuple[str, str]]] = defaultdict(list)
    continuation: dict[str, str] = {}
    for r in noted:
        if r.outcome == "rejected":
            refused[r.assignment_id].append((r.kind, r.reason_code))
        else:  # the last continuation event tells: asked, then accepted or declined
            accepted = (r.data or {}).get("accept")
            continuation[r.assignment_id] = (
                "asked" if r.kind == "ask_continuation" else ("accepted" if accepted else "declined")
            )

    card = store.card
    visits: list[BoardVisit] = []
    for aid, status, start, expedited, company_id, _version in rows[:MAX_VISITS]:
        f = cache.facts.get(aid)
        got = cache.states.get(aid)
        if f is None or got is None:  # evicted meanwhile by another board (cache smaller than the range)
            continue
        state = got[1]
        if query.engineer_id and query.engineer_id not in state.engineer_ids:
            continue
        the_bill = cache.bills.get(aid)
        if the_bill is None or the_bill[0] != got[0]:
            the_bill = (got[0], _bill(f, state, bool(expedited), store, now))
            if outcome_of(state) is not VisitOutcome.in_progress:  # a live estimate changes with the clock
                cache.keep(cache.bills, aid, the_bill)
        retainer = retainers.get(company_id or "")
        covered = retainer is not None and state.approved_at is not None and retainer.covers(state.approved_at)
        seen = watch(
            state,
            visit_start=start,
            reserved_hours=f.reserved,
            grace_minutes=f.grace,
            warn_before_minutes=card.warn_before_minutes,
            now=now,
            sla_response=timedelta(minutes=retainer.response_minutes) if covered and retainer else None,
        )
        visits.append(
            BoardVisit(
                id=aid,
                title=f.title,
                reference=f.reference,
                site=f.site,
                company_id=company_id,
                company=companies.get(company_id or "", (f.ordering_company, "")),
                status=status,
                urgency=f.urgency,
                expedited=bool(expedited),
                tz=f.tz,
                start=start,
                end=start + seen.reserved + timedelta(minutes=f.grace),
                engineer_ids=list(state.engineer_ids),
                state=state,
                watch=seen,
                bill=the_bill[1],
                arrival_check=state.arrivals[0].check if state.arrivals else None,
                continuation=continuation.get(aid),
                refused=refused.get(aid, []),
                log_count=log_count.get(aid, 0),
                last_log=last_logs.get(aid),
            )
        )
    _place(visits, query)
    return Board(query, visits, _lanes(visits, engineers, query), engineers, companies, truncated)


def _bill(f: _Facts, state: VisitState, expedited: bool, store: Store, now: datetime) -> Bill:
    """The same rule as every bill (`visit_bill` without re-reading the request): billing.bill, with every
    argument `visit_bill` gives it."""
    return bill(
        skill_level=f.skill,
        engineer_count=f.count,
        reserved_hours=f.reserved,
        grace_minutes=f.grace,
        outcome=outcome_of(state),
        on_site=state.on_site_time(now),
        expedited=expedited,
        retainer_sla=f.retainer,
        card=store.card,
        overtime_review=state.overtime_review,
        continuation=state.continuation,  # the client's answer decides billed overtime, as on every bill
    )


@lru_cache(maxsize=64)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def _place(visits: list[BoardVisit], query: BoardQuery) -> None:
    """Each visit's bar at its site's local date and time of day; clamped to the board's range."""
    span_minutes = query.days * 24 * 60
    for v in visits:
        local = v.start.astimezone(_zone(v.tz))
        v.day = (local.date() - query.start).days
        offset = v.day * 24 * 60 + local.hour * 60 + local.minute
        length = max((v.end - v.start).total_seconds() / 60, 30)
        offset = min(max(offset, 0), span_minutes - 30)
        v.left = round(offset / span_minutes * 100, 3)
        v.width = round(min(length, span_minutes - offset) / span_minutes * 100, 3)


def _lanes(visits: list[BoardVisit], engineers: dict[str, tuple[str, str]], query: BoardQuery) -> list[Lane]:
    by_engineer: dict[str | None, list[BoardVisit]] = defaultdict(list)
    for v in visits:
        for e in v.engineer_ids or [None]:
            if query.engineer_id and e != query.engineer_id:
                continue
            by_engineer[e].append(v)
    lanes: list[Lane] = []
    if None in by_engineer:
        lanes.append(Lane(None, "", "", by_engineer.pop(None)))
    for eid, (name, name_ja) in engineers.items():  # every engineer has a lane: free ones show as free
        if query.engineer_id and eid != query.engineer_id:
            continue
        if (query.company_id or query.status) and eid not in by_engineer:  # filtered: lanes with something
            continue
        lanes.append(Lane(eid, name, name_ja, by_engineer.pop(eid, [])))
    for eid, found in by_engineer.items():  # an engineer id no longer registered: still shown
        lanes.append(Lane(eid, eid or "", "", found))
    for lane in lanes:
        _stack(lane)
    return lanes


def _stack(lane: Lane) -> None:
    """Overlapping bars of one lane go on separate tracks (greedy, in start order). Tracks are the lane's: a
    crew's visit may sit on different tracks in its engineers' lanes."""
    ends: list[float] = []
    for v in lane.visits:
        for i, end in enumerate(ends):
            if v.left >= end:
                ends[i] = v.left + v.width
                lane.track_of[v.id] = i
                break
        else:
            ends.append(v.left + v.width)
            lane.track_of[v.id] = len(ends) - 1
    lane.tracks = max(len(ends), 1)


def requesters(store: Store, ids: set[str]) -> dict[str, str]:
    """Names of whoever requested (people of a client, or dispatchers for a phone request), in one query each."""
    if not ids:
        return {}
    with store.sessions() as s:
        found = {r.id: r.name for r in s.execute(select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(ids)))}
        desk = select(DispatcherRow.id, DispatcherRow.name).where(DispatcherRow.id.in_(ids))
        found |= {r.id: r.name for r in s.execute(desk)}
    return found
