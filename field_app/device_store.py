"""The device store: what the phone keeps so it works in a basement with no signal.

SQLite (stdlib only — no server dependencies in the phone bundle) in the app's data folder:
- `kv`: the session (server URL, engineer, language) and the last rate card;
- `assignments`: the last copy the server sent;
- `outbox`: every action the engineer took, appended with its client UUID and device time in the same
  transaction as anything else that action changes locally. Entries move pending -> sending -> sent |
  refused; they leave only when the server has answered with a final result (applied, duplicate, or a
  rule's refusal), and in-flight ones return to pending on start-up (the server de-duplicates by UUID, so
  resending is always safe). A non-final answer (`retry`, `error`) puts the entry back to pending with the
  reason: an `error` shows as "stuck: server error" and is sent again with the next sync's back-off.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from api_client._base import parse_response
from api_client.events import EventResult, Outcome
from api_client.rate_card import RateCard
from api_client.wire import Assignment

SERVER_ERROR = "server_error"  # the reason code of an entry the server failed on: shown as stuck

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS assignments (
    id TEXT PRIMARY KEY, body TEXT NOT NULL, fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    assignment_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    device_time TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'refused')),
    reason_code TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    acked_at TEXT,
    reflected INTEGER NOT NULL DEFAULT 0   -- 1 once a refreshed assignment includes this event
);
CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, seq);
-- A visit as last folded with this device's actions (field_app/fold_snapshot.py): a restart starts from it instead
-- of folding a day's backlog again. Only a cache: `basis` says what it was folded from, `seqs` which actions.
CREATE TABLE IF NOT EXISTS folds (
    assignment_id TEXT PRIMARY KEY, basis TEXT NOT NULL, seqs TEXT NOT NULL, state TEXT NOT NULL
);
"""


# A stored fold of an assignment the device no longer holds is of no use (a changed copy is caught by its basis).
_DROP_ORPHAN_FOLDS = "DELETE FROM folds WHERE assignment_id NOT IN (SELECT id FROM assignments)"


