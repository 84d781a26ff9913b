"""A desk's day to test against: a client company with a requester, an admin dispatcher, two engineers, and
visits in each state — made the way the service makes them (the typed client over HTTP, the store for a
request taken on the portal, which publishes on the live bus like the portal's submission)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from api_client import DispatchClient
from api_client.clients import Company, Person
from api_client.request import ServiceRequest
from api_client.wire import Assignment, EngineerIn
from tests.conftest import DISPATCHER_TOKEN
from tests.factories import request_data
from tests.web.conftest import WebService


@dataclass
class DeskScene:
    web: WebService
    company: Company
    requester: Person
    desk_email: str
    engineer_ids: list[str]
    engineer_tokens: list[str]
    now: datetime

    def dispatch(self) -> DispatchClient:
        return DispatchClient(self.web.url, DISPATCHER_TOKEN, max_retries=0)

    def engineer(self, i: int = 0) -> DispatchClient:
        return DispatchClient(self.web.url, self.engineer_tokens[i], max_retries=0)

    def request(self, *, hours_from_now: float = 1, **overrides: Any) -> ServiceRequest:
        start = self.now + timedelta(hours=hours_from_now)
        data = request_data(visit_start=start.isoformat(), requested_at=(start - timedelta(days=3)).isoformat())
        data["ordering_party"]["company"] = self.company.name_en
        data.update(overrides)
        return ServiceRequest.model_validate(data)

    def portal_request(self, **overrides: Any) -> Assignment:
        """As the portal's submission makes one: the store, with the company and the person (publishes)."""
        return self.web.store.create_assignment(
            self.request(**overrides), company_id=self.company.id, requested_by=self.requester.id
        )

    def approved_visit(self, engineer: int = 0, **overrides: Any) -> Assignment:
        job = self.portal_request(**overrides)
        with self.dispatch() as d:
            d.propose(job.id, [self.engineer_ids[engineer]])
            return d.approve(job.id, "Pat Lee")

    def send(self, engineer: int, assignment_id: str, kind: str, **fields: Any) -> Any:
        event = {
            "id": str(uuid.uuid4()),
            "kind": kind,
            "assignment_id": assignment_id,
            "device_time": self.web.clock().isoformat(),
            **fields,
        }
        with self.engineer(engineer) as c:
            [result] = c.send_events([event]).results
            return result


def make_scene(web: WebService) -> DeskScene:
    company = web.company("Acme Systems", "アクメシステムズ", notify_emails=["ops@acme.example"])
    requester = web.person(company, "aoi@acme.example", "Aoi Sato", approver=True)
    web.dispatcher("desk@ecorpone.example", "Hana Desk", is_admin=True)
    ids, tokens = [], []
    with DispatchClient(web.url, DISPATCHER_TOKEN) as d:
        for name, ja in (("Kenji Sato", "佐藤 健二"), ("Emily Carter", "")):
            made = d.add_engineer(EngineerIn(name=name, name_ja=ja, phone="+81 90-1234-0001", languages=["en", "ja"]))
            ids.append(made.engineer.id)
            tokens.append(made.token)
    return DeskScene(web, company, requester, "desk@ecorpone.example", ids, tokens, web.clock())
