"""Storage operations in domain terms: engineers, assignments, reports, notifications.

Event ingestion — the device's outbox protocol — lives in `ingest.py`; `Store.ingest` hands batches to it.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, NamedTuple

from pydantic import TypeAdapter
from sqlalchemy import String, event, select, type_coerce
from sqlalchemy import inspect as inspect_row
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from api_client.clock import Clock, system_clock
from api_client.documents import DocumentRef
from api_client.events import EventResult, Outcome, ProposeEvent, RecordedEvent, VisitEvent
from api_client.rate_card import RateCard
from api_client.request import ServiceRequest
from api_client.rules.billing import is_expedited
from api_client.rules.lifecycle import LogEntry, Refused, Role, VisitState, visit_bill
from api_client.rules.proposal import check_proposal
from api_client.summary import AssignmentSummary, request_summary
from api_client.wire import Assignment, BillOut, Engineer, EngineerCreated, EngineerIn, Notification

from .badge import token_generation
from .db import (
    WRITE,
    AssignmentRow,
    AttachmentRow,
    DocumentRow,
    EngineerRow,
    EventRow,
    NotificationRow,
    ReportHashRow,
    ReportRow,
    TeamRow,
)
from .images import decode_image
from .ingest import Ingestor, Unavailable
from .jobs import Jobs
from .live import LiveBus
from .principal import DISPATCHER, SYSTEM, Principal
from .safe_text import printable

__all__ = ["DISPATCHER", "SYSTEM", "Applied", "NotFound", "Principal", "Store", "Unavailable"]


REQUEST_CACHE_SIZE = 512  # parsed requests kept in memory (README "Limits")


class NotFound(LookupError):
    pass


@dataclass(frozen=True)
class AssignmentQuery:
    """One page of the assignment list: visits starting in [start_from, start_to), with one of `statuses`,
    after the keyset position `after` = (visit_start, id) of the previous page's last item."""

    limit: int = 100
    start_from: datetime | None = None
    start_to: datetime | None = None
    statuses: tuple[str, ...] = ()
    after: tuple[datetime, str] | None = None
    changed_since: datetime | None = None  # only assignments changed at or after this (a device's re-sync)


class LineKey(NamedTuple):
    """What names a list line: its assignment's id and version; and where it sits (the page's cursor)."""

    id: str
    version: int
    stored_start: Any  # as the database gave it: text on SQLite, a naive UTC datetime on PostgreSQL

    @property
    def visit_start(self) -> datetime:
        start = self.stored_start
        start = start if isinstance(start, datetime) else datetime.fromisoformat(start)
        return start.replace(tzinfo=UTC)


_SUMMARIES = TypeAdapter(list[AssignmentSummary])
# What a list line reads: narrow columns only (on SQLite one covering index, see db.ADDED_INDEXES).
_LINE = (
    AssignmentRow.id,
    AssignmentRow.version,
    AssignmentRow.updated_at,
    AssignmentRow.status,
    AssignmentRow.expedited,
    AssignmentRow.visit_start,
    AssignmentRow.summary,
)
_ENGINEER = (
    EngineerRow.id,
    EngineerRow.name,
    EngineerRow.name_ja,
    EngineerRow.company,
    EngineerRow.skill_level,
    EngineerRow.phone,
    EngineerRow.email,
    EngineerRow.languages,
    EngineerRow.photo.is_not(None).label("has_photo"),  # the photo itself stays in the database
)


class Applied:
    """Handed to listeners (notifications, reports) after an event is committed. The full assignment is
    loaded only if a listener asks for it: most events (log entries) need no notification."""

    def __init__(self, store: Store, assignment_id: str, event: VisitEvent, received_at: datetime) -> None:
        self._store = store
        self.assignment_id = assignment_id
        self.event = event
        self.received_at = received_at

    @cached_property
    def assignment(self) -> Assignment:
        return self._store.assignment(self.assignment_id, SYSTEM)


