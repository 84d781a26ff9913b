"""The read path built for the phone, on the real service: compact list lines, ETag / If-None-Match (304),
`since` (only what changed), filters and pages over the lines, stored bills that still run with the clock on
site, gzip above a packet. The service runs on a clock that stands still until a test moves it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from api_client import DispatchClient
from api_client.clock import FixedClock
from api_client.events import ArriveEvent
from api_client.rules.lifecycle import VisitState, visit_bill
from api_client.wire import BillOut, EngineerIn
from dispatch.db import AssignmentRow
from tests.clock import TEST_NOW
from tests.conftest import DISPATCHER_TOKEN, LiveService, start_service
from tests.factories import request_data
from tests.postgres import Cluster, postgres_cluster

LINE_FIELDS = {
    "id", "version", "updated_at", "status", "expedited", "visit_start",
    "title", "company", "site_timezone", "urgency", "sites",
}  # fmt: skip


@dataclass
class World:
    service: LiveService
    clock: FixedClock
    alice: str  # token
    alice_id: str
    bob: str
    jobs: list[str]  # Alice's, in visit order
    bobs_job: str

    def get(self, path: str, token: str, **kw: object) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", **kw.pop("headers", {})}  # type: ignore[dict-item]
        return httpx.get(f"{self.service.url}{path}", headers=headers, **kw)  # type: ignore[arg-type]

    def desk(self) -> DispatchClient:
        return DispatchClient(self.service.url, DISPATCHER_TOKEN, max_retries=0)


@pytest.fixture(scope="module")
def pg_cluster() -> Iterator[Cluster]:
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The same world on SQLite and on PostgreSQL (the list reads differ per database: indexes, stored starts)."""
    url = request.getfixturevalue("pg_cluster").new_database() if request.param == "postgresql" else None
    with _world(tmp_path, FixedClock(TEST_NOW), url) as built:
        yield built


@contextlib.contextmanager
def _world(tmp_path: Path, clock: FixedClock, database_url: str | None) -> Iterator[World]:
    service = start_service(tmp_path / "dispatch.sqlite3", clock=clock, database_url=database_url)
    try:
        with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
            alice = d.add_engineer(EngineerIn(name="Alice Abe", phone="+81 90-1234-0001"))
            bob = d.add_engineer(EngineerIn(name="Bob Baba", phone="+81 90-1234-0002"))
            jobs = []
            for day in range(5):
                start = TEST_NOW + timedelta(days=day, hours=1)
                job = d.create_assignment(
                    request_data(
                        title=f"Job {day}",
                        visit_start=start.isoformat(),
                        requested_at=(start - timedelta(days=9)).isoformat(),
                    )
                )
                d.propose(job.id, [alice.engineer.id])
                jobs.append(job.id)
            d.approve(jobs[0], "Pat Lee")
            bobs = d.create_assignment(request_data(title="Bob's job"))
            d.propose(bobs.id, [bob.engineer.id])
        yield World(service, clock, alice.token, alice.engineer.id, bob.token, jobs, bobs.id)
    finally:
        service.stop()


def test_list_lines_carry_what_the_list_screen_shows_and_nothing_more(world: World):
    lines = world.get("/v1/assignments/summaries", world.alice).json()
    assert [line["id"] for line in lines] == world.jobs
    assert all(set(line) == LINE_FIELDS for line in lines)
    first = lines[0]
    assert (first["title"], first["company"], first["sites"]) == ("Job 0", "Example Corp", ["Tokyo office"])
    assert (first["status"], first["site_timezone"], first["urgency"]) == ("approved", "Asia/Tokyo", 1)
    full = world.get("/v1/assignments", world.alice)
    assert [a["version"] for a in full.json()] == [line["version"] for line in lines]
    assert len(world.get("/v1/assignments/summaries", world.alice).content) * 4 < len(full.content)


