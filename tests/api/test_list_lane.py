"""The list's fast lane (dispatch/api/list_lane.py) on the real service over SQLite: a page asked again while
nothing in the database changed is answered without the route — and never once anything changed: a new version,
a rotated token, a commit by another instance on the same file, a limited address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from api_client.clock import FixedClock
from tests.api.test_list_read_path import World, _world
from tests.clock import TEST_NOW
from tests.conftest import DISPATCHER_TOKEN, start_service

LIST = "/v1/assignments/summaries"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with _world(tmp_path, FixedClock(TEST_NOW), None) as built:
        built.service.settle()  # the proposal mails' jobs are written as done before the test begins
        yield built


@pytest.fixture
def page_reads(world: World, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which engineer's page the route read from the database (the store's key query, counted, not replaced)."""
    store, reads = world.service.store, []
    original = store.summary_keys

    def counted(who, page=None):  # type: ignore[no-untyped-def]
        reads.append(who.engineer_id or who.role.value)
        return original(who, page)

    monkeypatch.setattr(store, "summary_keys", counted)
    return reads


def test_a_page_asked_again_unchanged_is_answered_as_before_with_a_fresh_since(world: World, page_reads: list[str]):
    first = world.get(LIST, world.alice)
    world.clock.advance(timedelta(minutes=3))
    again = world.get(LIST, world.alice)
    assert page_reads == [world.alice_id]  # the second answer did not reach the route
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["X-Since"] != first.headers["X-Since"]  # the mark is this answer's, not the first's
    assert again.headers["x-content-type-options"] == "nosniff"  # every answer's headers still added
    conditional = world.get(LIST, world.alice, headers={"If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304 and conditional.content == b""
    assert world.get(LIST, world.alice, headers={"If-None-Match": '"other"'}).content == first.content
    assert page_reads == [world.alice_id]


def test_each_token_query_and_encoding_is_its_own_answer(world: World, page_reads: list[str]):
    alice = world.get(LIST, world.alice).json()
    bob = world.get(LIST, world.bob).json()
    assert {line["id"] for line in alice}.isdisjoint(line["id"] for line in bob)
    assert [line["id"] for line in world.get(LIST, world.alice, params={"limit": 2}).json()] == world.jobs[:2]
    plain = world.get(LIST, world.alice, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.json() == alice
    assert world.get(LIST, DISPATCHER_TOKEN).status_code == 200
    assert len(page_reads) == 5 and page_reads[::2] == [world.alice_id, world.alice_id, "dispatcher"]


def test_any_change_sends_the_next_request_to_the_route(world: World, page_reads: list[str]):
    before = world.get(LIST, world.alice)
    with world.desk() as d:
        d.approve(world.jobs[2], "Pat Lee")
    after = world.get(LIST, world.alice, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert {line["id"]: line["status"] for line in after.json()}[world.jobs[2]] == "approved"
    assert page_reads == [world.alice_id, world.alice_id]


def test_a_rotated_token_is_refused_at_once_though_its_answer_was_kept(world: World):
    assert world.get(LIST, world.alice).status_code == 200
    with world.desk() as d:
        new = d.rotate_token(world.alice_id)
    refused = world.get(LIST, world.alice)
    assert refused.status_code == 401 and "revoked" in refused.text
    assert world.get(LIST, new.token).status_code == 200


def test_a_commit_by_another_instance_on_the_same_file_is_seen(world: World, tmp_path: Path):
    other = start_service(tmp_path / "dispatch.sqlite3", clock=world.clock)
    try:
        before = world.get(LIST, world.alice).json()
        with httpx.Client(base_url=other.url, headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}) as desk:
            desk.post(f"/v1/assignments/{world.jobs[3]}/approve", json={"approved_by": "Pat Lee"}).raise_for_status()
        after = {line["id"]: line for line in world.get(LIST, world.alice).json()}
        assert after[world.jobs[3]]["status"] == "approved"
        assert after[world.jobs[3]]["version"] == {line["id"]: line for line in before}[world.jobs[3]]["version"] + 1
    finally:
        other.stop()


def test_an_address_held_back_for_bad_tokens_is_held_back_with_a_good_one_too(world: World):
    assert world.get(LIST, world.alice).status_code == 200
    limiter = world.service.app.state.auth_limiter
    while limiter.retry_after("127.0.0.1") is None:
        assert world.get(LIST, "not-a-token").status_code in (401, 429)
    assert world.get(LIST, world.alice).status_code == 429


def test_a_repeated_authorization_header_is_read_as_the_route_reads_it(world: World):
    """The route takes the first of two Authorization headers: an answer kept under the second would give one
    engineer's list to a later request with the other's token alone."""
    both = [("Authorization", f"Bearer {world.bob}"), ("Authorization", f"Bearer {world.alice}")]
    with httpx.Client(base_url=world.service.url) as client:
        assert client.get(LIST, headers=httpx.Headers(both)).status_code == 200
    alice = [line["id"] for line in world.get(LIST, world.alice).json()]
    assert alice == world.jobs


def test_a_change_to_another_engineers_list_leaves_this_one_answered_by_the_lane(world: World, page_reads: list[str]):
    first = world.get(LIST, world.alice)
    with world.desk() as d:
        d.approve(world.bobs_job, "Pat Lee")  # a commit: the data version moves, Alice's list does not
    again = world.get(LIST, world.alice, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and page_reads == [world.alice_id]
    assert world.get(LIST, DISPATCHER_TOKEN).status_code == 200  # the desk's list holds every assignment
    with world.desk() as d:
        d.approve(world.jobs[4], "Pat Lee")
    assert {line["id"]: line["status"] for line in world.get(LIST, world.alice).json()}[world.jobs[4]] == "approved"
    assert {line["id"]: line["status"] for line in world.get(LIST, DISPATCHER_TOKEN).json()}[world.jobs[4]] == (
        "approved"
    )
    assert page_reads == [world.alice_id, "dispatcher", world.alice_id, "dispatcher"]
