"""View state: plain Python the screens render from. No Flet controls, no page — tested without a screen.

`@ft.observable` makes a component that reads an attribute re-render when it changes; that is the only tie
to Flet here, and it works without a page or a client.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import operator
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import flet as ft

from api_client.clock import Clock, system_clock
from api_client.errors import AuthenticationError, DispatchError, TransportError
from api_client.events import visit_event_adapter
from api_client.rate_card import RateCard
from api_client.rules.lifecycle import ENDED, Role, Status, VisitState
from api_client.rules.lifecycle import fold as fold_events
from api_client.wire import Assignment, Badge, Engineer

from . import fold_snapshot, pairing
from .device_store import Delivery, DeviceStore, OutboxEntry
from .i18n import Language, Translator
from .sync import Syncer, SyncLoop, SyncReport, failure
from .token_vault import DeviceStoreVault, TokenVault

if TYPE_CHECKING:
    from api_client.client import AsyncDispatchClient

ClientFactory = Callable[[str, str], "AsyncDispatchClient"]


def default_client(url: str, token: str) -> AsyncDispatchClient:
    from api_client.client import AsyncDispatchClient  # the HTTP stack: not needed for the first frame

    # Short timeouts: on a weak signal the engineer must not wait on a spinner; the outbox retries anyway.
    return AsyncDispatchClient(url, token, timeout=8.0, max_retries=1)


@dataclass(frozen=True)
class Sections:
    today: list[Assignment]
    upcoming: list[Assignment]
    past: list[Assignment]


def site_date(a: Assignment) -> date:
    return a.request.visit_start.astimezone(ZoneInfo(a.request.site_timezone)).date()


def sections(assignments: list[Assignment], now: datetime) -> Sections:
    """Today / upcoming / past by the *site's* calendar day (a Tokyo visit is 'today' in Tokyo's date)."""
    today, upcoming, past = [], [], []
    for a in sorted(assignments, key=lambda a: a.request.visit_start):
        local_today = now.astimezone(ZoneInfo(a.request.site_timezone)).date()
        day = site_date(a)
        if day == local_today and a.status is not Status.cancelled:
            today.append(a)
        elif day > local_today and a.status not in ENDED:
            upcoming.append(a)
        else:
            past.append(a)
    past.reverse()  # most recent first
    return Sections(today, upcoming, past)


@ft.observable
@dataclass
class AppState:
    store: DeviceStore
    client_factory: ClientFactory = default_client
    language: Language = "en"
    server_url: str = ""
    engineer: Engineer | None = None
    assignments: list[Assignment] = field(default_factory=list)
    rate_card: RateCard | None = None
    online: bool | None = None
    last_sync: datetime | None = None
    sync_error: str = ""
    sync_failed: str = ""  # the last sync broke (not the network): what broke, shown in the sync bar
    waiting: int = 0
    refused: int = 0
    stuck: int = 0  # waiting, but the server failed on them last time: kept and retried
    clock_off_minutes: int = 0  # the service measured this device's clock off by this much (0: fine)
    sign_in_error: str = ""
    busy: bool = False
    selected_id: str | None = None
    notice: str = ""
    # What the device holds beyond the assignments, as fields so a screen re-renders when they change: this
    # device's actions per assignment (with their delivery), the items ticked off, the cached badges and ID photos.
    outbox: dict[str, list[OutboxEntry]] = field(default_factory=dict)
    packed_items: dict[str, frozenset[int]] = field(default_factory=dict)
    badges: dict[str, Badge] = field(default_factory=dict)
    photos: dict[str, str] = field(default_factory=dict)
    vault: TokenVault | None = None  # secure storage on phones; the device store otherwise
    clock: Clock = system_clock  # the device clock: every "now" of the screens and of the actions
    _token: str = ""
    _folds: dict[str, _Fold] = field(default_factory=dict)  # assignment id -> its visit with local actions
    _assignments_revision: int = -1  # the store's revision the assignments above were read at
    _loop: SyncLoop | None = None
    _task: asyncio.Task[None] | None = None

    # -- start-up and session -------------------------------------------------------------------
    def load_local(self) -> None:
        """Everything the screens need from the device alone: works with no network at all."""
        store = self.store
        if saved := store.get("language"):
            self.language = saved  # type: ignore[assignment]
        self.server_url = store.get("server_url") or self.server_url
        raw = store.get("engineer")
        self.engineer = Engineer.model_validate_json(raw) if raw else None
        self._load_cache(everything=True)
        self.packed_items = {
            a.id: frozenset(json.loads(raw)) for a in self.assignments if (raw := store.get(f"packed:{a.id}"))
        }

    def _vault(self) -> TokenVault:
        return self.vault or DeviceStoreVault(self.store)

    async def restore(self) -> None:
        """load_local() plus the token from the vault: the app opens signed in, with or without network."""
        self.load_local()
        self._token = await self._vault().load()

    @property
    def signed_in(self) -> bool:
        return self.engineer is not None and bool(self._token)

    @property
    def t(self) -> Translator:
        return Translator(self.language)

    def set_language(self, language: Language) -> None:
        """The engineer's choice: kept on the device, it wins over the device's language from then on."""
        self.language = language
        self.store.put("language", language)

    def use_device_language(self, language: Language) -> None:
        """The device's language (at start-up, or when the phone's setting changes), unless the engineer chose."""
        if self.store.get("language") is None:
            self.language = language

    def toggle_language(self) -> None:
        self.set_language("ja" if self.language == "en" else "en")

    async def sign_in(self, server_url: str, token: str) -> bool:
        url, token = server_url.strip().rstrip("/"), token.strip()
        t = self.t
        if not url.startswith(("http://", "https://")):
            self.sign_in_error = t("sign_in.error.url")
            return False
        if not token:
            self.sign_in_error = t("sign_in.error.token")
            return False
        if (pair := pairing.parse(token)) is not None:  # the desk's pairing code (or its QR link), not a token
            url = pair.server or url
            redeemed = await pairing.token_for(self, url, pair)
            if redeemed is None:
                return False
            token = redeemed
        self.busy, self.sign_in_error = True, ""
        client = self.client_factory(url, token)
        try:
            me = await client.me()
        except AuthenticationError:
            self.sign_in_error = t("sign_in.error.auth")
            return False
        except DispatchError as exc:
            self.sign_in_error = t("sign_in.error.network", detail=_short(exc))
            return False
        finally:
            self.busy = False
            await client.aclose()
        if me.role != "engineer" or me.engineer is None:
            self.sign_in_error = t("sign_in.error.role")
            return False
        if self.engineer is not None and self.engineer.id != me.engineer.id:
            self.store.clear_session_data()  # another engineer's cache must not show
        await self._vault().save(token)
        with self.store.transaction() as db:
            self.store.put("server_url", url, db)
            self.store.put("engineer", me.engineer.model_dump_json(), db)
        self.load_local()
        self._token = token
        self.start_sync()
        return True

    async def sign_out(self) -> bool:
        """Refused while actions are still waiting: signing out must not lose what the engineer did."""
        self._count()
        if self.waiting:
            self.notice = self.t("sign_out.blocked", n=self.waiting)
            return False
        self.stop_sync()
        await self._vault().clear()
        self.store.clear_session_data()
        self.engineer, self._token, self.selected_id = None, "", None
        self.online, self.notice = None, ""
        self._load_cache(everything=True)
        self.packed_items = {}
        return True

    def dismiss_notice(self) -> None:
        self.notice = ""

    # -- sync -----------------------------------------------------------------------------------
    def syncer(self) -> Syncer:
        return Syncer(self.store, self.client_factory(self.server_url, self._token), self.clock)

    def start_sync(self) -> None:
        """Start the background loop in the running event loop (Flet's, in the app)."""
        if self._task is not None and not self._task.done():
            self.request_sync()
            return
        self._task = asyncio.get_running_loop().create_task(self._run_sync())

    async def _run_sync(self) -> None:
        try:
            # The HTTP client's modules load off the UI thread, after the first frame: the screen never waits on them.
            await asyncio.to_thread(importlib.import_module, "api_client.client")
            self._loop = SyncLoop(self.syncer(), self.apply_report)
            await self._loop.run()
        except Exception as exc:  # nobody awaits this task: say it on screen and in the log
            self.apply_report(failure(exc))

    def stop_sync(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._task, self._loop = None, None

    def request_sync(self) -> None:
        if self._loop is not None:
            self._loop.wake()

    async def sync_now(self) -> SyncReport:
        """One full sync, awaited (pull-to-refresh and tests)."""
        syncer = self.syncer()
        try:
            report = await syncer.sync_once()
        finally:
            await syncer.client.aclose()
        self.apply_report(report)
        return report

    def apply_report(self, report: SyncReport) -> None:
        self.online = report.online
        self.sync_error = "" if report.online else report.error
        self.sync_failed = report.error if report.failed else ""
        if report.auth_failed:
            self.sign_in_error = self.t("sign_in.error.auth")
        self._load_cache()
        self._store_folds()

    def outbox_changed(self, assignment_id: str | None = None) -> None:
        """The outbox changed in the store (delivery results, or actions recorded elsewhere): re-read it (for
        one assignment) so the screens showing it re-render from `outbox`. A tap does not come here: see
        `recorded`."""
        if assignment_id is None:
            self.outbox = self._reread_outbox()
        else:
            self.outbox = {**self.outbox, assignment_id: self.store.entries(assignment_id)}
        self._count()

    def _reread_outbox(self) -> dict[str, list[OutboxEntry]]:
        """The whole outbox as the store has it now, reusing the entries already held (bodies parsed, same
        objects) where delivery did not change them: after a sync this reads a few columns per entry, and an
        assignment whose actions did not change keeps its list, so its folded visit still holds."""
        known = {e.seq: e for entries in self.outbox.values() for e in entries}
        if not known:  # the first read (start-up): every entry as it is, in one pass
            grouped: dict[str, list[OutboxEntry]] = {}
            for e in self.store.entries():
                grouped.setdefault(e.assignment_id, []).append(e)
            return grouped
        rows = self.store.deliveries()
        missing = [row[0] for row in rows if row[0] not in known]
        if missing:
            known.update((e.seq, e) for e in self.store.entries(after_seq=min(missing) - 1))
        grouped = {}
        for row in rows:
            if (e := known.get(row[0])) is None:
                continue  # appended after the rows above were read: the next re-read has it
            if e.delivery != row:
                _, delivery, code, reason, attempts, error, reflected = row
                e = replace(
                    e,
                    state=Delivery(delivery),
                    reason_code=code,
                    reason=reason,
                    attempts=attempts,
                    last_error=error,
                    reflected=bool(reflected),
                )
            grouped.setdefault(e.assignment_id, []).append(e)
        for aid, entries in grouped.items():
            old = self.outbox.get(aid)
            if old is not None and len(old) == len(entries) and all(map(operator.is_, old, entries)):
                grouped[aid] = old
        return grouped

    def recorded(self, entry: OutboxEntry, visit: VisitState | None = None) -> None:
        """One action was just appended to the outbox (a tap): add it to what the screens show without reading
        the backlog again. `visit` is the visit state with it folded in, when the caller has it (VisitActions
        checked it through the rules): the cached fold moves on by that one action instead of being redone."""
        aid = entry.assignment_id
        before = self.outbox.get(aid, [])
        if before and before[-1].seq >= entry.seq:
            return  # a re-read of the outbox ran in between and already has it
        after = [*before, entry]
        fold = self._folds.get(aid)
        if visit is not None and fold is not None and fold.entries is before:
            self._folds[aid] = replace(fold, entries=after, seqs=[*fold.seqs, entry.seq], state=visit)
        self.outbox = {**self.outbox, aid: after}
        self.waiting += 1

    def _load_cache(self, everything: bool = False) -> None:
        """Re-read what sync (or sign-in/out) changed in the device store into the observable fields. The
        assignments (and their badges) are parsed again only when the store holds a new copy of them, so an
        offline sync attempt after a tap does not throw away the folded visits."""
        store = self.store
        if everything or store.assignments_revision != self._assignments_revision:
            self._assignments_revision = store.assignments_revision
            self.assignments = store.assignments()
        # Badges arrive on a sync whose list was unchanged (304) too; a few small reads, set only when different.
        badges = {a.id: Badge.model_validate_json(raw) for a in self.assignments if (raw := store.get(f"badge:{a.id}"))}
        if badges != self.badges:
            self.badges = badges
        photos = {
            eid: photo
            for eid in {b.engineer.id for b in badges.values()}
            if (photo := store.get(f"photo:{eid}")) is not None
        }
        if photos != self.photos:
            self.photos = photos
        card = store.rate_card()
        if card != self.rate_card:  # the same card stays the same object: the folds made with it still hold
            self.rate_card = card
        self.last_sync = store.last_sync()
        offset = store.get("clock_offset_seconds")
        self.clock_off_minutes = round(float(offset) / 60) if offset else 0
        self.outbox_changed()

    def refusal_text(self, code: str, fallback: str) -> str:
        """A refusal in the user's language: by its code, or the server's own sentence if the code is new."""
        key = f"refused.{code}"
        text = self.t(key)
        return fallback if text == key else text

    def badge(self, assignment_id: str) -> Badge | None:
        return self.badges.get(assignment_id)

    def engineer_photo(self, engineer_id: str) -> str | None:
        """Base64 of the engineer's ID photo, cached on the device for the offline badge."""
        return self.photos.get(engineer_id)

    def _count(self) -> None:
        counts = self.store.counts()
        self.waiting = counts[Delivery.pending] + counts[Delivery.sending]
        self.refused = counts[Delivery.refused]
        self.stuck = self.store.stuck_count()

    # -- assignments ----------------------------------------------------------------------------
    def sections(self, now: datetime | None = None) -> Sections:
        return sections(self.assignments, now or self.clock())

    def assignment(self, assignment_id: str | None) -> Assignment | None:
        return next((a for a in self.assignments if a.id == assignment_id), None)

    def select(self, assignment_id: str | None) -> None:
        self.selected_id = assignment_id

    def actions(self, assignment_id: str) -> list[OutboxEntry]:
        """This device's actions on one assignment, oldest first, each with its delivery."""
        return list(self.outbox.get(assignment_id, ()))

    def visit(self, a: Assignment) -> VisitState:
        """The server's state with this device's not-yet-reflected actions folded on top, through the
        same rules the server applies.

        Kept per assignment and moved on incrementally: a tap folds its one action onto the cached state
        (`recorded`); after the outbox is re-read (sync results) the cache still holds while the actions to fold
        are the same ones, or the same ones and more (only the new ones are folded). A refusal, an action the
        server now reflects, a new server copy or rate card: folded again from the server's state."""
        card, engineer = self.rate_card, self.engineer
        if engineer is None or card is None:
            return a.visit
        entries = self.outbox.get(a.id, _NO_ENTRIES)
        fold = self._folds.get(a.id)
        if fold is not None and (fold.server is not a or fold.card is not card):
            fold = None
        if fold is not None and fold.entries is entries:
            return fold.state
        todo = [e for e in entries if e.affects_local_state]
        if fold is None or [e.seq for e in todo[: len(fold.seqs)]] != fold.seqs:
            fold = self._start(a, card, engineer.id, todo)
        rest = todo[len(fold.seqs) :]
        # Refused actions are skipped (the server will say so; the action list shows it). One fold for them all:
        # linear in the backlog, where one `apply` per action copied the work log each time.
        events = (visit_event_adapter.validate_json(e.body_json) for e in rest)
        state = fold_events(fold.state, a.request, events, role=Role.engineer, actor=engineer.id, card=card)
        seqs = [*fold.seqs, *(e.seq for e in rest)] if rest else fold.seqs
        fold = replace(fold, server=a, card=card, entries=entries, seqs=seqs, state=state)
        self._folds[a.id] = fold
        if len(rest) >= fold_snapshot.SAVE_EVERY:  # a long fold (a restart, a refusal): spare the next start it
            self._store_fold(fold)
        return state

    def _start(self, a: Assignment, card: RateCard, engineer_id: str, todo: list[OutboxEntry]) -> _Fold:
        """Where a fold of `a` starts when none in memory holds: the device's stored fold, if it was made from the
        same server copy, card and rules and from the first actions of `todo`; else the server's copy. (Nothing to
        fold, as on most assignments of the list: nothing is looked up.)"""
        if not todo:
            return _Fold(a, card, None, [], a.visit)
        basis = fold_snapshot.basis(a, card, engineer_id)
        if (stored := fold_snapshot.load(self.store, a, basis, todo)) is not None:
            seqs, state = stored
            return _Fold(a, card, None, seqs, state, basis, saved=len(seqs))
        return _Fold(a, card, None, [], a.visit, basis)

    def _store_fold(self, fold: _Fold) -> None:
        if self.engineer is None:
            return
        basis = fold.basis or fold_snapshot.basis(fold.server, fold.card, self.engineer.id)
        fold_snapshot.save(self.store, fold.server.id, basis, fold.seqs, fold.state)
        self._folds[fold.server.id] = replace(fold, basis=basis, saved=len(fold.seqs))

    def _store_folds(self) -> None:
        """Store each visit folded `SAVE_EVERY` actions past its stored fold (a restart then folds fewer than that).
        Done after a sync pass (which follows every tap, online or not), not in the tap: the tap stays one insert."""
        current = {id(a) for a in self.assignments}  # a fold of a copy no longer held is stale: not stored
        for fold in list(self._folds.values()):
            if id(fold.server) in current and len(fold.seqs) - fold.saved >= fold_snapshot.SAVE_EVERY:
                self._store_fold(fold)

    def packed(self, assignment_id: str) -> frozenset[int]:
        """Items to bring the engineer has ticked off (kept on this device only)."""
        return self.packed_items.get(assignment_id, frozenset())

    def toggle_packed(self, assignment_id: str, index: int) -> None:
        packed = self.packed(assignment_id) ^ {index}
        self.store.put(f"packed:{assignment_id}", json.dumps(sorted(packed)))
        self.packed_items = {**self.packed_items, assignment_id: packed}

    def new_event_fields(self, assignment_id: str) -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), "assignment_id": assignment_id, "device_time": self.clock()}


_NO_ENTRIES: list[OutboxEntry] = []


@dataclass(frozen=True)
class _Fold:
    """One visit as the screens show it: the server's copy with this device's actions folded on top."""

    server: Assignment  # the server copy it starts from
    card: RateCard  # the rules' parameters it was folded with
    entries: list[OutboxEntry] | None  # the outbox list it was made from: the same list object, the same answer
    seqs: list[int]  # the actions folded in (those the rules refused included: skipped), oldest first
    state: VisitState
    basis: str = ""  # what it was folded from, as the device stores it (fold_snapshot.basis; "": not worked out yet)
    saved: int = 0  # how many of `seqs` the fold stored on the device covers


def _short(exc: BaseException) -> str:
    text = str(exc).split("\n")[0]
    if isinstance(exc, TransportError):
        return text.removeprefix("Cannot reach the dispatch service: ")
    return text[:160]