def test_an_unchanged_page_answers_304_and_a_change_gives_a_new_etag(world: World):
    for path in ("/v1/assignments/summaries", "/v1/assignments"):
        first = world.get(path, world.alice)
        tag = first.headers["ETag"]
        again = world.get(path, world.alice, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == tag
        assert world.get(path, world.alice, headers={"If-None-Match": f'"other", {tag}'}).status_code == 304
        assert world.get(path, world.alice, headers={"If-None-Match": '"something else"'}).status_code == 200
    before = world.get("/v1/assignments/summaries", world.alice)
    with world.desk() as d:
        d.approve(world.jobs[2], "Pat Lee")
    after = world.get("/v1/assignments/summaries", world.alice, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    changed = {line["id"]: line for line in after.json()}[world.jobs[2]]
    unchanged = {line["id"]: line for line in before.json()}[world.jobs[2]]
    assert changed["version"] == unchanged["version"] + 1 and changed["status"] == "approved"


def test_since_brings_only_the_assignments_changed_after_the_mark(world: World):
    world.clock.advance(timedelta(minutes=5))  # past the minute the service repeats before a mark
    mark = world.get("/v1/assignments", world.alice).headers["X-Since"]
    assert world.get("/v1/assignments", world.alice, params={"since": mark}).json() == []
    world.clock.advance(timedelta(minutes=1))
    with world.desk() as d:
        d.approve(world.jobs[3], "Pat Lee")
    for path in ("/v1/assignments", "/v1/assignments/summaries"):
        changed = world.get(path, world.alice, params={"since": mark}).json()
        assert [a["id"] for a in changed] == [world.jobs[3]] and changed[0]["status"] == "approved"
    full = world.get("/v1/assignments", world.alice, params={"since": mark}).json()[0]
    assert full["request"]["title"] == "Job 3" and full["bill"] and full["visit"]["approved_by"] == "Pat Lee"


def test_a_change_just_before_the_mark_still_comes_with_it(world: World):
    """A write stamped before the mark but committed after the read (a lock wait) must not be lost."""
    world.clock.advance(timedelta(minutes=10))
    with world.desk() as d:
        d.approve(world.jobs[1], "Pat Lee")
    world.clock.advance(timedelta(seconds=30))
    mark = world.get("/v1/assignments", world.alice).headers["X-Since"]
    again = world.get("/v1/assignments", world.alice, params={"since": mark}).json()
    assert [a["id"] for a in again] == [world.jobs[1]]  # the others changed ten minutes before: not repeated


@pytest.mark.parametrize("since", ["nonsense", "bm90IGEgZGF0ZQ", "MjAyNi0xMi0wMyAxMDowMA"])  # not a date / naive
def test_a_since_the_service_did_not_give_is_a_422_naming_the_field(world: World, since: str):
    answer = world.get("/v1/assignments/summaries", world.alice, params={"since": since})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"].endswith("since")


def test_lines_are_filtered_by_window_and_status_and_paged_by_cursor(world: World):
    start = TEST_NOW + timedelta(days=1)
    window = {"from": start.isoformat(), "to": (start + timedelta(days=3)).isoformat()}
    lines = world.get("/v1/assignments/summaries", world.alice, params=window).json()
    assert [line["id"] for line in lines] == world.jobs[1:4]
    approved = world.get("/v1/assignments/summaries", world.alice, params={"status": "approved"}).json()
    assert [line["id"] for line in approved] == [world.jobs[0]]
    both = world.get("/v1/assignments/summaries", world.alice, params={"status": ["approved", "proposed"]}).json()
    assert len(both) == 5
    seen, cursor, pages = [], None, 0
    while True:
        page = world.get(
            "/v1/assignments/summaries", world.alice, params={"limit": 2, **({"cursor": cursor} if cursor else {})}
        )
        seen += [line["id"] for line in page.json()]
        pages += 1
        if (cursor := page.headers.get("X-Next-Cursor")) is None:
            break
        assert 'rel="next"' in page.headers["Link"]
    assert seen == world.jobs and pages == 3
    assert world.get("/v1/assignments/summaries", world.alice, params={"limit": 201}).status_code == 422


def test_an_engineer_sees_only_their_own_lines_and_the_desk_sees_all(world: World):
    assert [line["id"] for line in world.get("/v1/assignments/summaries", world.bob).json()] == [world.bobs_job]
    everything = {line["id"] for line in world.get("/v1/assignments/summaries", DISPATCHER_TOKEN).json()}
    assert everything == {*world.jobs, world.bobs_job}
    # Bob cannot learn of Alice's assignments through a cursor, a window or `since` either.
    mark = world.get("/v1/assignments/summaries", world.bob).headers["X-Since"]
    assert world.get("/v1/assignments/summaries", world.bob, params={"since": mark}).json() == [
        line for line in world.get("/v1/assignments/summaries", world.bob).json()
    ]
    assert world.get("/v1/assignments/summaries", "not-a-token").status_code == 401


def test_an_answer_above_a_packet_is_gzipped_and_a_built_page_is_sent_again_as_it_was(world: World):
    gz = {"Accept-Encoding": "gzip"}
    full = world.get("/v1/assignments", world.alice, headers=gz)
    assert full.headers["Content-Encoding"] == "gzip" and len(full.json()) == 5  # httpx inflates it
    small = world.get("/v1/assignments/summaries", world.bob, headers=gz)
    assert "Content-Encoding" not in small.headers and len(small.json()) == 1  # one line: under a packet
    with world.desk() as d:  # enough lines for a gzipped page
        for n in range(10):
            job = d.create_assignment(request_data(title=f"Extra {n}"))
            d.propose(job.id, [world.alice_id])
    first = world.get("/v1/assignments/summaries", world.alice, headers=gz)
    again = world.get("/v1/assignments/summaries", world.alice, headers=gz)  # from the built pages (PageCache)
    assert first.headers["Content-Encoding"] == again.headers["Content-Encoding"] == "gzip"
    assert first.headers["ETag"] == again.headers["ETag"] and first.json() == again.json() and len(first.json()) == 15
    plain = world.get("/v1/assignments/summaries", world.alice, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.json() == first.json()


def test_the_bill_is_stored_per_change_and_runs_with_the_clock_on_site(world: World):
    store = world.service.store
    with store.sessions() as s:
        row = s.get(AssignmentRow, world.jobs[0])
        assert row is not None and row.bill is not None and row.bill["version"] == row.version
        stored = BillOut.model_validate(row.bill["bill"])
        computed = BillOut.of(
            visit_bill(
                store.request_of(row), VisitState.model_validate(row.state), expedited=row.expedited, card=store.card
            )
        )
    assert stored == computed
    with DispatchClient(world.service.url, world.alice) as alice:
        arrive = ArriveEvent(assignment_id=world.jobs[0], device_time=world.clock())
        [result] = alice.send_events([arrive]).results
        assert result.outcome.value == "applied", result.reason
        with store.sessions() as s:
            assert s.get(AssignmentRow, world.jobs[0]).bill is None  # on site: not stored, it grows with "now"
        first = alice.bill(world.jobs[0]).on_site_minutes
        world.clock.advance(timedelta(minutes=30))
        assert alice.bill(world.jobs[0]).on_site_minutes == first + 30
        assert alice.get_assignment(world.jobs[0]).bill.on_site_minutes == first + 30
