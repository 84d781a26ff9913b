"""Typed HTTP client for the dispatch service.

One request-building core (`_Endpoints`: paths, bodies, response parsing, retry policy) and two thin twins
that differ only in I/O: `DispatchClient` (sync; CLI, tests) and `AsyncDispatchClient` (the app's sync
worker). Retries with exponential backoff + jitter, honouring Retry-After, only for idempotent calls — GETs
and event batches, which the server de-duplicates by event id.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from .errors import ConnectError, DispatchError, RequestTimeout, status_error
from .events import EventBatchResult, RecordedEvent
from .rate_card import RateCard
from .request import ServiceRequest
from .wire import Assignment, Badge, BillOut, Engineer, EngineerCreated, EngineerIn, Me, Notification, ServiceReport

T = TypeVar("T")
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def _parse(model: Any) -> Callable[[httpx.Response], Any]:
    adapter = TypeAdapter(model)

    def parse(response: httpx.Response) -> Any:
        # Responses tolerate unknown fields: a phone a release behind keeps working.
        return adapter.validate_json(response.content, extra="ignore")  # type: ignore[call-arg]

    return parse


def _bytes(response: httpx.Response) -> bytes:
    return response.content


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    json: Any = None
    params: dict[str, str] = field(default_factory=dict)
    idempotent: bool = False

    def request(self, client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        return client.build_request(self.method, self.path, json=self.json, params=self.params or None)


def _dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json", exclude_none=True)


class _Endpoints:
    """Every endpoint, once. Returns a Call; the twins execute it."""

    @staticmethod
    def health() -> Call[dict[str, Any]]:
        return Call("GET", "/v1/health", _parse(dict[str, Any]), idempotent=True)

    @staticmethod
    def me() -> Call[Me]:
        return Call("GET", "/v1/me", _parse(Me), idempotent=True)

    @staticmethod
    def rate_card() -> Call[RateCard]:
        return Call("GET", "/v1/rate-card", _parse(RateCard), idempotent=True)

    @staticmethod
    def list_assignments() -> Call[list[Assignment]]:
        return Call("GET", "/v1/assignments", _parse(list[Assignment]), idempotent=True)

    @staticmethod
    def get_assignment(assignment_id: str) -> Call[Assignment]:
        return Call("GET", f"/v1/assignments/{assignment_id}", _parse(Assignment), idempotent=True)

    @staticmethod
    def create_assignment(request: ServiceRequest | dict[str, Any]) -> Call[Assignment]:
        body = _dump(request) if isinstance(request, BaseModel) else request
        return Call("POST", "/v1/assignments", _parse(Assignment), json=body)

    @staticmethod
    def propose(assignment_id: str, engineer_ids: Sequence[str]) -> Call[Assignment]:
        return Call(
            "POST",
            f"/v1/assignments/{assignment_id}/propose",
            _parse(Assignment),
            json={"engineer_ids": list(engineer_ids)},
        )

    @staticmethod
    def approve(assignment_id: str, approved_by: str) -> Call[Assignment]:
        return Call(
            "POST", f"/v1/assignments/{assignment_id}/approve", _parse(Assignment), json={"approved_by": approved_by}
        )

    @staticmethod
    def cancel(assignment_id: str, reason: str) -> Call[Assignment]:
        return Call("POST", f"/v1/assignments/{assignment_id}/cancel", _parse(Assignment), json={"reason": reason})

    @staticmethod
    def close(assignment_id: str) -> Call[Assignment]:
        return Call("POST", f"/v1/assignments/{assignment_id}/close", _parse(Assignment))

    @staticmethod
    def bill(assignment_id: str) -> Call[BillOut]:
        return Call("GET", f"/v1/assignments/{assignment_id}/bill", _parse(BillOut), idempotent=True)

    @staticmethod
    def send_events(
        events: Sequence[BaseModel | dict[str, Any]], sent_at: datetime | None = None
    ) -> Call[EventBatchResult]:
        body: dict[str, Any] = {"events": [_dump(e) if isinstance(e, BaseModel) else e for e in events]}
        if sent_at is not None:  # the device's clock now: lets the server measure how far off it is
            body["sent_at"] = sent_at.isoformat()
        # Safe to retry: the server stores each event once by its id and answers repeats as duplicates.
        return Call("POST", "/v1/events/batch", _parse(EventBatchResult), json=body, idempotent=True)

    @staticmethod
    def events(assignment_id: str) -> Call[list[RecordedEvent]]:
        return Call("GET", f"/v1/assignments/{assignment_id}/events", _parse(list[RecordedEvent]), idempotent=True)

    @staticmethod
    def badge(assignment_id: str) -> Call[Badge]:
        return Call("GET", f"/v1/assignments/{assignment_id}/badge", _parse(Badge), idempotent=True)

    @staticmethod
    def engineer_photo(engineer_id: str) -> Call[bytes]:
        return Call("GET", f"/v1/engineers/{engineer_id}/photo", _bytes, idempotent=True)

    @staticmethod
    def report(assignment_id: str) -> Call[ServiceReport]:
        return Call("GET", f"/v1/assignments/{assignment_id}/report", _parse(ServiceReport), idempotent=True)

    @staticmethod
    def report_pdf(assignment_id: str) -> Call[bytes]:
        return Call("GET", f"/v1/assignments/{assignment_id}/report.pdf", _bytes, idempotent=True)

    @staticmethod
    def notifications(assignment_id: str) -> Call[list[Notification]]:
        return Call(
            "GET", f"/v1/assignments/{assignment_id}/notifications", _parse(list[Notification]), idempotent=True
        )

    @staticmethod
    def add_engineer(engineer: EngineerIn) -> Call[EngineerCreated]:
        return Call("POST", "/v1/engineers", _parse(EngineerCreated), json=_dump(engineer))

    @staticmethod
    def rotate_token(engineer_id: str) -> Call[EngineerCreated]:
        return Call("POST", f"/v1/engineers/{engineer_id}/token", _parse(EngineerCreated))

    @staticmethod
    def list_engineers() -> Call[list[Engineer]]:
        return Call("GET", "/v1/engineers", _parse(list[Engineer]), idempotent=True)


class _Transport:
    """Settings and retry policy shared by the twins."""

    def __init__(self, base_url: str, token: str | None, timeout: httpx.Timeout | float, max_retries: int) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.timeout = timeout
        self.max_retries = max_retries

    def retry_delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None and (after := response.headers.get("Retry-After")):
            try:
                return min(float(after), 60.0)
            except ValueError:
                try:
                    return max(0.0, parsedate_to_datetime(after).timestamp() - time.time())
                except (TypeError, ValueError):
                    pass
        return min(0.25 * 2**attempt, 8.0) * (0.5 + random.random() / 2)

    def should_retry(self, call: Call[Any], attempt: int, response: httpx.Response | None) -> bool:
        if not call.idempotent or attempt >= self.max_retries:
            return False
        return response is None or response.status_code in RETRY_STATUSES

    @staticmethod
    def result(call: Call[T], response: httpx.Response) -> T:
        if response.is_success:
            return call.parse(response)
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        raise status_error(response.status_code, body)

    @staticmethod
    def transport_error(exc: httpx.TransportError) -> DispatchError:
        if isinstance(exc, httpx.TimeoutException):
            return RequestTimeout(f"The dispatch service did not answer in time: {exc}")
        return ConnectError(f"Cannot reach the dispatch service: {exc}")


class DispatchClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
    ) -> None:
        self._t = _Transport(base_url, token, timeout, max_retries)
        self._http = httpx.Client(base_url=self._t.base_url, headers=self._t.headers, timeout=timeout)

    def __enter__(self) -> DispatchClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close_connection()

    def close_connection(self) -> None:
        self._http.close()

    def call(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            response: httpx.Response | None = None
            try:
                response = self._http.send(call.request(self._http))
            except httpx.TransportError as exc:
                if not self._t.should_retry(call, attempt, None):
                    raise self._t.transport_error(exc) from exc
            else:
                if not self._t.should_retry(call, attempt, response):
                    return self._t.result(call, response)
            time.sleep(self._t.retry_delay(attempt, response))
            attempt += 1

    def health(self) -> dict[str, Any]:
        return self.call(_Endpoints.health())

    def me(self) -> Me:
        return self.call(_Endpoints.me())

    def rate_card(self) -> RateCard:
        return self.call(_Endpoints.rate_card())

    def list_assignments(self) -> list[Assignment]:
        return self.call(_Endpoints.list_assignments())

    def get_assignment(self, assignment_id: str) -> Assignment:
        return self.call(_Endpoints.get_assignment(assignment_id))

    def create_assignment(self, request: ServiceRequest | dict[str, Any]) -> Assignment:
        return self.call(_Endpoints.create_assignment(request))

    def propose(self, assignment_id: str, engineer_ids: Sequence[str]) -> Assignment:
        return self.call(_Endpoints.propose(assignment_id, engineer_ids))

    def approve(self, assignment_id: str, approved_by: str) -> Assignment:
        return self.call(_Endpoints.approve(assignment_id, approved_by))

    def cancel(self, assignment_id: str, reason: str) -> Assignment:
        return self.call(_Endpoints.cancel(assignment_id, reason))

    def close(self, assignment_id: str) -> Assignment:
        return self.call(_Endpoints.close(assignment_id))

    def bill(self, assignment_id: str) -> BillOut:
        return self.call(_Endpoints.bill(assignment_id))

    def send_events(
        self, events: Sequence[BaseModel | dict[str, Any]], sent_at: datetime | None = None
    ) -> EventBatchResult:
        return self.call(_Endpoints.send_events(events, sent_at))

    def events(self, assignment_id: str) -> list[RecordedEvent]:
        return self.call(_Endpoints.events(assignment_id))

    def badge(self, assignment_id: str) -> Badge:
        return self.call(_Endpoints.badge(assignment_id))

    def report(self, assignment_id: str) -> ServiceReport:
        return self.call(_Endpoints.report(assignment_id))

    def report_pdf(self, assignment_id: str) -> bytes:
        return self.call(_Endpoints.report_pdf(assignment_id))

    def notifications(self, assignment_id: str) -> list[Notification]:
        return self.call(_Endpoints.notifications(assignment_id))

    def add_engineer(self, engineer: EngineerIn) -> EngineerCreated:
        return self.call(_Endpoints.add_engineer(engineer))

    def list_engineers(self) -> list[Engineer]:
        return self.call(_Endpoints.list_engineers())

    def rotate_token(self, engineer_id: str) -> EngineerCreated:
        return self.call(_Endpoints.rotate_token(engineer_id))


class AsyncDispatchClient:
    """The async twin, for the app's background sync. Same endpoints, awaitable."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
    ) -> None:
        self._t = _Transport(base_url, token, timeout, max_retries)
        self._http = httpx.AsyncClient(base_url=self._t.base_url, headers=self._t.headers, timeout=timeout)

    async def __aenter__(self) -> AsyncDispatchClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            response: httpx.Response | None = None
            try:
                response = await self._http.send(call.request(self._http))
            except httpx.TransportError as exc:
                if not self._t.should_retry(call, attempt, None):
                    raise self._t.transport_error(exc) from exc
            else:
                if not self._t.should_retry(call, attempt, response):
                    return self._t.result(call, response)
            await asyncio.sleep(self._t.retry_delay(attempt, response))
            attempt += 1

    async def me(self) -> Me:
        return await self.call(_Endpoints.me())

    async def rate_card(self) -> RateCard:
        return await self.call(_Endpoints.rate_card())

    async def list_assignments(self) -> list[Assignment]:
        return await self.call(_Endpoints.list_assignments())

    async def get_assignment(self, assignment_id: str) -> Assignment:
        return await self.call(_Endpoints.get_assignment(assignment_id))

    async def send_events(
        self, events: Sequence[BaseModel | dict[str, Any]], sent_at: datetime | None = None
    ) -> EventBatchResult:
        return await self.call(_Endpoints.send_events(events, sent_at))

    async def badge(self, assignment_id: str) -> Badge:
        return await self.call(_Endpoints.badge(assignment_id))

    async def engineer_photo(self, engineer_id: str) -> bytes:
        return await self.call(_Endpoints.engineer_photo(engineer_id))


endpoints = _Endpoints
