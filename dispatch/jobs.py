"""Work that follows an event — the service report, the mails — done after the device has its answer.

A job is written in the same transaction as the event it follows (`Ingestor`), so a committed sign-off always
has its report job, and a crash or restart loses none. Every instance runs a worker that claims due jobs with
`SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL; on SQLite the claim is a write transaction), runs them and marks
them done. Delivery is at least once: a job whose worker died is claimed again when its lease runs out, so a
handler must be safe to repeat (the report is stored by assignment; a mail may, rarely, be sent twice).

Scheduling uses the machine's own clock, not the service's domain clock: leases and back-off are about this
process, not about when things happened on site.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from api_client.clock import system_clock
from api_client.events import EventKind, VisitEvent, visit_event_adapter

from .db import WRITE, EventRow, JobRow

if TYPE_CHECKING:
    from .store import Applied, Store

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # a job not finished by then is taken again by any worker
MAX_ATTEMPTS = 5
POLL_SECONDS = 1.0  # other instances' jobs are found at least this often; our own wake the worker at once

Handler = Callable[["Applied"], None]


class Jobs:
    """The queue of after-event work, and this instance's worker."""

    def __init__(self, store: Store, handler: Handler, kinds: frozenset[EventKind]) -> None:
        self.store = store
        self.handler = handler
        self.kinds = kinds
        self.now = system_clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the producer side (inside the event's transaction) -----------------------------------------
    def row_for(self, event: VisitEvent, assignment_id: str) -> dict[str, Any] | None:
        if event.kind not in self.kinds:
            return None
        now = self.now()
        return {
            "key": f"after:{event.id}",
            "assignment_id": assignment_id,
            "event_id": str(event.id),
            "state": "pending",
            "attempts": 0,
            "run_after": now,
            "locked_until": None,
            "last_error": "",
            "created_at": now,
        }

    # -- the worker ---------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="field-jobs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                while self.run_due() and not self._stop.is_set():
                    pass
            except Exception:  # the database may be restarting: try again at the next poll
                log.exception("job worker pass failed")
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def run_due(self, limit: int = 5) -> int:
        """Claim up to `limit` due jobs, run them, record the outcome; returns how many were claimed."""
        claimed = self._claim(limit)
        for job_id, event_id in claimed:
            try:
                self.handler(self._applied(event_id))
            except Exception as exc:  # recorded and retried with back-off; never lost
                log.exception("job %s for event %s failed", job_id, event_id)
                self._finish(job_id, error=f"{type(exc).__name__}: {exc}")
            else:
                self._finish(job_id)
        return len(claimed)

    def drain(self, timeout: float = 30) -> None:
        """Run every due job now (tests and the CLI; the worker does this by itself)."""
        deadline = self.now() + timedelta(seconds=timeout)
        while self.pending() and self.now() < deadline:
            if not self.run_due():
                self._stop.wait(0.05)

    def pending(self) -> int:
        with self.store.sessions() as s:
            return len(s.scalars(select(JobRow.id).where(JobRow.state == "pending")).all())

    def _claim(self, limit: int) -> list[tuple[int, str]]:
        now = self.now()
        with self.store.sessions() as s:
            s.connection(execution_options=WRITE)
            due = s.scalars(
                select(JobRow)
                .where(
                    JobRow.state == "pending",
                    JobRow.run_after <= now,
                    or_(JobRow.locked_until.is_(None), JobRow.locked_until < now),
                )
                .order_by(JobRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            for job in due:
                job.locked_until, job.attempts = now + LEASE, job.attempts + 1
            claimed = [(job.id, job.event_id) for job in due]
            s.commit()
        return claimed

    def _finish(self, job_id: int, error: str = "") -> None:
        now = self.now()
        with self.store.writing() as s:
            job = s.get(JobRow, job_id)
            if job is None:
                return
            job.locked_until = None
            if not error:
                job.state, job.done_at = "done", now
            elif job.attempts >= MAX_ATTEMPTS:
                job.state, job.last_error = "failed", error
            else:
                job.last_error, job.run_after = error, now + timedelta(seconds=5 * 2**job.attempts)

    def _applied(self, event_id: str) -> Applied:
        """The event as it was recorded, for the handler."""
        from .store import Applied

        with self.store.sessions() as s:
            row = s.scalar(select(EventRow).where(EventRow.id == event_id))
            if row is None:
                raise LookupError(f"event {event_id} is gone")
            raw = {
                "id": str(uuid.UUID(row.id)),
                "assignment_id": row.assignment_id,
                "kind": row.kind,
                "device_time": row.device_time.astimezone(UTC),
                "position": row.position,
                **row.data,
            }
            received_at: datetime = row.received_at
        return Applied(self.store, raw["assignment_id"], visit_event_adapter.validate_python(raw), received_at)
