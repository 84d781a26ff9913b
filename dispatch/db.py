"""Tables (SQLAlchemy 2.0). Wire models live in api_client; these are storage only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always returns an aware UTC datetime (SQLite drops the zone otherwise)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class EngineerRow(Base):
    __tablename__ = "engineers"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200))
    skill_level: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en"], server_default=text("'[\"en\"]'"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class AssignmentRow(Base):
    __tablename__ = "assignments"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    request: Mapped[dict[str, Any]]
    state: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), index=True)
    expedited: Mapped[bool] = mapped_column(Boolean)
    visit_start: Mapped[datetime] = mapped_column(index=True)
    requested_at: Mapped[datetime]
    created_at: Mapped[datetime]
    # Entered at the desk on the client's behalf: the caller's name ("requested by phone by <name>").
    requested_by_phone: Mapped[str | None] = mapped_column(String(200), nullable=True, default=None)
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=0)  # counts changes (written under the row lock)
    # Who ordered it, when it came through the portal or the desk (API imports may leave both empty).
    company_id: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True, default=None)
    requested_by: Mapped[str | None] = mapped_column(String(40), nullable=True, default=None)
    # Derived, kept by the store on every write (store.py, `_derived`): the list line's part of the request
    # (written once) and the bill as of `version` (when it does not run with the clock).
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, default=None)
    bill: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, default=None)


class TeamRow(Base):
    """Which engineers are on which assignment (derived from proposals), for the engineer's list."""

    __tablename__ = "assignment_engineers"
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), primary_key=True)
    engineer_id: Mapped[str] = mapped_column(ForeignKey("engineers.id"), primary_key=True, index=True)
    # The assignment's visit start (it never changes), so an engineer's list is read in order from one index.
    # Filled in by the insert itself, whichever module inserts (ORM or bulk), from the assignment's row.
    visit_start: Mapped[datetime | None] = mapped_column(nullable=True, default=lambda ctx: _visit_start_of(ctx))


def _visit_start_of(context: Any) -> datetime | None:
    assignment_id = context.get_current_parameters()["assignment_id"]
    return context.connection.scalar(select(AssignmentRow.visit_start).where(AssignmentRow.id == assignment_id))


class EventRow(Base):
    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # the client's idempotency key
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20))
    device_time: Mapped[datetime]
    received_at: Mapped[datetime]
    clock_offset_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)  # device minus server
    position: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    data: Mapped[dict[str, Any]]
    body_sha256: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    reason_code: Mapped[str] = mapped_column(String(60), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    status_after: Mapped[str] = mapped_column(String(20))


class AttachmentRow(Base):
    """Binary payloads kept out of the event JSON: log photos, signature PNGs."""

    __tablename__ = "attachments"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


# Execution options for a transaction that writes under the assignment's lock. On SQLite the transaction
# starts with BEGIN IMMEDIATE: it takes the write lock up front and waits (busy timeout) for it, instead of
# starting as a reader and failing with "database is locked" when it tries to write.
WRITE = {"field_write": True}
LOCK_WAIT_SECONDS = 30
# Connections: 10 kept, up to 40 under load — AnyIO's worker threads, where the sync routes run. A smaller
# pool left 25 of 40 threads parked on a checkout under 50 clients (and a 30 s checkout timeout is a 500).
POOL = {"pool_size": 10, "max_overflow": 30}
SQLITE_MMAP_BYTES = 1 << 30  # address space, not memory: pages are the OS's file cache


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": LOCK_WAIT_SECONDS},
            **({} if ":memory:" in url or url == "sqlite://" else POOL),  # one shared connection in memory
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below): pysqlite's own is deferred
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            # Read pages straight from the OS cache, shared by every connection, instead of a pread and a copy per
            # page into each connection's own 2 MB cache: an engineer's list touches a few hundred index pages.
            cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("field_write") else "BEGIN")

        return engine
    # A lock held longer than this is a fault, not contention: the group answers `retry` and the device resends.
    return create_engine(
        url, pool_pre_ping=True, connect_args={"options": f"-c lock_timeout={LOCK_WAIT_SECONDS * 1000}"}, **POOL
    )


