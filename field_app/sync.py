"""Delivers the outbox and refreshes the cache. Runs as a background task; the screen re-renders from the
view state it updates, never waiting on the network."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from api_client.clock import Clock, system_clock
from api_client.errors import APIStatusError, AuthenticationError, DispatchError, NotFoundError, TransportError
from api_client.events import MAX_BATCH_EVENTS, EventResult
from api_client.rules.lifecycle import ENDED, Status
from api_client.wire import Assignment

from . import travel
from .device_store import DeviceStore
from .documents import DocumentCache, fetch_documents

if TYPE_CHECKING:
    from api_client.client import AsyncDispatchClient  # imported when a client is made: see AppState.start_sync

BATCH = MAX_BATCH_EVENTS  # entries per request at most; a batch is sized by bytes first (DeviceStore.take_batch)
SHOWN_HISTORY = timedelta(days=7)  # the app asks for visits from a week back on (older ones stay on the server)
PAGE = 200  # the service's largest page: an engineer's week fits in one, so one 304 answers an unchanged list
MAX_PAGES = 20
LIST_ETAG = "pull:list_etag"  # the ETag of the list's lines the device's copies match (kv)
PULL_SINCE = "pull:since"  # the service's X-Since of that list: changes after it are fetched in full (kv)
# An engineer has a badge from approval on, and still after the visit ends (security sees people out too).
# Sync fetches it while the visit is live; an ended visit keeps the copy it has.
BADGE_STATUSES = frozenset(Status) - {Status.requested, Status.proposed, Status.cancelled}
LIVE_BADGES = BADGE_STATUSES - ENDED
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    online: bool
    sent: int = 0
    error: str = ""
    auth_failed: bool = False
    held: int = 0  # answered but not recorded (retry / server error): kept, sent again after a back-off
    failed: bool = False  # the sync itself broke (a bug, not the network): `error` says how; retried after a back-off


def failure(exc: BaseException) -> SyncReport:
    """A sync that raised: logged with its traceback and reported, so a background task never stops in silence."""
    log.error("sync failed", exc_info=exc)
    return SyncReport(online=False, error=f"{type(exc).__name__}: {exc}"[:200], failed=True)


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

    # -- pull: the list's lines first (304 when nothing changed), then in full only what changed ----------------
    async def pull(self) -> None:
        """Refresh the device's copies of the engineer's assignments from a week back on. The list's lines come
        first, with the ETag of the last answer: an unchanged list is a 304 and nothing more is fetched. Otherwise
        the lines say which copies are stale (another version) or gone; only those are fetched in full (`since`
        the last pull), and the device keeps every assignment in full for offline use."""
        fetched_at = self.clock()
        start = fetched_at - SHOWN_HISTORY
        etag = self.store.get(LIST_ETAG)
        first = await self.client.assignment_summaries(from_=start, limit=PAGE, if_none_match=etag)
        if first.not_modified:
            self.store.merge_assignments([], None, fetched_at)  # what was acked before now is in these copies
            if self.store.rate_card() is None:
                self.store.save_rate_card(await self.client.rate_card())
            held = self.store.assignments()
            await self._cache_badges(
                [a for a in held if a.status in LIVE_BADGES and not self.store.get(f"badge:{a.id}")]
            )
            return
        lines, cursor = list(first.items), first.next_cursor
        for _ in range(MAX_PAGES - 1):
            if cursor is None:
                break
            page = await self.client.assignment_summaries(from_=start, limit=PAGE, cursor=cursor)
            lines += page.items
            cursor = page.next_cursor
        held = {a.id: a for a in self.store.assignments()}
        stale = {line.id for line in lines if line.id not in held or held[line.id].version != line.version}
        changed = await self._changed(start, stale) if stale else {}
        self.store.merge_assignments(list(changed.values()), [line.id for line in lines], fetched_at)
        # The mark holds when every stale copy came; the ETag stands for the copies only if the list was one page.
        complete = stale <= changed.keys()
        self.store.put(LIST_ETAG, first.etag if complete and first.next_cursor is None else None)
        self.store.put(PULL_SINCE, first.since if complete else self.store.get(PULL_SINCE))
        self.store.save_rate_card(await self.client.rate_card())
        await self._cache_badges([a for a in changed.values() if a.status in LIVE_BADGES])

    async def _changed(self, start: datetime, stale: set[str]) -> dict[str, Assignment]:
        """The stale assignments in full: the pages changed `since` the last pull (every page on a first pull),
        then any still missing one by one (changed just before the mark, or the mark is gone)."""
        found: dict[str, Assignment] = {}
        cursor, since = None, self.store.get(PULL_SINCE)
        for _ in range(MAX_PAGES):
            page = await self.client.assignments_page(from_=start, since=since, cursor=cursor, limit=PAGE)
            found.update((a.id, a) for a in page.items if a.id in stale)
            if (cursor := page.next_cursor) is None:
                break
        for assignment_id in sorted(stale - found.keys()):
            try:
                found[assignment_id] = await self.client.get_assignment(assignment_id)
            except NotFoundError:  # taken off the team since the lines were read: the next pull drops it
                continue
        return found

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
            await fetch_documents(self.client, DocumentCache(self.store))  # to read offline on site
            await travel.cache_pdfs(self.store, self.client, self.store.assignments())  # tickets offline
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
            try:
                report = await self.syncer.sync_once()
            except Exception as exc:  # anything but the network: shown, logged, retried
                report = failure(exc)
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
