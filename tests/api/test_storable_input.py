"""No input produces a 5xx, on SQLite and on PostgreSQL: what the models accept, every store can hold, and what
they cannot hold is refused with its field and rule — while the rest of the batch is applied."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api_client import DispatchClient
from api_client.wire import EngineerIn
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, LiveService, start_service
from tests.factories import request_data
from tests.postgres import Cluster, postgres_cluster


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as c:
        yield c


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveService]:
    url = request.getfixturevalue("cluster").new_database() if request.param == "postgresql" else None
    live = start_service(tmp_path / "d.sqlite3", database_url=url, mail_spool_dir=tmp_path / "mail")
    yield live
    live.stop()


@pytest.fixture
def on_site(backend: LiveService) -> tuple[str, str]:
    with DispatchClient(backend.url, DISPATCHER_TOKEN) as desk:
        eng = desk.add_engineer(EngineerIn(name="Pat Kim", phone="+81 90-5555-0000"))
        a = desk.create_assignment(request_data())
        desk.propose(a.id, [eng.engineer.id])
        desk.approve(a.id, "Pat Lee")
    with DispatchClient(backend.url, eng.token) as c:
        c.send_events([{"id": str(uuid.uuid4()), "assignment_id": a.id, "kind": "arrive", "device_time": _now()}])
    return eng.token, a.id


def _now() -> str:
    return clock().isoformat()


def _post_raw(url: str, token: str, raw_json: str) -> httpx.Response:
    """Send JSON text as written (lone surrogates, Infinity: things a JSON library would not produce)."""
    return httpx.post(
        f"{url}/v1/events/batch",
        content=raw_json.encode("utf-8"),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=30,
    )


HOSTILE = {
    "year_1_with_offset": '"device_time": "0001-01-01T00:00:00+05:00", "text": "x"',
    "year_9999_with_offset": '"device_time": "9999-12-31T23:59:59-05:00", "text": "x"',
    "lone_surrogate": '"device_time": "{now}", "text": "bad \\ud800 text"',
    "nul": '"device_time": "{now}", "text": "bad \\u0000 text"',
    "infinity_in_a_position": '"device_time": "{now}", "text": "x", '
    '"position": {{"latitude": Infinity, "longitude": 1}}',
    "surrogate_in_a_key": '"device_time": "{now}", "text": "x", "\\udfff": 1',
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_event_is_refused_by_field_and_the_batch_goes_on(backend, on_site, case):
    token, job = on_site
    bad = (
        "{"
        + f'"id": "{uuid.uuid4()}", "assignment_id": "{job}", "kind": "log", '
        + HOSTILE[case].format(now=_now())
        + "}"
    )
    good = json.dumps(
        {"id": str(uuid.uuid4()), "assignment_id": job, "kind": "log", "device_time": _now(), "text": "ok"}
    )
    response = _post_raw(
        backend.url,
        token,
        '{"events": ['
        + good
        + ", "
        + bad
        + ", "
        + good.replace('"ok"', '"ok 2"').replace(json.loads(good)["id"], str(uuid.uuid4()))
        + "]}",
    )
    assert response.status_code == 200, response.text  # one bad event never takes the batch down with it
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["reason_code"] == "invalid" and results[1]["reason"]  # names the field and the rule
    with DispatchClient(backend.url, DISPATCHER_TOKEN) as desk:
        logged = [e.data["text"] for e in desk.events(job) if e.kind == "log"]
    assert logged == ["ok", "ok 2"]  # both good ones recorded, the bad one not


def test_concurrent_deliveries_of_one_batch_never_answer_a_server_error(backend, on_site):
    token, job = on_site
    body = {
        "events": [
            {"id": str(uuid.uuid4()), "assignment_id": job, "kind": "log", "device_time": _now(), "text": f"n{i}"}
            for i in range(100)
        ]
    }
    statuses: list[int] = []

    def send() -> None:
        r = httpx.post(f"{backend.url}/v1/events/batch", json=body, headers={"Authorization": f"Bearer {token}"})
        statuses.append(r.status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [200] * 4
    with DispatchClient(backend.url, DISPATCHER_TOKEN) as desk:
        logged = [e for e in desk.events(job) if e.kind == "log"]
    assert len(logged) == 100


def test_the_same_event_in_another_spelling_is_a_duplicate_not_a_conflict(backend, on_site):
    token, job = on_site
    event_id = str(uuid.uuid4())
    at = clock().replace(microsecond=0)
    first = {"id": event_id, "assignment_id": job, "kind": "log", "device_time": at.isoformat(), "text": "same"}
    again = {
        "text": "same",
        "kind": "log",
        "device_time": at.astimezone().isoformat().replace("+00:00", "Z"),  # same instant, other spelling
        "assignment_id": job,
        "id": event_id.upper(),
    }
    with DispatchClient(backend.url, token) as c:
        assert c.send_events([first]).results[0].outcome == "applied"
        result = c.send_events([again]).results[0]
    assert (result.outcome, result.original) == ("duplicate", "applied")


def test_ids_in_the_path_that_no_database_can_hold_are_not_found(backend):
    headers = {"Authorization": f"Bearer {DISPATCHER_TOKEN}"}
    for path in ("/v1/assignments/ASG%00X", "/v1/assignments/ASG%00X/bill", "/v1/engineers/E%00/photo"):
        assert httpx.get(f"{backend.url}{path}", headers=headers).status_code == 404, path
    r = httpx.post(f"{backend.url}/v1/assignments/A%00/propose", json={"engineer_ids": ["E"]}, headers=headers)
    assert r.status_code in (404, 422)  # the id is refused (field + rule) or names nothing: never a 5xx
