"""Event ingestion: a device's batch, applied by assignment under a lock, in one transaction per assignment.

The promise to a device (ARCHITECTURE.md, "Ingest invariants"):
- A batch is grouped by assignment. Each group is folded through `rules.lifecycle.apply` in memory and written
  once while the assignment is locked (`SELECT … FOR UPDATE` on PostgreSQL; `BEGIN IMMEDIATE` on SQLite), so
  a crew syncing together waits its turn: contention never turns into a refusal.
- The only final refusal is a rule's (or a malformed event's); it is stored with its code, so a repeat gets
  the same answer. Anything transient (a lock timeout, a database restart) answers `retry`, and a server
  failure on one event answers `error` after logging it with the event id: the device keeps both and sends
  them again. The events after a failed one of the same visit wait (`retry`) so the visit's order holds;
  other assignments in the batch go on.
- The client's UUID is the idempotency key, compared on the canonical event (the parsed model, its device
  time in UTC), not on the JSON text: a repeat returns the first result; the same id with a different event
  is a conflict.
- Device time and receipt time are both kept; the rules bound the device time (`rules.timing`), and the
  batch's `sent_at` measures the device's clock offset, which is stored and reported.

Where the time goes (bench/drain.py): the work that does not depend on the visit's state — validating the
batch (one TypeAdapter call for all of it), the canonical digest, the row's JSON, decoding attachments — is
done before the lock; under the lock only the rules' fold, one `IN` query for repeats, one multi-row INSERT and
one state UPDATE remain.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from api_client.events import (
    EventKind,
    EventResult,
    LogEvent,
    Outcome,
    ProposeEvent,
    SignOffEvent,
    VisitEvent,
    visit_event_adapter,
)
from api_client.rules.lifecycle import Refused, Role, VisitState, apply
from api_client.rules.timing import clock_offset, clock_warnings

from .db import WRITE, AssignmentRow, AttachmentRow, EngineerRow, EventRow, JobRow, TeamRow
from .images import decode_image
from .principal import Principal
from .safe_text import printable

if TYPE_CHECKING:
    from .store import Applied, Store

log = logging.getLogger(__name__)

BINARY_FIELDS = {"photo_base64": "photo", "signature_png_base64": "signature"}
_WITH_BINARIES = (LogEvent, SignOffEvent)  # the only events that carry any of BINARY_FIELDS
_DATA_EXCLUDE = frozenset({"id", "assignment_id", "device_time", "position", "kind", *BINARY_FIELDS})
_INTEGRITY_RETRIES = 3  # the same new id raced in under another assignment: read again, then it is a repeat

# A whole batch in one validation call; a batch with a malformed event is validated again event by event, so
# that one bad event is refused on its own with its own message.
_batch_adapter: TypeAdapter[list[VisitEvent]] = TypeAdapter(list[VisitEvent])


class Unavailable(Exception):
    """The database could not be reached or locked in time: nothing was decided, try again."""


@dataclass
class _Parsed:
    """A valid event and what its row needs that does not depend on the visit's state (made before the lock)."""

    index: int
    id: uuid.UUID
    event: VisitEvent
    digest: str
    data: dict[str, Any]
    blobs: dict[str, bytes] = field(default_factory=dict)
    bad_blob: Refused | None = None  # an attachment that is not base64: refused when its turn comes


def canonical_digest(event: VisitEvent) -> str:
    """The idempotency fingerprint of the event itself: `Z` or `+00:00` or `+09:00` for the same instant, key
    order, spacing — none of them make a different event."""
    if event.device_time.utcoffset():  # already UTC (offset zero) serializes the same without the copy
        event = event.model_copy(update={"device_time": event.device_time.astimezone(UTC)})
    return hashlib.sha256(event.model_dump_json().encode()).hexdigest()


def _result(item_id: uuid.UUID | None, outcome: Outcome, code: str = "", reason: str = "", **kw: Any) -> EventResult:
    return EventResult(id=item_id, outcome=outcome, reason_code=code, reason=printable(reason), **kw)