class Delivery(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    refused = "refused"


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    event_id: str
    assignment_id: str
    kind: str
    body_json: str  # parsed on first use: reading a backlog of thousands must not parse every body
    device_time: datetime
    state: Delivery
    reason_code: str
    reason: str
    attempts: int
    last_error: str
    reflected: bool

    @cached_property
    def body(self) -> dict[str, Any]:
        return json.loads(self.body_json)

    @property
    def delivery(self) -> tuple[Any, ...]:
        """The columns delivery changes, as `DeviceStore.deliveries` reads them."""
        return (self.seq, self.state, self.reason_code, self.reason, self.attempts, self.last_error, self.reflected)

    @property
    def unacknowledged(self) -> bool:
        return self.state in (Delivery.pending, Delivery.sending)

    @property
    def stuck(self) -> bool:
        """Kept and retried, but the server failed on it last time: the engineer should see that."""
        return self.reason_code == SERVER_ERROR and self.unacknowledged  # read for every entry: the rare case first

    @property
    def affects_local_state(self) -> bool:
        """Waiting, or sent but not yet seen in a refreshed copy: still fold it locally so the screen doesn't step
        back. (Read for every entry on a restart: written without the nested property.)"""
        state = self.state
        return state is not Delivery.refused and not (state is Delivery.sent and self.reflected)


def _row_entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        seq=row["seq"],
        event_id=row["event_id"],
        assignment_id=row["assignment_id"],
        kind=row["kind"],
        body_json=row["body"],
        device_time=datetime.fromisoformat(row["device_time"]),
        state=Delivery(row["state"]),
        reason_code=row["reason_code"],
        reason=row["reason"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        reflected=bool(row["reflected"]),
    )


# An entry's columns in OutboxEntry's order, read as plain tuples: a restart reads every entry of a day's backlog.
_ENTRY_COLUMNS = (
    "seq, event_id, assignment_id, kind, body, device_time, state, reason_code, reason, attempts, last_error, reflected"
)
_DELIVERIES = {d.value: d for d in Delivery}  # a dict lookup: the Enum call costs ~1 µs an entry


def _tuple_entry(row: tuple[Any, ...]) -> OutboxEntry:
    seq, event_id, aid, kind, body, device_time, state, code, reason, attempts, error, reflected = row
    return OutboxEntry(
        seq,
        event_id,
        aid,
        kind,
        body,
        datetime.fromisoformat(device_time),
        _DELIVERIES[state],
        code,
        reason,
        attempts,
        error,
        bool(reflected),
    )


class DeviceStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()  # the UI and the sync task share one connection
        # Bumped whenever the stored assignments change, so the view state re-reads them only then.
        self.assignments_revision = 0
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # an acknowledged tap survives a power cut
            self._db.executescript(_SCHEMA)
        self.recover_in_flight()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- key/value ------------------------------------------------------------------------------
    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return None if row is None else row["value"]

    def put(self, key: str, value: str | None, conn: sqlite3.Connection | None = None) -> None:
        db = conn or self._db
        with self._lock:
            if value is None:
                db.execute("DELETE FROM kv WHERE key = ?", (key,))
            else:
                db.execute(
                    "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def rate_card(self) -> RateCard | None:
        raw = self.get("rate_card")
        return None if raw is None else RateCard.model_validate_json(raw)

    def save_rate_card(self, card: RateCard) -> None:
        self.put("rate_card", card.model_dump_json())

    # -- assignments ----------------------------------------------------------------------------
    def replace_assignments(self, assignments: Sequence[Assignment], fetched_at: datetime) -> None:
        """Store the server's full list; events the server now reflects stop being folded locally."""
        with self.transaction() as db:
            db.execute("DELETE FROM assignments")
            db.executemany(
                "INSERT INTO assignments (id, body, fetched_at) VALUES (?, ?, ?)",
                [(a.id, a.model_dump_json(), fetched_at.isoformat()) for a in assignments],
            )
            db.execute(_DROP_ORPHAN_FOLDS)
            db.execute(
                "UPDATE outbox SET reflected = 1 WHERE state = 'sent' AND acked_at <= ?", (fetched_at.isoformat(),)
            )
            self.put("last_sync", fetched_at.isoformat(), db)
        self.assignments_revision += 1

    def merge_assignments(
        self, changed: Sequence[Assignment], listed: Sequence[str] | None, fetched_at: datetime
    ) -> None:
        """A pull that fetched only what changed: store those copies, drop the ones the server no longer lists
        for this device (`listed`; None: the list was unchanged, keep all), and, as `replace_assignments`, stop
        folding locally the events acknowledged before `fetched_at` (the copies now include them)."""
        with self.transaction() as db:
            if listed is not None:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS listed (id TEXT PRIMARY KEY)")
                db.execute("DELETE FROM listed")
                db.executemany("INSERT OR IGNORE INTO listed (id) VALUES (?)", [(i,) for i in listed])
                db.execute("DELETE FROM assignments WHERE id NOT IN (SELECT id FROM listed)")
                db.execute(_DROP_ORPHAN_FOLDS)
            db.executemany(
                "INSERT INTO assignments (id, body, fetched_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE "
                "SET body = excluded.body, fetched_at = excluded.fetched_at",
                [(a.id, a.model_dump_json(), fetched_at.isoformat()) for a in changed],
            )
            reflected = db.execute(
                "UPDATE outbox SET reflected = 1 WHERE state = 'sent' AND reflected = 0 AND acked_at <= ?",
                (fetched_at.isoformat(),),
            ).rowcount
            self.put("last_sync", fetched_at.isoformat(), db)
        if changed or listed is not None or reflected:  # the copies (or what is folded onto them) changed
            self.assignments_revision += 1

    def saved_fold(self, assignment_id: str) -> tuple[str, str, str] | None:
        """(basis, seqs JSON, visit state JSON) of the visit's stored fold, if any (see fold_snapshot.py)."""
        with self._lock:
            row = self._db.execute(
                "SELECT basis, seqs, state FROM folds WHERE assignment_id = ?", (assignment_id,)
            ).fetchone()
        return None if row is None else (row["basis"], row["seqs"], row["state"])

    def save_fold(self, assignment_id: str, basis: str, seqs: str, state: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO folds (assignment_id, basis, seqs, state) VALUES (?, ?, ?, ?) ON CONFLICT(assignment_id) "
                "DO UPDATE SET basis = excluded.basis, seqs = excluded.seqs, state = excluded.state",
                (assignment_id, basis, seqs, state),
            )

    def assignments(self) -> list[Assignment]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM assignments").fetchall()
        return [parse_response(Assignment, r["body"]) for r in rows]  # a newer server's fields, as the client does

    def last_sync(self) -> datetime | None:
        raw = self.get("last_sync")
        return None if raw is None else datetime.fromisoformat(raw)

    def clear_session_data(self) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM assignments")
            db.execute("DELETE FROM folds")
            db.execute("DELETE FROM outbox WHERE state IN ('sent', 'refused')")
            for key in ("engineer", "token", "rate_card", "last_sync", "pull:list_etag", "pull:since"):
                self.put(key, None, db)
        self.assignments_revision += 1

    # -- outbox ---------------------------------------------------------------------------------
    def enqueue(self, event: BaseModel, conn: sqlite3.Connection | None = None) -> OutboxEntry:
        """Append one action: a single small insert (nothing here reads the backlog). Returns the entry as
        stored, so the caller can add it to what it shows without reading the outbox again."""
        body = event.model_dump(mode="json")
        text = json.dumps(body, ensure_ascii=False)
        sql = (
            "INSERT INTO outbox (event_id, assignment_id, kind, body, device_time, state) "
            "VALUES (?, ?, ?, ?, ?, 'pending')"
        )
        args = (body["id"], body["assignment_id"], body["kind"], text, body["device_time"])
        if conn is not None:
            with self._lock:
                seq = conn.execute(sql, args).lastrowid
        else:
            with self.transaction() as db:
                seq = db.execute(sql, args).lastrowid
        assert seq is not None
        entry = OutboxEntry(
            seq=seq,
            event_id=body["id"],
            assignment_id=body["assignment_id"],
            kind=body["kind"],
            body_json=text,
            device_time=datetime.fromisoformat(body["device_time"]),
            state=Delivery.pending,
            reason_code="",
            reason="",
            attempts=0,
            last_error="",
            reflected=False,
        )
        entry.__dict__["body"] = body  # already parsed: fill the cached property
        return entry

    def recover_in_flight(self) -> int:
        """After a crash or kill between send and ack, the entry is sent again (same UUID)."""
        with self._lock:
            return self._db.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'").rowcount

    def take_batch(
        self,
        limit: int = 500,
        max_bytes: int = 1_000_000,
        after_seq: int = 0,
        skip_assignments: Collection[str] = (),
    ) -> list[OutboxEntry]:
        """The oldest pending entries after `after_seq`, in order, marked as sending: up to `limit` entries or
        `max_bytes` of bodies, so a day's backlog goes in a few requests and a photo travels nearly alone.
        Entries of `skip_assignments` stay for a later pass: an earlier entry of that visit is held, and the
        visit's order must hold on the server."""
        skip = list(skip_assignments)
        marks = ", ".join("?" * len(skip))
        with self.transaction() as db:
            rows, size = [], 0
            cursor = db.execute(
                "SELECT * FROM outbox WHERE state = 'pending' AND seq > ? "
                f"AND assignment_id NOT IN ({marks}) ORDER BY seq LIMIT ?",
                (after_seq, *skip, limit),
            )
            for row in cursor:
                size += len(row["body"].encode())
                if rows and size > max_bytes:
                    break
                rows.append(row)
            db.executemany(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE seq = ?",
                [(r["seq"],) for r in rows],
            )
        return [_row_entry(r) for r in rows]

    def release(self, entries: Sequence[OutboxEntry], error: str) -> None:
        """The batch did not get an answer: back to pending, keeping the error to show."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE outbox SET state = 'pending', last_error = ? WHERE seq = ? AND state = 'sending'",
                [(error, e.seq) for e in entries],
            )

    def record_results(self, results: Sequence[EventResult], acked_at: datetime | None = None) -> None:
        """A whole batch's answers in one transaction (two statements, each run for all its rows)."""
        acked = (acked_at or datetime.now(UTC)).isoformat()
        held, final = [], []
        for r in results:
            if r.id is None:
                continue
            if not r.outcome.final:  # nothing was recorded: keep it, say why, send it again later
                held.append((r.reason_code or SERVER_ERROR, r.reason, r.reason, str(r.id)))
                continue
            outcome = r.original if r.outcome is Outcome.duplicate and r.original else r.outcome
            state = Delivery.refused if outcome is Outcome.rejected else Delivery.sent
            final.append((state.value, r.reason_code, r.reason, acked, str(r.id)))
        with self.transaction() as db:
            db.executemany(
                "UPDATE outbox SET state = 'pending', reason_code = ?, reason = ?, last_error = ? "
                "WHERE event_id = ? AND state = 'sending'",
                held,
            )
            db.executemany(
                "UPDATE outbox SET state = ?, reason_code = ?, reason = ?, acked_at = ?, last_error = '' "
                "WHERE event_id = ?",
                final,
            )

    def entries(self, assignment_id: str | None = None, after_seq: int = 0) -> list[OutboxEntry]:
        with self._lock:
            cursor = self._db.cursor()
            cursor.row_factory = None  # plain tuples, in OutboxEntry's order (see _tuple_entry)
            if assignment_id is None:
                rows = cursor.execute(
                    f"SELECT {_ENTRY_COLUMNS} FROM outbox WHERE seq > ? ORDER BY seq", (after_seq,)
                ).fetchall()
            else:
                rows = cursor.execute(
                    f"SELECT {_ENTRY_COLUMNS} FROM outbox WHERE assignment_id = ? AND seq > ? ORDER BY seq",
                    (assignment_id, after_seq),
                ).fetchall()
        return [_tuple_entry(r) for r in rows]

    def deliveries(self) -> list[tuple[Any, ...]]:
        """What delivery changes of every entry, oldest first, without the bodies:
        (seq, state, reason_code, reason, attempts, last_error, reflected) — `DELIVERY_COLUMNS` of an entry."""
        with self._lock:
            cursor = self._db.cursor()
            cursor.row_factory = None  # plain tuples: compared as they are with what the app holds
            return cursor.execute(
                "SELECT seq, state, reason_code, reason, attempts, last_error, reflected FROM outbox ORDER BY seq"
            ).fetchall()

    def stuck_count(self) -> int:
        """Entries waiting that the server failed on last time (see `OutboxEntry.stuck`)."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending') AND reason_code = ?",
                (SERVER_ERROR,),
            ).fetchone()
        return row[0]

    def counts(self) -> dict[Delivery, int]:
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state").fetchall()
        counts = dict.fromkeys(Delivery, 0)
        counts.update({Delivery(r["state"]): r["n"] for r in rows})
        return counts