def _new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4).upper()}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _engineer(row: Any) -> Engineer:
    """From a row of the table, or a row of `_ENGINEER` columns."""
    has_photo = row.has_photo if hasattr(row, "has_photo") else row.photo is not None
    return Engineer(
        id=row.id,
        name=row.name,
        name_ja=row.name_ja,
        company=row.company,
        skill_level=row.skill_level,
        phone=row.phone,
        email=row.email,
        languages=list(row.languages or []),
        has_photo=bool(has_photo),
    )


def _key(value: str) -> str:
    """An id from a URL, before it reaches the database: PostgreSQL refuses NUL in text, and no id of ours is
    longer than 40 characters or carries control characters. Such an id names nothing: NotFound."""
    if len(value) > 40 or not value.isprintable():
        raise NotFound(printable(value[:40]))
    return value


class Store:
    def __init__(
        self,
        engine: Engine,
        card: RateCard,
        *,
        max_clock_skew: timedelta = timedelta(minutes=5),
        clock: Clock = system_clock,
    ) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.card = card
        self.max_clock_skew = max_clock_skew
        self.clock = clock  # every "now" of the service: receipt times, the live bill, badges, the demo
        self.listeners: list[Callable[[Applied], None]] = []  # in-process, right after the commit
        self.jobs: Jobs | None = None  # durable after-event work (report, mails): see jobs.py
        self.live: LiveBus | None = None  # "assignment X changed" for the live pages: see live.py
        # A request never changes after creation: keep the most recently used parsed ones (bounded, LRU).
        self._requests: OrderedDict[str, ServiceRequest] = OrderedDict()
        self._requests_lock = threading.Lock()
        self._ingestor = Ingestor(self)
        # A stored bill is valid for the card it was made with and the assignment's version it was made at.
        self.card_key = hashlib.sha256(card.model_dump_json().encode()).hexdigest()[:16]
        event.listen(self.sessions, "before_flush", self._derive)

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE), so that a read followed
        by a write never fails with "database is locked" because another instance wrote in between."""
        with self.sessions() as s:
            s.connection(execution_options=WRITE)
            yield s
            s.commit()

    # -- engineers -------------------------------------------------------------------------------
    def add_engineer(self, data: EngineerIn, token: str | None = None) -> EngineerCreated:
        """Register an engineer; the token is returned once and stored only as a digest."""
        token = token or secrets.token_urlsafe(24)
        photo = decode_image(data.photo_base64, "photo_base64") if data.photo_base64 else None
        row = EngineerRow(
            id=_new_id("ENG"),
            name=data.name,
            name_ja=data.name_ja,
            company=data.company,
            skill_level=data.skill_level.value,
            phone=data.phone,
            email=data.email,
            languages=list(dict.fromkeys(data.languages)),
            photo=photo,
            token_sha256=token_digest(token),
            created_at=self.clock(),
        )
        with self.writing() as s:
            s.add(row)
        return EngineerCreated(engineer=_engineer(row), token=token)

    def rotate_token(self, engineer_id: str) -> EngineerCreated:
        """A lost or leaked device: issue a new token; the old one stops working at once."""
        token = secrets.token_urlsafe(24)
        with self.writing() as s:
            row = s.get(EngineerRow, _key(engineer_id))
            if row is None:
                raise NotFound(engineer_id)
            row.token_sha256 = token_digest(token)
            return EngineerCreated(engineer=_engineer(row), token=token)

    def engineer_by_token(self, token: str) -> Engineer | None:
        with self.engine.connect() as c:  # on every request: no ORM session, and the ID photo stays in the database
            row = c.execute(select(*_ENGINEER).where(EngineerRow.token_sha256 == token_digest(token))).first()
            return None if row is None else _engineer(row)

    def token_generation(self, engineer_id: str) -> str | None:
        """Which device token is current (a badge names it, so rotating the token revokes the badge)."""
        with self.sessions() as s:
            row = s.get(EngineerRow, engineer_id)
            return None if row is None else token_generation(row.token_sha256)

    def engineers(self) -> list[Engineer]:
        with self.sessions() as s:
            return [_engineer(r) for r in s.scalars(select(EngineerRow).order_by(EngineerRow.name))]

    def engineer_photo(self, engineer_id: str) -> bytes | None:
        with self.sessions() as s:
            row = s.get(EngineerRow, _key(engineer_id))
            if row is None:
                raise NotFound(engineer_id)
            return row.photo

    # -- assignments -----------------------------------------------------------------------------
    def create_assignment(
        self,
        request: ServiceRequest,
        *,
        company_id: str | None = None,
        requested_by: str | None = None,
        requested_by_phone: str | None = None,
        also: Callable[[Session, str], None] | None = None,
    ) -> Assignment:
        """`requested_by_phone`: the caller's name when the desk entered it on the client's behalf. `also(s, id)`
        runs in the same transaction (the web form: claim its draft, move its documents, write the audit entry);
        if it raises, nothing is created."""
        now = self.clock()
        requested_at = request.requested_at or now
        row = AssignmentRow(
            id=_new_id("ASG"),
            request=request.model_dump(mode="json"),
            state=VisitState().model_dump(mode="json"),
            status=VisitState().status.value,
            expedited=is_expedited(requested_at, request.visit_start, request.urgency, self.card),
            visit_start=request.visit_start,
            requested_at=requested_at,
            created_at=now,
            updated_at=now,
            version=0,
            company_id=company_id,
            requested_by=requested_by,
            requested_by_phone=requested_by_phone,
        )
        with self.writing() as s:
            s.add(row)
            if also is not None:
                s.flush()
                also(s, row.id)
            created = self._assignment(s, row)
        if self.live is not None:  # the desk's intake hears of it at once; Class 4 with its alarm
            self.live.publish(row.id, "class4" if request.urgency >= 4 else "requested")
        return created

    def assignment(self, assignment_id: str, who: Principal) -> Assignment:
        with self.sessions() as s:
            return self._assignment(s, self._visible_row(s, assignment_id, who))

    def assignments(self, who: Principal, page: AssignmentQuery | None = None) -> list[Assignment]:
        """In visit order (then id), filtered and one page long; see AssignmentQuery for the cursor."""
        with self.sessions() as s:
            rows = list(s.scalars(self._page(select(AssignmentRow), who, page or AssignmentQuery())))
            return self._full(s, rows)

    def summaries(self, who: Principal, page: AssignmentQuery | None = None) -> list[AssignmentSummary]:
        """The same page as `assignments`, one list line each: read from narrow columns, no request or visit
        state parsed, no bill computed."""
        with self.engine.connect() as c:
            rows = c.execute(self._page(select(*_LINE), who, page or AssignmentQuery())).all()
        legacy = {}
        if missing := [r.id for r in rows if r.summary is None]:  # stored before summaries were
            with self.sessions() as s:
                for row in s.scalars(select(AssignmentRow).where(AssignmentRow.id.in_(missing))):
                    legacy[row.id] = request_summary(self.request_of(row)).model_dump(mode="json")
        return _SUMMARIES.validate_python(
            [
                {
                    **(r.summary or legacy[r.id]),
                    "id": r.id,
                    "version": r.version,
                    "updated_at": r.updated_at,
                    "status": r.status,
                    "expedited": r.expedited,
                    "visit_start": r.visit_start,
                }
                for r in rows
            ]
        )

    def summary_keys(self, who: Principal, page: AssignmentQuery | None = None) -> list[LineKey]:
        """The same page as `summaries`, only (id, version, visit_start) of each line: enough for its ETag."""
        # The start as stored: converting a hundred of them to datetimes cost 3x the query; one is ever needed.
        start = type_coerce(TeamRow.visit_start if not who.sees_everything else AssignmentRow.visit_start, String)
        with self.engine.connect() as c:  # columns only: no ORM session to set up and tear down
            rows = c.execute(
                self._page(select(AssignmentRow.id, AssignmentRow.version, start), who, page or AssignmentQuery())
            )
            return [LineKey(*row) for row in rows]

    @staticmethod
    def _page(query: Any, who: Principal, page: AssignmentQuery) -> Any:
        # An engineer's page is read in visit order from their rows of the team table (one index: engineer,
        # visit start, assignment), so it stops after a page; the desk's from the assignments' visit start index.
        start, key = AssignmentRow.visit_start, AssignmentRow.id
        if not who.sees_everything:
            query = query.join(TeamRow, TeamRow.assignment_id == AssignmentRow.id).where(
                TeamRow.engineer_id == who.engineer_id
            )
            start, key = TeamRow.visit_start, TeamRow.assignment_id
        if page.start_from is not None:
            query = query.where(start >= page.start_from)
        if page.start_to is not None:
            query = query.where(start < page.start_to)
        if page.statuses:
            query = query.where(AssignmentRow.status.in_(page.statuses))
        if page.changed_since is not None:
            query = query.where(AssignmentRow.updated_at >= page.changed_since)
        if page.after is not None:
            at, last_id = page.after
            query = query.where((start > at) | ((start == at) & (key > last_id)))
        return query.order_by(start, key).limit(page.limit)

    def bill(self, assignment_id: str, who: Principal) -> BillOut:
        with self.sessions() as s:
            row = self._visible_row(s, assignment_id, who)
            return self._bill(row)

    def events(self, assignment_id: str, who: Principal) -> list[RecordedEvent]:
        with self.sessions() as s:
            self._visible_row(s, assignment_id, who)
            rows = s.scalars(select(EventRow).where(EventRow.assignment_id == assignment_id).order_by(EventRow.seq))
            return [
                RecordedEvent(
                    id=r.id,
                    assignment_id=r.assignment_id,
                    kind=r.kind,
                    actor=r.actor,
                    device_time=r.device_time,
                    received_at=r.received_at,
                    position=r.position,
                    outcome=r.outcome,
                    reason_code=r.reason_code,
                    reason=r.reason,
                    data=r.data,
                    clock_offset_seconds=r.clock_offset_seconds,
                )
                for r in rows
            ]

    def attachment(self, event_id: str, name: str) -> bytes | None:
        with self.sessions() as s:
            row = s.get(AttachmentRow, (_key(event_id), _key(name)))
            return None if row is None else row.content

    # -- reports and notifications --------------------------------------------------------------
    def save_report(self, assignment_id: str, pdf: bytes, sha256: str) -> str:
        """Store the report and the hashes it is checked by; returns the SHA-256 of the PDF file."""
        file_sha256, now = hashlib.sha256(pdf).hexdigest(), self.clock()
        with self.writing() as s:
            s.merge(ReportRow(assignment_id=assignment_id, pdf=pdf, sha256=sha256, created_at=now))
            for digest, kind in ((sha256, "content"), (file_sha256, "file")):
                s.merge(ReportHashRow(sha256=digest, assignment_id=assignment_id, kind=kind, created_at=now))
        if self.live is not None:  # the visit page offers the report as soon as it exists
            self.live.publish(assignment_id, "report")
        return file_sha256

    def report_by_hash(self, sha256: str) -> ReportHashRow | None:
        """The public check: which report has this SHA-256 (of its content or of its PDF file), if any."""
        with self.sessions() as s:
            return s.get(ReportHashRow, sha256.lower())

    def report(self, assignment_id: str, who: Principal) -> ReportRow | None:
        with self.sessions() as s:
            self._visible_row(s, assignment_id, who)
            return s.get(ReportRow, assignment_id)

    def record_notification(
        self, assignment_id: str, kind: str, to: list[str], subject: str, status: str, error: str
    ) -> None:
        with self.writing() as s:
            s.add(
                NotificationRow(
                    assignment_id=assignment_id,
                    kind=kind,
                    recipients=", ".join(to),
                    subject=subject,
                    status=status,
                    error=error,
                    created_at=self.clock(),
                )
            )

    def touch(self, s: Session, assignment_id: str) -> None:
        """An assignment changed outside its events (a booking added, ...): a new version, so a device's
        `since` / ETag re-sync fetches it again. Inside the caller's write transaction."""
        row = s.get(AssignmentRow, assignment_id, with_for_update=True)
        if row is not None:
            row.version = (row.version or 0) + 1
            row.updated_at = self.clock()

    def notifications(self, assignment_id: str, who: Principal) -> list[Notification]:
        with self.sessions() as s:
            self._visible_row(s, assignment_id, who)
            rows = s.scalars(
                select(NotificationRow)
                .where(NotificationRow.assignment_id == assignment_id)
                .order_by(NotificationRow.id)
            )
            return [
                Notification(
                    kind=r.kind,
                    to=[x for x in r.recipients.split(", ") if x],
                    subject=r.subject,
                    status=r.status,
                    error=r.error,
                    created_at=r.created_at,
                )
                for r in rows
            ]

    def request_of(self, row: AssignmentRow) -> ServiceRequest:
        with self._requests_lock:  # routes run in a thread pool
            if (cached := self._requests.get(row.id)) is None:
                cached = self._requests[row.id] = ServiceRequest.model_validate(row.request)
                while len(self._requests) > REQUEST_CACHE_SIZE:
                    self._requests.popitem(last=False)
            else:
                self._requests.move_to_end(row.id)
            return cached

    @staticmethod
    def _work_log(s: Session, assignment_id: str) -> list[LogEntry]:
        return Store._work_logs(s, [assignment_id]).get(assignment_id, [])

    @staticmethod
    def _work_logs(s: Session, assignment_ids: list[str]) -> dict[str, list[LogEntry]]:
        """The work logs, from the applied log events: kept as rows, not inside the visit state, so that writing
        an event never rewrites (nor re-parses) a log that grows all day. One query for a page of assignments."""
        rows = s.execute(
            select(
                EventRow.assignment_id,
                EventRow.id,
                EventRow.device_time,
                EventRow.actor,
                EventRow.data,
                AttachmentRow.name,
            )
            .outerjoin(AttachmentRow, (AttachmentRow.event_id == EventRow.id) & (AttachmentRow.name == "photo"))
            .where(EventRow.assignment_id.in_(assignment_ids), EventRow.kind == "log", EventRow.outcome == "applied")
            .order_by(EventRow.seq)
        )
        logs: dict[str, list[LogEntry]] = {}
        for r in rows:
            logs.setdefault(r.assignment_id, []).append(
                LogEntry(
                    event_id=r.id, at=r.device_time, author=r.actor, text=r.data["text"], has_photo=r.name is not None
                )
            )
        return logs

    @staticmethod
    def can_see(s: Session, assignment_id: str, who: Principal) -> bool:
        # Another engineer's assignment is "not found", not "forbidden": its existence is not theirs to know.
        if who.role is Role.client:  # a client's person: their company's assignments only
            row = s.get(AssignmentRow, assignment_id)
            return row is not None and who.company_id is not None and row.company_id == who.company_id
        return who.sees_everything or s.get(TeamRow, (assignment_id, who.engineer_id or "")) is not None

    def _visible_row(self, s: Session, assignment_id: str, who: Principal) -> AssignmentRow:
        row = s.get(AssignmentRow, _key(assignment_id))
        if row is None or not self.can_see(s, assignment_id, who):
            raise NotFound(assignment_id)
        return row

    def _bill(self, row: AssignmentRow, state: VisitState | None = None, now: datetime | None = None) -> BillOut:
        """The stored bill when it is this version's and this card's; otherwise (a visit on site, whose bill runs
        with the clock, or a row written before bills were stored) the rules compute it now."""
        stored = row.bill
        if stored and stored.get("card") == self.card_key and stored.get("version") == row.version:
            return BillOut.model_validate(stored["bill"])
        state = state or VisitState.model_validate(row.state)
        request = self.request_of(row)
        return BillOut.of(visit_bill(request, state, expedited=row.expedited, card=self.card, now=now or self.clock()))

    def _derive(self, session: Session, _context: object, _instances: object) -> None:
        """Before any write of an assignment row, whichever module wrote it: the list line's part of the request
        (once; a request never changes) and the bill, made once per change instead of on every read. A bill that
        runs with the clock (someone on site) is not stored: the rules compute it when it is read."""
        for row in (*session.new, *session.dirty):
            if not isinstance(row, AssignmentRow):
                continue
            if row.summary is None:
                row.summary = request_summary(self.request_of(row)).model_dump(mode="json")
            if row in session.new or inspect_row(row).attrs.state.history.has_changes():
                state = VisitState.model_validate(row.state)
                row.bill = (
                    None
                    if state.runs_with_clock
                    else {
                        "card": self.card_key,
                        "version": row.version,
                        "bill": self._bill_now(row, state).model_dump(mode="json"),
                    }
                )

    def _bill_now(self, row: AssignmentRow, state: VisitState) -> BillOut:
        request = self.request_of(row)
        return BillOut.of(visit_bill(request, state, expedited=row.expedited, card=self.card, now=row.updated_at))

    def _assignment(self, s: Session, row: AssignmentRow) -> Assignment:
        return self._full(s, [row])[0]

    def _full(self, s: Session, rows: list[AssignmentRow]) -> list[Assignment]:
        """Assignments in full: one query for the team members and one for the work logs of them all."""
        if not rows:
            return []
        states = {row.id: VisitState.model_validate(row.state) for row in rows}
        logs = self._work_logs(s, list(states))
        documents = self._documents(s, list(states))
        wanted = {e for state in states.values() for e in state.engineer_ids}
        team = {r.id: _engineer(r) for r in s.execute(select(*_ENGINEER).where(EngineerRow.id.in_(wanted)))}
        now = self.clock()
        found = []
        for row in rows:
            state = states[row.id]
            bill = self._bill(row, state, now)
            state.log = logs.get(row.id, [])
            found.append(
                Assignment(
                    id=row.id,
                    request=self.request_of(row),
                    status=row.status,
                    expedited=row.expedited,
                    requested_at=row.requested_at,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    version=row.version or 0,
                    engineers=[team[e] for e in state.engineer_ids if e in team],
                    visit=state,
                    bill=bill,
                    documents=documents.get(row.id, []),
                )
            )
        return found

    @staticmethod
    def _documents(s: Session, assignment_ids: list[str]) -> dict[str, list[DocumentRef]]:
        """The documents of these assignments, in upload order: one query for them all."""
        found: dict[str, list[DocumentRef]] = {}
        rows = s.execute(
            select(
                DocumentRow.assignment_id,
                DocumentRow.id,
                DocumentRow.name,
                DocumentRow.kind,
                DocumentRow.content_type,
                DocumentRow.size,
                DocumentRow.sha256,
            )
            .where(DocumentRow.assignment_id.in_(assignment_ids))
            .order_by(DocumentRow.uploaded_at, DocumentRow.id)
        )
        for r in rows:
            found.setdefault(r.assignment_id, []).append(DocumentRef.model_validate(r, from_attributes=True))
        return found

    def document(self, assignment_id: str, document_id: str, who: Principal) -> DocumentRow:
        """A document of a visible assignment (another engineer's, or another visit's, is NotFound)."""
        with self.sessions() as s:
            self._visible_row(s, assignment_id, who)
            row = s.get(DocumentRow, _key(document_id))
            if row is None or row.assignment_id != assignment_id:
                raise NotFound(document_id)
            return row

    # -- events ----------------------------------------------------------------------------------
    def dispatcher_action(self, event: VisitEvent) -> Assignment:
        """Apply a desk transition now; Refused propagates to the caller (HTTP 409), Unavailable as 503."""
        current = self.assignment(event.assignment_id, DISPATCHER)  # NotFound before any rule is checked
        if isinstance(event, ProposeEvent):  # the right engineers (an unknown id is refused by ingest)
            with self.sessions() as s:
                found = s.scalars(select(EngineerRow).where(EngineerRow.id.in_(event.engineer_ids)))
                known = {r.id: _engineer(r) for r in found}
            if all(e in known for e in event.engineer_ids):
                check_proposal(current.request, [known[e] for e in dict.fromkeys(event.engineer_ids)])
        [result] = self.ingest([event.model_dump(mode="json")], DISPATCHER)
        if result.outcome is Outcome.rejected:
            raise Refused(result.reason_code, result.reason)
        if not result.outcome.final:
            raise Unavailable(result.reason)
        return self.assignment(event.assignment_id, DISPATCHER)

    def ingest(self, raws: list[dict[str, Any]], who: Principal, sent_at: datetime | None = None) -> list[EventResult]:
        """A device's batch, in order: see `ingest.py` for what is promised."""
        return self._ingestor.batch(raws, who, sent_at)

    def ingest_one(self, raw: dict[str, Any], who: Principal) -> EventResult:
        [result] = self.ingest([raw], who)
        return result