def create_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    _add_new_columns(engine)


# Columns added after a release, with the server default that existing rows take. create_all() makes new
# tables only, so a database from an earlier release gets these added in place.
_ADDED_COLUMNS = {
    ("assignments", "requested_by_phone"): "VARCHAR(200)",  # portal-request: the desk took it by phone
    ("engineers", "languages"): "JSON DEFAULT '[\"en\"]'",
    ("assignments", "company_id"): "VARCHAR(40)",
    ("assignments", "requested_by"): "VARCHAR(40)",
    ("assignments", "summary"): "JSON",
    ("assignments", "bill"): "JSON",
    ("companies", "show_log_photos"): "BOOLEAN DEFAULT TRUE",
    ("assignment_engineers", "visit_start"): "TIMESTAMP",
}
# What a column added in place is filled with (rows written before it existed).
_BACKFILL = {
    ("assignment_engineers", "visit_start"): "UPDATE assignment_engineers SET visit_start = (SELECT visit_start "
    "FROM assignments WHERE assignments.id = assignment_engineers.assignment_id)",
}


def _add_new_columns(engine: Engine) -> None:
    found = inspect(engine)
    for (table, column), ddl in _ADDED_COLUMNS.items():
        if column not in {c["name"] for c in found.get_columns(table)}:
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))
                if (backfill := _BACKFILL.get((table, column))) is not None:
                    conn.execute(text(backfill))
    # Write-locked from the start (BEGIN IMMEDIATE on SQLite): a deferred transaction that reads (checkfirst) and
    # then writes (ANALYZE) is refused at once, without waiting, when another instance on the same file wrote in
    # between — seen in CI as "database is locked" when the second of two instances started.
    with engine.execution_options(**WRITE).begin() as conn:  # create_all() adds no index to a table that exists
        for index, dialect in ADDED_INDEXES:
            if dialect in (None, conn.dialect.name):
                index.create(conn, checkfirst=True)
        if conn.dialect.name == "sqlite":
            for ddl in LIST_VERSIONS_SQLITE:
                conn.exec_driver_sql(ddl)
            # Statistics, sampled (a few ms even on a large file): without them SQLite looks an assignment up by
            # its primary key and reads the whole wide row instead of the covering list-line index (10x slower).
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")


# Per-engineer list versions (SQLite: the list's fast lane, dispatch/api/list_lane.py). Triggers, so no writer
# anywhere — ORM, bulk ingest, another instance, the CLI — can change a list without moving its version. Scope:
# an engineer's id (their lines: their team rows and those assignments) or "*" (the desk's: every assignment).
_BUMP = "INSERT INTO list_versions (scope, version) {rows} ON CONFLICT (scope) DO UPDATE SET version = version + 1"
_TEAM_OF = "SELECT engineer_id, 1 FROM assignment_engineers WHERE assignment_id = {ref}.id"
_EVERYTHING = _BUMP.format(rows="VALUES ('*', 1)")
LIST_VERSIONS_SQLITE = (
    "CREATE TABLE IF NOT EXISTS list_versions (scope VARCHAR(40) PRIMARY KEY, version INTEGER NOT NULL)",
    f"CREATE TRIGGER IF NOT EXISTS lv_assignment_insert AFTER INSERT ON assignments BEGIN {_EVERYTHING}; END",
    "CREATE TRIGGER IF NOT EXISTS lv_assignment_update AFTER UPDATE ON assignments BEGIN "
    f"{_EVERYTHING}; {_BUMP.format(rows=_TEAM_OF.format(ref='NEW'))}; END",
    "CREATE TRIGGER IF NOT EXISTS lv_assignment_delete BEFORE DELETE ON assignments BEGIN "
    f"{_EVERYTHING}; {_BUMP.format(rows=_TEAM_OF.format(ref='OLD'))}; END",
    "CREATE TRIGGER IF NOT EXISTS lv_team_insert AFTER INSERT ON assignment_engineers BEGIN "
    f"{_BUMP.format(rows='VALUES (NEW.engineer_id, 1)')}; END",
    "CREATE TRIGGER IF NOT EXISTS lv_team_delete AFTER DELETE ON assignment_engineers BEGIN "
    f"{_BUMP.format(rows='VALUES (OLD.engineer_id, 1)')}; END",
    "CREATE TRIGGER IF NOT EXISTS lv_team_update AFTER UPDATE ON assignment_engineers BEGIN "
    f"{_BUMP.format(rows='VALUES (OLD.engineer_id, 1)')}; {_BUMP.format(rows='VALUES (NEW.engineer_id, 1)')}; END",
)


