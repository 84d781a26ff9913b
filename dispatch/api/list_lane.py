"""The list's fast lane: a phone asking again for a list page that cannot have changed gets the answer it got
before, without the route, its token lookup or its page query.

"Cannot have changed" is read from SQLite in two steps. `PRAGMA data_version`, on a connection that never writes,
moves whenever any other connection — this process's pool, another instance on the same file, the CLI — commits:
while it is the same, nothing in the database differs, so the token that was valid still is and the page holds
the same lines at the same versions. When it moved, one narrow read tells whether *this* list moved: the token's
engineer (as the route resolves it: a rotated or revoked token finds none) and that engineer's list version,
which triggers on the assignment and team tables bump on every change to their lines (`dispatch/db.py`
LIST_VERSIONS_SQLITE; "*" for the desk's token, which sees every assignment). The same engineer at the same
version: the kept answer again. Both are read before the request goes to the route, so an answer is never
newer-stamped than what it holds. Only the per-answer parts are made again: `X-Since` from the service's clock,
and 304 against the kept ETag.

It answers only what it has seen answered 200 by the route for the same token, query, host and encoding, and
only while the caller's address is not held back by the failed-token limiter; everything else, and every
database other than an SQLite file (PostgreSQL: several instances, no data version), goes the ordinary way.
Bounded in entries and bytes (README "Limits").
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..settings import Settings
from ..store import token_digest
from .deps import is_dispatcher_token
from .paging import make_since, not_modified

PATH = "/v1/assignments/summaries"
MAX_ENTRIES = 4096
MAX_BYTES = 16_000_000
_PER_ANSWER = {b"x-since", b"content-length"}  # made again for every answer


@dataclass(frozen=True)
class _Answer:
    data_version: int
    stamp: tuple[str, int]  # (whose list, its version) when the answer was read
    etag: bytes
    headers: list[tuple[bytes, bytes]]  # as the route sent them, without the per-answer ones
    body: bytes


class DataVersion:
    """SQLite's change counter for one database file, and the list versions kept by the triggers of
    `dispatch/db.py` (LIST_VERSIONS_SQLITE), read on a connection of its own that never writes."""

    def __init__(self, db_path: Path) -> None:
        # Opened lazily and read on the event loop only (microseconds: the WAL index header, one index lookup).
        self._path, self._conn = db_path, None
        self._lock = threading.Lock()

    def _read(self, sql: str, params: tuple[str, ...] = ()) -> Any:
        try:
            with self._lock:
                if self._conn is None:
                    self._conn = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
                return self._conn.execute(sql, params).fetchone()
        except sqlite3.Error:  # the file is being replaced or is unreadable: the ordinary path decides
            return None

    def read(self) -> int | None:
        found = self._read("PRAGMA data_version")
        return None if found is None else found[0]

    def list_stamp(self, token: str, settings: Settings) -> tuple[str, int] | None:
        """Whose list this token reads, as the route resolves it, and that list's version; None when the token is
        unknown (the route answers it)."""
        if is_dispatcher_token(token, settings):
            found = self._read("SELECT '*', COALESCE((SELECT version FROM list_versions WHERE scope = '*'), 0)")
        else:
            found = self._read(
                "SELECT e.id, COALESCE(v.version, 0) FROM engineers e LEFT JOIN list_versions v ON v.scope = e.id "
                "WHERE e.token_sha256 = ?",
                (token_digest(token),),
            )
        return None if found is None else (found[0], found[1])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class ListLane:
    def __init__(self, app: ASGIApp, state: Any, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.app, self.state = app, state
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._answers: OrderedDict[tuple[bytes, ...], _Answer] = OrderedDict()
        self._bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        version: DataVersion | None = getattr(self.state, "data_version", None)
        if version is None or scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        # The first of a repeated header, as Starlette reads it: the lane must key what the route answered.
        headers = dict(reversed(scope["headers"]))
        authorization = headers.get(b"authorization", b"")
        client = scope["client"][0] if scope.get("client") else "unknown"
        if not authorization.startswith(b"Bearer ") or self.state.auth_limiter.retry_after(client) is not None:
            await self.app(scope, receive, send)
            return
        key = (
            hashlib.sha256(authorization).digest(),  # not the token itself: memory dumps happen
            scope["query_string"],
            headers.get(b"host", b""),
            b"gzip" if b"gzip" in headers.get(b"accept-encoding", b"") else b"",
        )
        read_at = self.state.store.clock()  # before the versions: a commit after them comes with the next `since`
        current = version.read()
        if current is None:
            await self.app(scope, receive, send)
            return
        kept = self._answers.get(key)
        if kept is not None and kept.data_version == current:  # nothing in the database changed
            self._answers.move_to_end(key)
            await self._replay(kept, read_at, headers.get(b"if-none-match"), send)
            return
        # Something changed: this list, or another one. One narrow read tells (the token as the route reads it).
        stamp = version.list_stamp(authorization[7:].decode("latin-1"), self.state.settings)
        if stamp is None:
            await self.app(scope, receive, send)
            return
        if kept is not None and kept.stamp == stamp:  # this list did not change: the same answer, checked now
            self._answers[key] = kept = replace(kept, data_version=current)
            self._answers.move_to_end(key)
            await self._replay(kept, read_at, headers.get(b"if-none-match"), send)
            return
        await self.app(scope, receive, self._keeping(key, current, stamp, send))

    async def _replay(self, kept: _Answer, read_at: Any, if_none_match: bytes | None, send: Send) -> None:
        headers = [*kept.headers, (b"x-since", make_since(read_at).encode())]
        if if_none_match is not None and not_modified(if_none_match.decode("latin-1"), kept.etag.decode()):
            headers = [(k, v) for k, v in headers if k not in (b"content-type", b"content-encoding")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers.append((b"content-length", str(len(kept.body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": kept.body})

    def _keeping(self, key: tuple[bytes, ...], data_version: int, stamp: tuple[str, int], send: Send) -> Send:
        """`send`, keeping a complete 200 answer for the key."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._put(key, _Answer(data_version, stamp, b"", start["headers"], b"".join(chunks)))
            await send(message)

        return keep

    def _put(self, key: tuple[bytes, ...], built: _Answer) -> None:
        headers = [(k.lower(), v) for k, v in built.headers if k.lower() not in _PER_ANSWER]
        etag = next((v for k, v in headers if k == b"etag"), None)
        if etag is None or len(built.body) > self.max_bytes // 8:
            return
        if (old := self._answers.pop(key, None)) is not None:
            self._bytes -= len(old.body)
        self._answers[key] = replace(built, etag=etag, headers=headers)
        self._bytes += len(built.body)
        while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
            self._bytes -= len(self._answers.popitem(last=False)[1].body)


def sqlite_file(database_url: str) -> Path | None:
    """The database file of an SQLite URL; None for an in-memory database or any other engine."""
    if not database_url.startswith("sqlite:///"):
        return None
    path = database_url.removeprefix("sqlite:///").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)
