"""Live updates for the web pages: "assignment X changed" reaches every browser, on every instance.

A change is only a notice (which assignment, what kind, when); a page re-reads the store and re-renders the
fragment it shows, so a notice lost or repeated shows the same truth. On SQLite (one instance) the bus is
in-process; on PostgreSQL every publish is a `NOTIFY field_live` and each instance `LISTEN`s on one connection
of its own, so a browser connected to any instance hears about an event recorded by another — no broker of our
own.

    store.live.publish(assignment_id, "arrive")            # after the commit, from any thread
    async with store.live.subscribe() as feed:             # in an SSE endpoint
        async for change in feed: ...
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from api_client.clock import Clock

log = logging.getLogger(__name__)

CHANNEL = "field_live"
QUEUE_SIZE = 1000  # notices kept per browser; a browser that falls further behind gets a "resync" notice


@dataclass(frozen=True)
class Change:
    assignment_id: str
    kind: str  # an event kind, or "requested" / "class4" / "desk" / "resync"
    at: datetime


class _Subscriber:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[Change] = asyncio.Queue(QUEUE_SIZE)

    def offer(self, change: Change) -> None:
        """Runs on the subscriber's event loop."""
        try:
            self.queue.put_nowait(change)
        except asyncio.QueueFull:  # never block the publisher for a slow browser: ask it to re-read everything
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(Change("", "resync", change.at))


class LiveBus:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.clock = clock
        self._engine = engine
        self._subscribers: set[_Subscriber] = set()
        self._lock = threading.Lock()
        self._postgres = engine.dialect.name == "postgresql"
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        self.listening = threading.Event()  # PostgreSQL: set while this instance's LISTEN connection is up
        if self._postgres:
            self._listener = threading.Thread(target=self._listen, name="live-listen", daemon=True)
            self._listener.start()

    # -- publishing ------------------------------------------------------------------------------
    def publish(self, assignment_id: str, kind: str) -> None:
        """Call after the commit. Never raises: a page missing a notice is repaired by the next one."""
        change = Change(assignment_id, kind, self.clock())
        if not self._postgres:
            self._deliver(change)
            return
        payload = json.dumps({"a": assignment_id, "k": kind, "t": change.at.isoformat()})
        try:
            with self._engine.connect() as conn:
                conn.exec_driver_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
                conn.commit()
        except Exception:
            log.exception("live notice for %s not sent", assignment_id)

    def _deliver(self, change: Change) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for sub in subscribers:
            try:
                sub.loop.call_soon_threadsafe(sub.offer, change)
            except RuntimeError:  # its loop has closed: the browser is gone
                with self._lock:
                    self._subscribers.discard(sub)

    # -- subscribing -----------------------------------------------------------------------------
    @asynccontextmanager
    async def subscribe(self) -> AsyncIterator[AsyncIterator[Change]]:
        sub = _Subscriber(asyncio.get_running_loop())
        with self._lock:
            self._subscribers.add(sub)
        try:
            yield _feed(sub)
        finally:
            with self._lock:
                self._subscribers.discard(sub)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)

    # -- PostgreSQL ------------------------------------------------------------------------------
    def _listen(self) -> None:
        """One LISTEN connection per instance; reconnects after a failure (notices meanwhile are lost, so each
        subscriber gets a resync)."""
        import psycopg  # only with the postgres extra

        url = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._deliver(Change("", "resync", self.clock()))
                    while not self._stop.is_set():
                        for notice in conn.notifies(timeout=1.0):
                            self._deliver(_parse(notice.payload, self))
            except Exception:
                self.listening.clear()
                log.exception("live LISTEN connection lost; reconnecting")
                self._stop.wait(1.0)

    def close(self) -> None:
        self._stop.set()
        if self._listener is not None:
            self._listener.join(timeout=3)


async def _feed(sub: _Subscriber) -> AsyncIterator[Change]:
    while True:
        yield await sub.queue.get()


def _parse(payload: str, bus: LiveBus) -> Change:
    try:
        data: dict[str, Any] = json.loads(payload)
        return Change(str(data["a"]), str(data["k"]), datetime.fromisoformat(data["t"]))
    except (ValueError, KeyError, TypeError):
        return Change("", "resync", bus.clock())