class ReportRow(Base):
    """The signed service report: the PDF and the hash printed on it."""

    __tablename__ = "reports"
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class ReportHashRow(Base):
    """Every SHA-256 a report is known by — of the signed content (printed on it) and of the PDF file (stated in
    the mail) — so the public check finds a report by either, and a changed file matches neither."""

    __tablename__ = "report_hashes"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # content | file
    created_at: Mapped[datetime]


class NotificationRow(Base):
    """Every message sent (or attempted) to the ordering party, so a failed mail is visible, not lost."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    recipients: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # sent | spooled | failed | no_recipient
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class JobRow(Base):
    """After-event work (report, mails), written with the event and drained by every instance's worker."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # one job per event: a repeat adds none
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(36))
    state: Mapped[str] = mapped_column(String(10), index=True)  # pending | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[datetime]
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)


# -- accounts of the web pages (dispatch/accounts.py) -------------------------------------------------------
class CompanyRow(Base):
    """A client company: who orders visits, in which language, under which contract."""

    __tablename__ = "companies"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    notify_emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    retainer: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # RetainerSLA
    rate_card: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # RateCard; None: the default
    created_at: Mapped[datetime]
    # The visit page shows work-log photos to this company's people and local contacts (a client may forbid it).
    show_log_photos: Mapped[bool] = mapped_column(Boolean, default=True)


class PersonRow(Base):
    """A person of a client company, who signs in by one-time link."""

    __tablename__ = "people"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-case
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    may_request: Mapped[bool] = mapped_column(Boolean, default=True)
    may_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(2), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class DispatcherRow(Base):
    """A named person at eCorpOne's desk, signing in with a password (argon2 hash)."""

    __tablename__ = "dispatchers"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime]


class SignInLinkRow(Base):
    """A one-time link (sign-in, a decision on a proposal, ...): only its SHA-256 is kept; used once."""

    __tablename__ = "one_time_links"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[str] = mapped_column(String(200))  # whose link (a person id, or "person:assignment")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class WebSessionRow(Base):
    """A signed-in browser. The cookie holds a random id; only its SHA-256 is kept."""

    __tablename__ = "web_sessions"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # client | dispatcher
    subject_id: Mapped[str] = mapped_column(String(40), index=True)  # person id or dispatcher id
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime]


