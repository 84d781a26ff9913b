"""A visit for the portal's tests: an engineer with an ID photo, a request of a client company, proposed through
the API by the dispatcher (the request form is another page's), and the engineer's events through the API."""

from __future__ import annotations

import base64
import io
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from PIL import Image, ImageDraw

from api_client import DispatchClient
from api_client.clients import Company
from api_client.events import EventResult, Position
from api_client.request import ServiceRequest
from field_app.actions import VisitActions
from field_app.device_store import DeviceStore
from field_app.state import AppState
from tests.aio import run
from tests.factories import request_data
from tests.web.conftest import WebService

SIGNATURE = [[(10.0, 10.0), (40.0, 30.0), (80.0, 12.0)]]


def photo_png(colour: tuple[int, int, int] = (11, 92, 173), size: int = 96) -> bytes:
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size * 0.3, size * 0.15, size * 0.7, size * 0.55), fill=(245, 222, 200))
    draw.rectangle((size * 0.2, size * 0.62, size * 0.8, size), fill=(40, 40, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@dataclass
class Visit:
    id: str
    engineer_id: str
    engineer_token: str
    web: WebService

    def engineer(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.web.url, headers={"Authorization": f"Bearer {self.engineer_token}"}, timeout=30
        )

    def send(self, kind: str, minutes_from_now: float = 0, **fields: Any) -> EventResult:
        """One event from the engineer's phone (its device time is the service's now, plus `minutes_from_now`)."""
        event = {
            "id": str(uuid.uuid4()),
            "assignment_id": self.id,
            "kind": kind,
            "device_time": (self.web.clock() + timedelta(minutes=minutes_from_now)).isoformat(),
            **fields,
        }
        with DispatchClient(self.web.url, self.engineer_token) as c:  # the app's own typed client
            [result] = c.send_events(events=[event]).results
        assert result.outcome == "applied", result
        return result


class AppPhone:
    """The engineer's app against the same service: field_app's AppState signed in with the engineer's token, each
    event recorded through VisitActions (the rules checked on the device) and pushed by the app's own sync.
    `send` takes the same arguments as Visit.send, so the browser steps work with either."""

    def __init__(self, web: WebService, assignment_id: str, token: str, device: Path, language: str = "en") -> None:
        self.id, self.language = assignment_id, language
        self.store = DeviceStore(device)
        self.state = AppState(store=self.store, clock=web.clock)  # the phone's clock: the service's, here
        self.state.load_local()
        assert run(self._sign_in(web.url, token)), self.state.sign_in_error
        self.actions = VisitActions(self.state, assignment_id)

    async def _sign_in(self, url: str, token: str) -> bool:
        ok = await self.state.sign_in(url, token)
        self.state.stop_sync()  # the test syncs when the app would: right after each action
        return ok and (await self.state.sync_now()).online

    def send(self, kind: str, **fields: Any) -> None:
        if "position" in fields:
            fields["position"] = Position(**fields["position"])
        if "photo_base64" in fields:
            fields["photo"] = base64.b64decode(fields.pop("photo_base64"))
        if kind == "sign_off":
            fields.setdefault("language", self.language)
        result = getattr(self.actions, kind)(**fields)
        assert result.ok, result.message
        report = run(self.state.sync_now())
        assert report.online and report.held == 0, report
        assert self.state.waiting == 0  # delivered and applied

    def close(self) -> None:
        self.store.close()


def add_engineer(web: WebService, **fields: Any) -> tuple[str, str]:
    """An engineer with an ID photo, by default a senior speaking English and Japanese: (id, the phone's token)."""
    with web.api() as c:
        r = c.post(
            "/v1/engineers",
            json={
                "name": "Kenji Sato",
                "name_ja": "佐藤 健二",
                "skill_level": "senior",
                "phone": "+81 90-1234-5678",
                "email": "sato@ecorpone.example",
                "languages": ["en", "ja"],
                "photo_base64": base64.b64encode(photo_png()).decode(),
                **fields,
            },
        )
        r.raise_for_status()
        return r.json()["engineer"]["id"], r.json()["token"]


def propose_engineers(web: WebService, assignment_id: str, engineer_ids: list[str]) -> None:
    """The dispatcher proposes through the API; returns once the proposal mails are out."""
    with web.api() as c:
        c.post(f"/v1/assignments/{assignment_id}/propose", json={"engineer_ids": engineer_ids}).raise_for_status()
    web.service.settle()


def new_visit(
    web: WebService,
    company: Company,
    *,
    languages: tuple[str, ...] = ("en",),
    contact_email: str = "ken.ito@site.example",
    propose: bool = True,
    **overrides: Any,
) -> Visit:
    engineer_id, token = add_engineer(web)
    data = request_data(languages=list(languages), reserved_hours=2, **overrides)
    data["locations"][0]["local_contacts"][0]["email"] = contact_email
    created = web.store.create_assignment(ServiceRequest.model_validate(data), company_id=company.id)
    if propose:
        propose_engineers(web, created.id, [engineer_id])
    return Visit(created.id, engineer_id, token, web)
