"""Cursor pagination: the cursor is the (visit_start, id) of the last item sent, so pages stay stable while
assignments are added, and the database seeks to it by index instead of counting an offset."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime, timedelta

from fastapi.exceptions import RequestValidationError

DEFAULT_PAGE = 100
MAX_PAGE = 200
GZIP_ABOVE_BYTES = 1400  # about one packet: smaller answers go as they are (README "Limits")


def make_cursor(visit_start: datetime, assignment_id: str) -> str:
    raw = json.dumps([visit_start.isoformat(), assignment_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        at, assignment_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        when = datetime.fromisoformat(at)
        if when.tzinfo is None or not isinstance(assignment_id, str):
            raise ValueError
    except (ValueError, TypeError, binascii.Error) as exc:
        raise RequestValidationError(
            [{"loc": ("query", "cursor"), "type": "cursor", "msg": "not a cursor this service gave out"}]
        ) from exc
    return when, assignment_id


# -- re-sync and conditional requests ---------------------------------------------------------------------
# `since`: the service's clock when a list was read (the `X-Since` of its answer). An assignment changed after
# that comes back on the next read with it. The read repeats the last minute before the mark: a write that took
# its time before the mark but committed after the read (a lock wait, another instance's clock) is not missed;
# a device compares versions, so a repeat costs nothing.
SINCE_OVERLAP = timedelta(seconds=60)


def make_since(at: datetime) -> str:
    return base64.urlsafe_b64encode(at.isoformat().encode()).decode().rstrip("=")


def read_since(token: str) -> datetime:
    """The earliest change time to send again for this `since` token."""
    try:
        when = datetime.fromisoformat(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
        if when.tzinfo is None:
            raise ValueError
        return when - SINCE_OVERLAP
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise RequestValidationError(
            [{"loc": ("query", "since"), "type": "since", "msg": "not a `since` mark this service gave out (X-Since)"}]
        ) from exc


def etag(kind: str, items: Iterable[tuple[str, int]], next_cursor: str | None) -> str:
    """A weak validator of a page: which assignments, at which versions, in which representation. Computed from
    the rows read, before (and instead of) serializing them. Weak: a visit on site has a bill that runs with the
    clock; the device computes that estimate itself from the same rules."""
    digest = hashlib.blake2b(kind.encode(), digest_size=16)
    for assignment_id, version in items:
        digest.update(f"\n{assignment_id}:{version}".encode())
    digest.update(f"\n>{next_cursor or ''}".encode())
    return f'W/"{digest.hexdigest()}"'


def not_modified(if_none_match: str | None, current: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): a list of tags, or `*`."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or current.removeprefix("W/") in tags


class PageCache:
    """Answers already built, by ETag (and encoding): a list line is a function of its assignment's id and version
    (`visit_start`, `expedited` and the request's summary never change; status and `updated_at` change only with
    the version), so the ETag names the bytes, on every instance, with nothing to invalidate. Bounded in entries
    and bytes (README "Limits"); least recently used first out."""

    def __init__(self, max_entries: int = 2048, max_bytes: int = 32_000_000) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[tuple[str, bool], tuple[bytes, bool]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, bool]) -> tuple[bytes, bool] | None:
        """By (ETag, gzip accepted): (the body, whether it is gzipped)."""
        with self._lock:
            if (found := self._items.get(key)) is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, bool], built: tuple[bytes, bool]) -> None:
        if len(built[0]) > self.max_bytes // 8:
            return
        with self._lock:
            if (old := self._items.pop(key, None)) is not None:
                self._bytes -= len(old[0])
            self._items[key] = built
            self._bytes += len(built[0])
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                self._bytes -= len(self._items.popitem(last=False)[1][0])