class AuditRow(Base):
    """Who did what at the desk (and on the portal): shown on each assignment."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(80))  # dispatcher:<id> | person:<id> | token | system
    action: Mapped[str] = mapped_column(String(60))
    assignment_id: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# -- speed-read: indexes for the engineer's list (dispatch/store.py `summaries`) ------------------------------
# The engineer's rows of the team table in visit order from one index: a page reads its own rows and stops.
# On SQLite, the list line's columns of an assignment from one covering index, looked up by id: the wide
# `request`/`state` JSON sits before them in the row (overflow pages), and the list never reads it. PostgreSQL
# keeps wide values out of line (TOAST) and cannot index `json`: there the primary key serves.
_LIST_LINE = Index(
    "ix_assignments_list_line",
    AssignmentRow.id,
    AssignmentRow.visit_start,
    AssignmentRow.status,
    AssignmentRow.version,
    AssignmentRow.updated_at,
    AssignmentRow.expedited,
    AssignmentRow.summary,
).ddl_if(dialect="sqlite")
ADDED_INDEXES = (
    (Index("ix_team_engineer_start", TeamRow.engineer_id, TeamRow.visit_start, TeamRow.assignment_id), None),
    (_LIST_LINE, "sqlite"),
    # web-polish: a form posted after its session expired is recognised by its CSRF token (web/sessions.py)
    (Index("ix_web_sessions_csrf_token", WebSessionRow.csrf_token), None),
)


# -- portal-request: the request form's drafts and the documents uploaded with a request -------------------
class RequestDraftRow(Base):
    """What someone has typed into "Request a visit" so far, kept server-side so a mistake loses nothing: the
    form's fields as posted (name -> text), re-rendered as they were."""

    __tablename__ = "request_drafts"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(80), index=True)  # person:<id> | dispatcher:<id>
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    show_errors: Mapped[bool] = mapped_column(Boolean, default=False)  # after the first "send"
    assignment_id: Mapped[str | None] = mapped_column(String(40), nullable=True)  # once sent
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class DocumentRow(Base):
    """A document uploaded with a request: on its draft first, then on the assignment it became."""

    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    draft_id: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True)
    assignment_id: Mapped[str | None] = mapped_column(String(40), index=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime]


# -- portal-visit: the local contacts' read-only links to the live visit page ------------------------------------
class FollowLinkRow(Base):
    """A read-only link to a visit's live page for one local contact. Unlike a one-time link it is shown again
    to the ordering party (to share), so the token itself is kept; it opens a view with no decisions."""

    __tablename__ = "follow_links"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), index=True)
    location_id: Mapped[str] = mapped_column(String(40))
    contact_index: Mapped[int] = mapped_column(Integer)
    contact_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("assignment_id", "location_id", "contact_index"),)


# -- desk-engineers: engineers' profiles, phone pairing codes, travel & accommodation ------------------------
class EngineerProfileRow(Base):
    """What the desk keeps about an engineer beyond the API's `engineers` row: WhatsApp, base, working hours,
    days off (read by the right-engineer ranking, api_client/rules/matching.py)."""

    __tablename__ = "engineer_profiles"
    engineer_id: Mapped[str] = mapped_column(ForeignKey("engineers.id"), primary_key=True)
    whatsapp: Mapped[str | None] = mapped_column(String(40), nullable=True)
    base_address: Mapped[str] = mapped_column(String(500), default="")
    base_maps_url: Mapped[str] = mapped_column(String(2000), default="")
    base_latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    base_longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Tokyo")
    work_start: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM in `timezone`
    work_end: Mapped[str] = mapped_column(String(5), default="18:00")
    weekly_days_off: Mapped[list[int]] = mapped_column(JSON, default=list)  # 0 = Monday
    days_off: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    updated_at: Mapped[datetime]


class PairingCodeRow(Base):
    """A one-time code that signs the app in on a new phone: only its SHA-256 is kept; short-lived, used once."""

    __tablename__ = "pairing_codes"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    engineer_id: Mapped[str] = mapped_column(ForeignKey("engineers.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class TravelBookingRow(Base):
    """A ticket or a hotel booked by the desk for one engineer of one assignment (times in UTC)."""

    __tablename__ = "travel_bookings"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    assignment_id: Mapped[str] = mapped_column(ForeignKey("assignments.id"), index=True)
    engineer_id: Mapped[str] = mapped_column(ForeignKey("engineers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # train | flight | bus | hotel | car
    what: Mapped[str] = mapped_column(String(200), default="")
    from_place: Mapped[str] = mapped_column(String(200), default="")
    to_place: Mapped[str] = mapped_column(String(200), default="")
    hotel_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None] = mapped_column(nullable=True)
    confirmation: Mapped[str] = mapped_column(String(100), default="")
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # a PDF
    attachment_name: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
