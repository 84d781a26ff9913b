"""Delivers the outbox and refreshes the cache. Runs as a background task; the screen re-renders from the
view state it updates, never waiting on the network."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from api_client.client import AsyncDispatchClient
from api_client.clock import Clock, system_clock
from api_client.errors import APIStatusError, AuthenticationError, DispatchError, TransportError
from api_client.events import MAX_BATCH_EVENTS, EventResult
from api_client.rules.lifecycle import ENDED, Status
from api_client.wire import Assignment

from .device_store import DeviceStore

BATCH = MAX_BATCH_EVENTS  # entries per request at most; a batch is sized by bytes first (DeviceStore.take_batch)
SHOWN_HISTORY = timedelta(days=7)  # the app asks for visits from a week back on (older ones stay on the server)
MAX_PAGES = 20
# An engineer has a badge from approval on, and still after the visit ends (security sees people out too).
# Sync fetches it while the visit is live; an ended visit keeps the copy it has.
BADGE_STATUSES = frozenset(Status) - {Status.requested, Status.proposed, Status.cancelled}


@dataclass(frozen=True)
class SyncReport:
    online: bool
    sent: int = 0
    error: str = ""
    auth_failed: bool = False
    held: int = 0  # answered but not recorded (retry / server error): kept, sent again after a back-off


class Syncer:
    def __init__(self, store: DeviceStore, client: AsyncDispatchClient, clock: Clock = system_clock) -> None:
        self.store = store
        self.client = client
        self.clock = clock  # the device's clock: sent with each batch so the server can tell if it is off

    async def push(self) -> tuple[int, int]:
        """Send the pending entries once, in order; returns (sent, held). Held entries (the server answered
        `retry` or `error`) stay pending for the next pass, so one stuck event never spins the loop or blocks
        the rest. Raises DispatchError when a batch gets no usable answer; that batch goes back to pending."""
        sent = held = last = 0
        waiting: set[str] = set()  # visits with a held entry: their later entries wait for the next pass
        while batch := self.store.take_batch(BATCH, after_seq=last, skip_assignments=waiting):
            last = batch[-1].seq
            try:
                answer = await self.client.send_events([e.body for e in batch], sent_at=self.clock())
            except (DispatchError, asyncio.CancelledError) as exc:
                self.store.release(batch, str(exc) or type(exc).__name__)
                raise
            self.store.record_results(answer.results, acked_at=self.clock())
            self._note_clock(answer.results)
            visit_of = {e.event_id: e.assignment_id for e in batch}
            kept = [r for r in answer.results if not r.outcome.final]
            waiting |= {visit_of[str(r.id)] for r in kept if str(r.id) in visit_of}
            sent, held = sent + len(batch) - len(kept), held + len(kept)
        return sent, held

    def _note_clock(self, results: Sequence[EventResult]) -> None:
        """Keep the server's word on this device's clock, for the engineer to see (the sync bar)."""
        offsets = [r.clock_offset_seconds for r in results if r.clock_offset_seconds is not None]
        if offsets:
            warned = any("device_clock_behind" in r.warnings or "device_clock_ahead" in r.warnings for r in results)
            self.store.put("clock_offset_seconds", str(offsets[-1]) if warned else None)

    async def _assignments_from(self, start: datetime) -> list[Assignment]:
        """Only what the app shows, page by page (the server answers at most a page at a time)."""
        found: list[Assignment] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            page = await self.client.assignments_page(from_=start, cursor=cursor, limit=200)
            found += page.items
            if (cursor := page.next_cursor) is None:
                break
        return found

    async def pull(self) -> None:
        fetched_at = self.clock()
        assignments = await self._assignments_from(fetched_at - SHOWN_HISTORY)
        card = await self.client.rate_card()
        self.store.replace_assignments(assignments, fetched_at)
        self.store.save_rate_card(card)
        await self._cache_badges([a for a in assignments if a.status in BADGE_STATUSES - ENDED])

    async def _cache_badges(self, assignments: list[Assignment]) -> None:
        """Badges (and the ID photo) are fetched while there is signal, so security can scan them in a
        basement. A missing badge is not worth failing the sync for."""
        for a in assignments:
            try:
                badge = await self.client.badge(a.id)
            except APIStatusError:
                continue
            self.store.put(f"badge:{a.id}", badge.model_dump_json())
            eid = badge.engineer.id
            if badge.engineer.has_photo and self.store.get(f"photo:{eid}") is None:
                try:
                    photo = await self.client.engineer_photo(eid)
                except APIStatusError:
                    continue
                self.store.put(f"photo:{eid}", base64.b64encode(photo).decode())

    async def sync_once(self) -> SyncReport:
        try:
            sent, held = await self.push()
            await self.pull()
        except AuthenticationError as exc:
            return SyncReport(online=True, error=str(exc), auth_failed=True)
        except TransportError as exc:
            return SyncReport(online=False, error=str(exc))
        except APIStatusError as exc:  # 5xx / 429 after retries: reachable but not healthy
            return SyncReport(online=False, error=str(exc))
        return SyncReport(online=True, sent=sent, held=held)


class SyncLoop:
    """Syncs now, then every `interval` seconds, sooner when woken (after an action), backing off while
    the network is gone."""

    def __init__(
        self,
        syncer: Syncer,
        on_report: Callable[[SyncReport], Awaitable[None] | None],
        interval: float = 20.0,
        max_backoff: float = 60.0,
        backoff_base: float = 1.0,
    ) -> None:
        self.syncer = syncer
        self.on_report = on_report
        self.interval = interval
        self.max_backoff = max_backoff
        self.backoff_base = backoff_base
        self._wake = asyncio.Event()
        self._failures = 0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            report = await self.syncer.sync_once()
            healthy = report.online and not report.held
            self._failures = 0 if healthy else self._failures + 1
            result = self.on_report(report)
            if asyncio.iscoroutine(result):
                await result
            if report.auth_failed:
                return
            delay = self.interval if healthy else min(self.backoff_base * 2.0**self._failures, self.max_backoff)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
