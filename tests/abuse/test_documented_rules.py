"""Rules as the README states them: entry level with instructions needs no named assistant; a proposal is
refused, with the reason, when an engineer's skill or languages do not cover the request."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from api_client import DispatchClient
from api_client.errors import ConflictError
from api_client.request import ServiceRequest
from api_client.wire import EngineerIn
from tests.abuse.conftest import visit_now
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN
from tests.factories import request_data


def test_entry_with_instructions_needs_no_named_assistant():
    data = request_data(skill_level="entry")
    data["work"]["instructions_provided"] = True
    assert not ServiceRequest.model_validate(data).assistance_required
    assisted = request_data(skill_level="entry", assistance_provided=True)
    assert ServiceRequest.model_validate(assisted).assistance_required


def test_entry_with_instructions_starts_work_without_an_assistant_live(service):
    now = clock()
    data = visit_now(now - timedelta(minutes=70), skill_level="entry")
    data["work"]["instructions_provided"] = True
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        eng = d.add_engineer(EngineerIn(name="Yuki", phone="+81 90-1234-0001", skill_level="entry"))
        job = d.create_assignment(data).id
        d.propose(job, [eng.engineer.id])
        d.approve(job, "Pat")
    with DispatchClient(service.url, eng.token) as e:
        results = e.send_events(
            [
                {"id": str(uuid.uuid4()), "kind": kind, "assignment_id": job, "device_time": t.isoformat()}
                for kind, t in (("arrive", now - timedelta(minutes=3)), ("start_work", now - timedelta(minutes=2)))
            ]
        ).results
    assert [r.outcome.value for r in results] == ["applied", "applied"], [r.reason for r in results]


@pytest.mark.parametrize(
    ("engineer", "request_overrides", "reason"),
    [
        ({"skill_level": "entry"}, {"skill_level": "senior"}, "is entry; the request needs senior or above"),
        ({"skill_level": "senior"}, {"skill_level": "specialist"}, "needs specialist or above"),
        ({"languages": ["en"]}, {"languages": ["ja"]}, "speaks English; the request is in Japanese"),
    ],
)
def test_a_proposal_that_does_not_cover_the_request_is_refused_with_the_reason(
    service, engineer, request_overrides, reason
):
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        e = d.add_engineer(EngineerIn(name="Jo Park", phone="+81 90-1234-0001", **engineer))
        job = d.create_assignment(request_data(**request_overrides, assistance_provided=True)).id
        with pytest.raises(ConflictError) as refused:
            d.propose(job, [e.engineer.id])
        assert d.get_assignment(job).status.value == "requested"
    assert refused.value.body["errors"][0]["rule"] == "team_not_qualified" and reason in str(refused.value)


def test_a_team_must_speak_every_requested_language(service):
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        en = d.add_engineer(EngineerIn(name="Emily", phone="+81 90-1234-0001", languages=["en"]))
        ja = d.add_engineer(EngineerIn(name="Kenji", phone="+81 90-1234-0002", languages=["ja"]))
        job = d.create_assignment(request_data(languages=["en", "ja"], engineer_count=2)).id
        with pytest.raises(ConflictError, match="nobody on the team speaks Japanese"):
            d.propose(job, [en.engineer.id])
        assert d.propose(job, [en.engineer.id, ja.engineer.id]).status.value == "proposed"


def test_engineers_from_an_earlier_release_get_a_language_column(tmp_path):
    import sqlite3

    from api_client.rate_card import EXAMPLE_RATE_CARD
    from dispatch.db import create_schema, make_engine
    from dispatch.store import Store

    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as con:  # the engineers table as the previous release made it
        con.execute(
            "CREATE TABLE engineers (id VARCHAR(40) PRIMARY KEY, name VARCHAR(200), name_ja VARCHAR(200), "
            "company VARCHAR(200), skill_level VARCHAR(20), phone VARCHAR(40), email VARCHAR(320), photo BLOB, "
            "token_sha256 VARCHAR(64) UNIQUE, created_at DATETIME)"
        )
        con.execute("INSERT INTO engineers VALUES ('ENG-1','A','','eCorpOne','senior',NULL,NULL,NULL,'x','2026-01-01')")
    engine = make_engine(f"sqlite:///{db}")
    create_schema(engine)
    assert [e.languages for e in Store(engine, EXAMPLE_RATE_CARD).engineers()] == [["en"]]
