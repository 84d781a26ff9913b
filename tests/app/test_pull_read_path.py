"""The app's pull over the read path, against the real service: an unchanged list costs one 304 and nothing else
of the assignments; a change brings only the changed assignment in full; one taken off the engineer's team
leaves the device; the device keeps every assignment in full for offline use. Requests are recorded with an
httpx event hook on the app's own client (the service is real; nothing is mocked)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from api_client import DispatchClient
from api_client.client import AsyncDispatchClient
from api_client.clock import FixedClock
from api_client.wire import EngineerIn
from field_app.device_store import DeviceStore
from field_app.sync import Syncer
from tests.clock import TEST_NOW
from tests.conftest import DISPATCHER_TOKEN, LiveService, start_service
from tests.factories import request_data


@dataclass
class Phone:
    service: LiveService
    clock: FixedClock
    store: DeviceStore
    token: str
    engineer_id: str
    other_id: str
    jobs: list[str]
    seen: list[tuple[str, int, int]] = field(default_factory=list)  # (path, status, items in a full list)

    def pull(self) -> list[tuple[str, int, int]]:
        """One pull through the app's Syncer; the assignment requests it made."""
        self.seen.clear()

        async def record(response: httpx.Response) -> None:
            await response.aread()
            full = response.url.path == "/v1/assignments" and response.status_code == 200
            self.seen.append((response.url.path, response.status_code, len(response.json()) if full else 0))

        async def run() -> None:
            async with AsyncDispatchClient(self.service.url, self.token) as client:
                client._http.event_hooks["response"].append(record)
                await Syncer(self.store, client, clock=self.clock).pull()

        asyncio.run(run())
        return [s for s in self.seen if s[0].startswith("/v1/assignments") and not s[0].endswith("/badge")]

    def desk(self) -> DispatchClient:
        return DispatchClient(self.service.url, DISPATCHER_TOKEN, max_retries=0)


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[Phone]:
    clock = FixedClock(TEST_NOW)
    service = start_service(tmp_path / "dispatch.sqlite3", clock=clock)
    store = DeviceStore(tmp_path / "device.sqlite3")
    try:
        with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
            me = d.add_engineer(EngineerIn(name="Kenji Sato", phone="+81 90-1234-0001"))
            other = d.add_engineer(EngineerIn(name="Emily Carter", phone="+81 90-1234-0002"))
            jobs = []
            for n in range(3):
                job = d.create_assignment(request_data(title=f"Job {n}"))
                d.propose(job.id, [me.engineer.id])
                jobs.append(job.id)
        clock.advance(timedelta(minutes=5))
        yield Phone(service, clock, store, me.token, me.engineer.id, other.engineer.id, jobs)
    finally:
        store.close()
        service.stop()


def test_an_unchanged_list_costs_one_304_and_a_change_brings_only_itself(phone: Phone):
    first = phone.pull()
    assert first[0] == ("/v1/assignments/summaries", 200, 0) and ("/v1/assignments", 200, 3) in first
    held = {a.id: a for a in phone.store.assignments()}
    assert set(held) == set(phone.jobs) and all(a.request.locations and a.visit for a in held.values())  # in full

    phone.clock.advance(timedelta(minutes=2))
    assert phone.pull() == [("/v1/assignments/summaries", 304, 0)]  # nothing else asked for
    assert {a.id: a for a in phone.store.assignments()} == held
    assert phone.store.last_sync() == phone.clock()

    phone.clock.advance(timedelta(minutes=2))
    with phone.desk() as d:
        d.approve(phone.jobs[1], "Pat Lee")
    phone.clock.advance(timedelta(minutes=2))
    changed = phone.pull()
    assert changed == [("/v1/assignments/summaries", 200, 0), ("/v1/assignments", 200, 1)]  # only the changed one
    now = {a.id: a for a in phone.store.assignments()}
    assert (
        now[phone.jobs[1]].status.value == "approved" and now[phone.jobs[1]].version == held[phone.jobs[1]].version + 1
    )
    assert now[phone.jobs[0]] == held[phone.jobs[0]] and now[phone.jobs[2]] == held[phone.jobs[2]]
    assert phone.pull() == [("/v1/assignments/summaries", 304, 0)]


def test_an_assignment_taken_off_the_engineer_leaves_the_device(phone: Phone):
    phone.pull()
    phone.clock.advance(timedelta(minutes=2))
    with phone.desk() as d:
        d.propose(phone.jobs[0], [phone.other_id])
    phone.clock.advance(timedelta(minutes=2))
    requests = phone.pull()
    assert requests == [("/v1/assignments/summaries", 200, 0)]  # nothing left to fetch in full
    assert sorted(a.id for a in phone.store.assignments()) == sorted(phone.jobs[1:])


def test_a_device_whose_copies_lost_their_mark_fetches_what_is_stale(phone: Phone):
    """An older release's copies carry no version: the lines show them stale and they are fetched again."""
    phone.pull()
    phone.store.put("pull:list_etag", None)
    phone.store.put("pull:since", None)
    old = [a.model_copy(update={"version": 0}) for a in phone.store.assignments()]
    phone.store.merge_assignments(old, None, phone.clock())
    requests = phone.pull()
    assert ("/v1/assignments", 200, 3) in requests
    assert all(a.version > 0 for a in phone.store.assignments())
