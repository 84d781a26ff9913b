"""Fixtures for the abuse suite: the real service on 127.0.0.1 with a team whose visit is on *now* (the
visit starts an hour from the moment the test runs, so the badge window covers the test at any time of day)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api_client import DispatchClient
from api_client.wire import EngineerIn
from dispatch.documents import add_document
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, LiveService, start_service
from tests.factories import request_data

# A tiny valid PNG (1x1), as an ID photo.
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


@dataclass
class Crew:
    """Two engineers (A on an approved visit starting in an hour, B on one of their own) and their tokens."""

    service: LiveService
    a_id: str
    a_token: str
    b_id: str
    b_token: str
    a_job: str
    b_job: str
    now: datetime
    b_document: str = ""  # a document uploaded with B's visit

    def dispatcher(self) -> DispatchClient:
        return DispatchClient(self.service.url, DISPATCHER_TOKEN, max_retries=0)


def visit_now(now: datetime, **overrides: Any) -> dict[str, Any]:
    start = now + timedelta(hours=1)
    return request_data(
        visit_start=start.isoformat(), requested_at=(start - timedelta(days=3)).isoformat(), **overrides
    )


def make_crew(service: LiveService) -> Crew:
    now = clock()
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        a = d.add_engineer(EngineerIn(name="Alice Abe", phone="+81 90-1234-0001", photo_base64=PNG_1PX))
        b = d.add_engineer(EngineerIn(name="Bob Baba", phone="+81 90-1234-0002"))
        jobs = []
        for engineer in (a, b):
            job = d.create_assignment(visit_now(now, title=f"{engineer.engineer.name}'s job"))
            d.propose(job.id, [engineer.engineer.id])
            d.approve(job.id, "Pat Lee")
            jobs.append(job.id)
    doc = add_document(
        service.store, b"%PDF-1.4 B's instructions", "b.pdf", "instructions", "test", assignment_id=jobs[1]
    )
    return Crew(service, a.engineer.id, a.token, b.engineer.id, b.token, jobs[0], jobs[1], now, b_document=doc.id)


@pytest.fixture
def abuse_service(tmp_path: Path) -> Iterator[LiveService]:
    """The service with a generous failed-auth limit, so matrices of bad tokens are answered 401, not 429."""
    live = start_service(tmp_path / "dispatch.sqlite3", mail_spool_dir=tmp_path / "mail", auth_failures_per_minute=1000)
    yield live
    live.stop()


@pytest.fixture
def crew(abuse_service: LiveService) -> Crew:
    return make_crew(abuse_service)