def _invalid(event_id: uuid.UUID, exc: ValidationError, received_at: datetime) -> EventResult:
    problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:] or e['loc']))}: {e['msg']}" for e in exc.errors())
    return _result(event_id, Outcome.rejected, "invalid", problems, received_at=received_at)


def _prepared(index: int, event: VisitEvent) -> _Parsed:
    item = _Parsed(
        index, event.id, event, canonical_digest(event), event.model_dump(mode="json", exclude=_DATA_EXCLUDE)
    )
    if isinstance(event, _WITH_BINARIES):
        fields = vars(event)  # not getattr(event, f, None): a pydantic model's missing attribute costs µs
        try:
            for f, name in BINARY_FIELDS.items():
                if (content := decode_image(fields.get(f), f)) is not None:
                    item.blobs[name] = content
        except Refused as refusal:
            item.blobs, item.bad_blob = {}, refusal
    return item


class Ingestor:
    def __init__(self, store: Store) -> None:
        self.store = store
        # SQLite has one writer at a time; writers of this process queue on a lock that wakes the next one at
        # once, instead of polling the database's busy handler (which sleeps up to 100 ms between tries).
        # Other processes still meet BEGIN IMMEDIATE's busy timeout. PostgreSQL queues on the row lock.
        self._one_writer = store.engine.dialect.name == "sqlite"
        self._writers: AbstractContextManager[Any] = threading.Lock() if self._one_writer else nullcontext()

    # -- the batch ------------------------------------------------------------------------------
    def batch(self, raws: list[dict[str, Any]], who: Principal, sent_at: datetime | None = None) -> list[EventResult]:
        received_at = self.store.clock()
        offset = clock_offset(sent_at, received_at)
        results: list[EventResult | None] = [None] * len(raws)
        groups: dict[str, list[_Parsed]] = {}
        for index, parsed in enumerate(self._parse(raws, received_at)):
            if isinstance(parsed, EventResult):
                results[index] = parsed
            else:
                groups.setdefault(parsed.event.assignment_id, []).append(parsed)
        together = self._together(groups, who, received_at, offset) if self._one_writer and len(groups) > 1 else None
        for assignment_id, items in groups.items():
            if together is not None:
                answers = together[assignment_id]
            else:
                answers = self._group(assignment_id, items, who, received_at, offset)
            for item, result in zip(items, answers, strict=True):
                results[item.index] = result
        return [r for r in results if r is not None]

    def _parse(self, raws: list[dict[str, Any]], received_at: datetime) -> list[_Parsed | EventResult]:
        """One parsed event or one refusal per raw event, in order."""
        if all("id" in raw for raw in raws):  # without an id the model would make one up: see _parse_one
            try:
                events = _batch_adapter.validate_python(raws)
            except ValidationError:
                pass
            else:
                return [_prepared(index, event) for index, event in enumerate(events)]
        return [self._parse_one(index, raw, received_at) for index, raw in enumerate(raws)]

    def _parse_one(self, index: int, raw: dict[str, Any], received_at: datetime) -> _Parsed | EventResult:
        try:
            event_id = uuid.UUID(str(raw.get("id")))
        except ValueError:
            return _result(
                None,
                Outcome.rejected,
                "invalid",
                "id: every event needs a client-generated UUID",
                received_at=received_at,
            )
        try:
            return _prepared(index, visit_event_adapter.validate_python(raw))
        except ValidationError as exc:
            return _invalid(event_id, exc, received_at)

    # -- all assignments at once (SQLite) -------------------------------------------------------
    def _together(
        self,
        groups: dict[str, list[_Parsed]],
        who: Principal,
        received_at: datetime,
        offset: timedelta | None,
    ) -> dict[str, list[EventResult]] | None:
        """SQLite has one writer at a time, so a batch's assignment groups are written in one transaction: one
        commit (one fsync) per batch instead of one per assignment. Each group is folded as `_write_group` does.
        None when anything in it failed: then nothing of it was written, and the groups go one by one, each
        with its own answer (`_group`). A database busy past the lock timeout answers `retry` for all at once."""
        store = self.store
        answers: dict[str, list[EventResult]] = {}
        done: list[tuple[str, list[tuple[VisitEvent, datetime]], int]] = []
        locked = False
        try:
            with self._writers, store.sessions() as s:
                s.connection(execution_options=WRITE)  # BEGIN IMMEDIATE
                locked = True
                for assignment_id, items in groups.items():
                    row = s.get(AssignmentRow, assignment_id)
                    if row is None or not store.can_see(s, row.id, who):
                        reason = f"No assignment {assignment_id} for you."
                        answers[assignment_id] = [
                            _result(i.id, Outcome.rejected, "not_found", reason, received_at=received_at) for i in items
                        ]
                        continue
                    answers[assignment_id], applied, jobs = self._fold(s, row, items, who, received_at, offset)
                    done.append((assignment_id, applied, jobs))
                s.commit()
        except (OperationalError, InterfaceError) as exc:
            if locked:  # a fault in one group's statements: each group answers for itself
                log.info("a batch of %d assignments is written one assignment at a time", len(groups), exc_info=True)
                return None
            # Busy past the lock timeout, or restarting: nothing decided, and no group would fare better alone.
            name = type(exc.orig).__name__ if exc.orig else type(exc).__name__
            reason = f"The service's database is busy or restarting ({name}); the device will send it again."
            return {
                aid: [_result(i.id, Outcome.retry, "unavailable", reason, received_at=received_at) for i in items]
                for aid, items in groups.items()
            }
        except Exception:  # a raced id, a fault in one event: each group answers for itself
            log.info("a batch of %d assignments is written one assignment at a time", len(groups), exc_info=True)
            return None
        for assignment_id, applied, jobs in done:
            self._notify(assignment_id, applied, jobs, answers[assignment_id])
        return answers

    # -- one assignment -------------------------------------------------------------------------
    def _group(
        self,
        assignment_id: str,
        items: list[_Parsed],
        who: Principal,
        received_at: datetime,
        offset: timedelta | None,
    ) -> list[EventResult]:
        try:
            return self._write_group(assignment_id, items, who, received_at, offset)
        except Unavailable as exc:
            reason = f"The service's database is busy or restarting ({exc}); the device will send it again."
            return [_result(i.id, Outcome.retry, "unavailable", reason, received_at=received_at) for i in items]
        except Exception:
            if len(items) > 1:
                log.warning("a group of %d events for %s failed; applying them one by one", len(items), assignment_id)
            else:
                log.exception("ingest failed on event %s (assignment %s)", items[0].id, assignment_id)
                reason = "The service failed on this event; it has been logged and the device will send it again."
                return [_result(items[0].id, Outcome.error, "server_error", reason, received_at=received_at)]
        # Something in the group broke: apply one by one so that only the broken event (and the visit's events
        # after it, to keep its order) wait, and everything before it lands.
        out: list[EventResult] = []
        for n, item in enumerate(items):
            [result] = self._group(assignment_id, [item], who, received_at, offset)
            out.append(result)
            if not result.outcome.final:
                waiting = "Waiting for an earlier event of this visit; the device will send it again."
                out += [
                    _result(i.id, Outcome.retry, "waiting", waiting, received_at=received_at) for i in items[n + 1 :]
                ]
                break
        return out

    def _write_group(
        self,
        assignment_id: str,
        items: list[_Parsed],
        who: Principal,
        received_at: datetime,
        offset: timedelta | None,
    ) -> list[EventResult]:
        store = self.store
        for _attempt in range(_INTEGRITY_RETRIES):
            try:
                with self._writers, store.sessions() as s:
                    s.connection(execution_options=WRITE)  # SQLite: BEGIN IMMEDIATE — writers queue here
                    row = s.get(AssignmentRow, assignment_id, with_for_update=True)  # PostgreSQL: row lock
                    if row is None or not store.can_see(s, row.id, who):
                        reason = f"No assignment {assignment_id} for you."
                        return [
                            _result(i.id, Outcome.rejected, "not_found", reason, received_at=received_at) for i in items
                        ]
                    results, applied, jobs = self._fold(s, row, items, who, received_at, offset)
                    s.commit()
                break
            except IntegrityError:
                if not self._raced(items):
                    raise  # not a concurrent delivery: a real fault, answered `error` and logged
                continue  # a concurrent delivery stored one of these ids first: the next pass sees it
            except (OperationalError, InterfaceError) as exc:
                raise Unavailable(type(exc.orig).__name__ if exc.orig else type(exc).__name__) from exc
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    raise Unavailable("connection lost") from exc
                raise
        else:
            raise Unavailable("the same events kept arriving concurrently")
        self._notify(assignment_id, applied, jobs, results)
        return results

    def _fold(
        self,
        s: Session,
        row: AssignmentRow,
        items: list[_Parsed],
        who: Principal,
        received_at: datetime,
        offset: timedelta | None,
    ) -> tuple[list[EventResult], list[tuple[VisitEvent, datetime]], int]:
        """Under the lock: the rules' fold in memory, then one INSERT per table and one UPDATE of the state."""
        store = self.store
        seen: dict[str, Any] = {
            r.id: r for r in s.execute(select(*_REPEAT_COLUMNS).where(EventRow.id.in_([str(i.id) for i in items])))
        }
        request = store.request_of(row)
        # Without the work log (Store._work_log reads it from the events): the fold only appends to it.
        state = start = VisitState.model_validate({**row.state, "log": []})
        offset_s = None if offset is None else round(offset.total_seconds(), 3)
        warnings = clock_warnings(offset, store.max_clock_skew)
        desk = who.role is not Role.engineer
        results: list[EventResult] = []
        applied: list[tuple[VisitEvent, datetime]] = []
        new_rows: list[dict[str, Any]] = []  # one multi-row INSERT (Core: the ORM's per-row bookkeeping is not needed)
        attachments: list[dict[str, Any]] = []
        jobs: list[dict[str, Any]] = []  # the report and mails, done after the answer: see jobs.py
        proposed = False
        for item in items:
            event_id = str(item.id)
            if (earlier := seen.get(event_id)) is not None:
                results.append(self._repeat(earlier, item.digest, who))
                continue
            event = item.event
            if desk:  # the desk's events happen when the service receives them
                event = event.model_copy(update={"device_time": received_at})
            outcome, code, reason = Outcome.applied, "", ""
            try:
                if isinstance(event, ProposeEvent):
                    self._check_engineers(s, event)
                if item.bad_blob is not None:
                    raise item.bad_blob
                state = apply(
                    state,
                    request,
                    event,
                    role=who.role,
                    actor=who.actor,
                    card=store.card,
                    received_at=received_at,
                    skew=store.max_clock_skew,
                    clock_offset=offset,
                )
            except Refused as refusal:
                outcome, code, reason = Outcome.rejected, refusal.code, printable(refusal.message)
            values = {
                "id": event_id,
                "assignment_id": row.id,
                "kind": event.kind.value,
                "actor": who.actor,
                "role": who.role.value,
                "device_time": event.device_time,
                "received_at": received_at,
                "clock_offset_seconds": offset_s,
                "position": None if event.position is None else event.position.model_dump(),
                "data": item.data,
                "body_sha256": item.digest,
                "outcome": outcome.value,
                "reason_code": code,
                "reason": reason,
                "status_after": state.status.value,
            }
            new_rows.append(values)
            seen[event_id] = SimpleNamespace(**values)  # the same id twice in one batch: a repeat
            if outcome is Outcome.applied:
                attachments += [{"event_id": event_id, "name": n, "content": c} for n, c in item.blobs.items()]
                applied.append((event, received_at))
                proposed |= event.kind is EventKind.propose
                if store.jobs is not None and (job := store.jobs.row_for(event, row.id)) is not None:
                    jobs.append(job)
            results.append(
                _result(
                    item.id,
                    outcome,
                    code,
                    reason,
                    received_at=received_at,
                    status=state.status.value,
                    clock_offset_seconds=offset_s,
                    warnings=warnings,
                )
            )
        if new_rows:
            s.execute(insert(EventRow.__table__), new_rows)
        if attachments:
            s.execute(insert(AttachmentRow.__table__), attachments)
        if jobs:
            s.execute(insert(JobRow.__table__), jobs)
        if state is not start:
            row.state = state.model_dump(mode="json", exclude={"log"})  # the log is the log events' rows
            row.status = state.status.value
            row.updated_at = received_at
            row.version += 1
        if proposed:
            s.execute(delete(TeamRow).where(TeamRow.assignment_id == row.id))
            s.add_all(TeamRow(assignment_id=row.id, engineer_id=e) for e in state.engineer_ids)
        return results, applied, len(jobs)

    @staticmethod
    def _check_engineers(s: Session, event: ProposeEvent) -> None:
        known = set(s.scalars(select(EngineerRow.id).where(EngineerRow.id.in_(event.engineer_ids))))
        if unknown := [e for e in event.engineer_ids if e not in known]:
            raise Refused("unknown_engineer", f"No engineer with id {', '.join(unknown)}.")

    def _raced(self, items: list[_Parsed]) -> bool:
        with self.store.sessions() as s:
            ids = [str(i.id) for i in items]
            return s.scalar(select(EventRow.id).where(EventRow.id.in_(ids)).limit(1)) is not None

    @staticmethod
    def _repeat(seen: Any, digest: str, who: Principal) -> EventResult:
        """`seen` is a stored event's columns, or the values of one written earlier in the same batch."""
        if seen.actor != who.actor or seen.body_sha256 != digest:
            return _result(
                uuid.UUID(seen.id),
                Outcome.rejected,
                "idempotency_conflict",
                "This event id was already used for a different event.",
            )
        return EventResult(
            id=uuid.UUID(seen.id),
            outcome=Outcome.duplicate,
            original=Outcome(seen.outcome),
            reason_code=seen.reason_code,
            reason=seen.reason,
            received_at=seen.received_at,
            status=seen.status_after,
            clock_offset_seconds=seen.clock_offset_seconds,
        )

    # -- after the commit -----------------------------------------------------------------------
    def _notify(
        self,
        assignment_id: str,
        applied: list[tuple[VisitEvent, datetime]],
        jobs: int,
        results: list[EventResult],
    ) -> None:
        """After the commit: wake the job worker if there is new work for it (report, mails), then tell
        in-process listeners (live pages). Neither can undo a recorded event; a failing listener is logged,
        never raised into the answer."""
        from .store import Applied

        if self.store.jobs is not None and jobs:
            self.store.jobs.wake()
        if self.store.live is not None and applied:  # one notice per assignment per batch: pages re-read
            self.store.live.publish(assignment_id, applied[-1][0].kind.value)
        elif self.store.live is not None and any(r.outcome is Outcome.rejected for r in results):
            self.store.live.publish(assignment_id, "rejected")  # the desk's board shows refused device actions
        if not self.store.listeners:
            return
        for event, received_at in applied:
            notice = Applied(self.store, assignment_id, event, received_at)
            for listener in self.store.listeners:
                _call(listener, notice)


# What a repeat is answered from (not the event's data: a day's repeats are read in one query).
_REPEAT_COLUMNS = (
    EventRow.id,
    EventRow.actor,
    EventRow.body_sha256,
    EventRow.outcome,
    EventRow.reason_code,
    EventRow.reason,
    EventRow.received_at,
    EventRow.status_after,
    EventRow.clock_offset_seconds,
)


def _call(listener: Callable[[Applied], None], notice: Applied) -> None:
    try:
        listener(notice)
    except Exception:
        log.exception("listener %r failed after event %s was recorded", listener, notice.event.id)
