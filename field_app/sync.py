"""Delivers the outbox and refreshes the cache. Runs as a background task; the screen re-renders from the
view state it updates, never waiting on the network."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from api_client.client import AsyncDispatchClient
from api_client.errors import APIStatusError, AuthenticationError, DispatchError, TransportError
from api_client.rules.lifecycle import Status
from api_client.wire import Assignment

from .device_store import DeviceStore

BATCH = 500  # entries per request at most (and 1 MB of bodies: see DeviceStore.take_batch)
BADGE_STATUSES = frozenset({Status.approved, Status.en_route, Status.arrived, Status.working})


@dataclass(frozen=True)
class SyncReport:
    online: bool
    sent: int = 0
    error: str = ""
    auth_failed: bool = False
    held: int = 0  # answered but not recorded (retry / server error): kept, sent again after a back-off


class Syncer:
    def __init__(self, store: DeviceStore, client: AsyncDispatchClient) -> None:
        self.store = store
        self.client = client

    async def push(self) -> tuple[int, int]:
        """Send the pending entries once, in order; returns (sent, held). Held entries (the server answered
        `retry` or `error`) stay pending for the next pass, so one stuck event never spins the loop or blocks
        the rest. Raises DispatchError when a batch gets no usable answer; that batch goes back to pending."""
        sent = held = last = 0
        while batch := self.store.take_batch(BATCH, after_seq=last):
            last = batch[-1].seq
            try:
                answer = await self.client.send_events([e.body for e in batch])
            except (DispatchError, asyncio.CancelledError) as exc:
                self.store.release(batch, str(exc) or type(exc).__name__)
                raise
            self.store.record_results(answer.results)
            kept = sum(1 for r in answer.results if not r.outcome.final)
            sent, held = sent + len(batch) - kept, held + kept
        return sent, held

    async def pull(self) -> None:
        fetched_at = datetime.now(UTC)
        assignments = await self.client.list_assignments()
        card = await self.client.rate_card()
        self.store.replace_assignments(assignments, fetched_at)
        self.store.save_rate_card(card)
        await self._cache_badges([a for a in assignments if a.status in BADGE_STATUSES])

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
    ) -> None:
        self.syncer = syncer
        self.on_report = on_report
        self.interval = interval
        self.max_backoff = max_backoff
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
            delay = self.interval if healthy else min(2.0**self._failures, self.max_backoff)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
