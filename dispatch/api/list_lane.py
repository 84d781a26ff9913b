"""The list's fast lane: a phone asking again for a list page that cannot have changed gets the answer it got
before, without the route, its token lookup or its page query.

"Cannot have changed" is SQLite's own word: `PRAGMA data_version` on a connection that never writes changes
whenever any other connection — this process's pool, another instance on the same file, the CLI — commits. An
answer is kept with the data version read before the request went to the route; while the version is the same,
nothing in the database differs, so the token that was valid still is (a rotated or revoked token is a commit),
and the page holds the same lines at the same versions. Any commit sends the next request down the ordinary path
(which has its own cache by ETag: a rebuild costs one key query). Only the per-answer parts are made again:
`X-Since` from the service's clock, and 304 against the kept ETag.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .paging import make_since, not_modified

PATH = "/v1/assignments/summaries"
MAX_ENTRIES = 4096
MAX_BYTES = 16_000_000
_PER_ANSWER = {b"x-since", b"content-length"}  # made again for every answer


@dataclass(frozen=True)
class _Answer:
    data_version: int
    etag: bytes
    headers: list[tuple[bytes, bytes]]  # as the route sent them, without the per-answer ones
    body: bytes


class DataVersion:
    """SQLite's change counter for one database file, read on a connection of its own that never writes."""

    def __init__(self, db_path: Path) -> None:
        # Opened lazily and read on the event loop only (a read of the WAL index header: microseconds, no lock).
        self._path, self._conn = db_path, None
        self._lock = threading.Lock()

    def read(self) -> int | None:
        try:
            with self._lock:
                if self._conn is None:
                    self._conn = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
                return self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:  # the file is being replaced or is unreadable: the ordinary path decides
            return None

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
        read_at = self.state.store.clock()  # before the version: a commit after it comes with the next `since`
        current = version.read()
        if current is not None and (kept := self._answers.get(key)) is not None and kept.data_version == current:
            self._answers.move_to_end(key)
            await self._replay(kept, read_at, headers.get(b"if-none-match"), send)
            return
        if current is None:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self._keeping(key, current, send))

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

    def _keeping(self, key: tuple[bytes, ...], data_version: int, send: Send) -> Send:
        """`send`, keeping a complete 200 answer for the key."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._put(key, data_version, start["headers"], b"".join(chunks))
            await send(message)

        return keep

    def _put(self, key: tuple[bytes, ...], data_version: int, raw: list[tuple[bytes, bytes]], body: bytes) -> None:
        headers = [(k.lower(), v) for k, v in raw if k.lower() not in _PER_ANSWER]
        etag = next((v for k, v in headers if k == b"etag"), None)
        if etag is None or len(body) > self.max_bytes // 8:
            return
        if (old := self._answers.pop(key, None)) is not None:
            self._bytes -= len(old.body)
        self._answers[key] = _Answer(data_version, etag, headers, body)
        self._bytes += len(body)
        while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
            self._bytes -= len(self._answers.popitem(last=False)[1].body)


def sqlite_file(database_url: str) -> Path | None:
    """The database file of an SQLite URL; None for an in-memory database or any other engine."""
    if not database_url.startswith("sqlite:///"):
        return None
    path = database_url.removeprefix("sqlite:///").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)
