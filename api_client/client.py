"""Typed HTTP client for the dispatch service.

`ENDPOINTS` declares every endpoint once: method, path, request and response types, and whether it is safe to
retry. The two clients are generated from that table and differ only in I/O: `DispatchClient` (sync; CLI,
tests) and `AsyncDispatchClient` (the app's sync worker). A method takes the path parameters positionally, then
the body: a request model (or a dict, sent as is), its one declared positional field, or its fields as keywords.

    client.approve("ASG-1", "Sarah Kim")            # == client.approve("ASG-1", approved_by="Sarah Kim")
    client.close_assignment("ASG-1")                # the assignment; client.close() closes the client

Retries with exponential backoff + jitter, honouring Retry-After, only for idempotent calls — GETs and event
batches, which the server de-duplicates by event id.
"""

from __future__ import annotations

import asyncio
import inspect
import random
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from ._base import parse_response
from .clients import Company, CompanyIn, Person, PersonIn
from .errors import ConnectError, DispatchError, RequestTimeout, status_error
from .events import EventBatch, EventBatchResult, RecordedEvent
from .rate_card import RateCard
from .request import ServiceRequest
from .summary import AssignmentSummary
from .wire import (
    ApproveIn,
    Assignment,
    Badge,
    BillOut,
    CancelIn,
    Engineer,
    EngineerCreated,
    EngineerIn,
    Me,
    Notification,
    OvertimeReviewIn,
    PairingIn,
    ProposeIn,
    ServiceReport,
)

T = TypeVar("T")
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Endpoint:
    """One row of the table. `response` is a type parsed tolerantly, or `bytes` for a file."""

    name: str
    method: str
    path: str
    response: Any
    request: type[BaseModel] | None = None
    positional: str | None = None  # the body field that may be passed positionally after the path parameters
    idempotent: bool | None = None  # default: GETs are, everything else is not
    query: tuple[str, ...] = ()  # keyword arguments sent as query parameters (left out when None; from_ -> from)
    headers: tuple[str, ...] = ()  # keyword arguments sent as request headers (if_none_match -> If-None-Match)
    doc: str = ""

    @property
    def path_params(self) -> list[str]:
        return [name for _, name, _, _ in string.Formatter().parse(self.path) if name]

    @property
    def retry_safe(self) -> bool:
        return self.method == "GET" if self.idempotent is None else self.idempotent

    def call(self, *args: Any, **fields: Any) -> Call[Any]:
        """The request for these arguments; raises TypeError for a missing path parameter or an unknown field."""
        params = self.path_params
        if len(args) < len(params):
            raise TypeError(f"{self.name}() needs {', '.join(params)}")
        path = self.path.format(**{p: quote(str(a), safe="") for p, a in zip(params, args, strict=False)})
        parse = _bytes if self.response is bytes else _PAGES.get(self.response) or _parser(self.response)
        query = {name.rstrip("_"): _query(fields.pop(name)) for name in self.query if fields.get(name) is not None}
        headers = {_header(name): str(fields.pop(name)) for name in self.headers if fields.get(name) is not None}
        fields = {k: v for k, v in fields.items() if k not in self.query and k not in self.headers}
        body = self._body(args[len(params) :], fields)
        return Call(
            self.method,
            path,
            parse,
            json=body,
            params=query,
            headers=headers,
            idempotent=self.retry_safe,
            conditional=bool(headers.keys() & {"If-None-Match"}),
        )

    def _body(self, rest: tuple[Any, ...], fields: dict[str, Any]) -> Any:
        if len(rest) > 1 or (self.request is None and (rest or fields)):
            raise TypeError(f"{self.name}() got too many arguments")
        if self.request is None:
            return None
        if self.positional is None:  # the whole body: a request model, or a dict sent as is
            body = rest[0] if rest else fields.pop("body", None)
            if body is None or fields:
                raise TypeError(f"{self.name}() takes one body: a {self.request.__name__} or a dict")
            return _jsonable(body)
        if rest:
            fields = {self.positional: rest[0], **fields}
        if unknown := sorted(set(fields) - set(self.request.model_fields)):
            raise TypeError(f"{self.name}() got unknown field(s) {unknown}")
        return _jsonable(fields)


def _parser(response_type: Any) -> Callable[[httpx.Response], Any]:
    return lambda response: parse_response(response_type, response.content)


def _bytes(response: httpx.Response) -> bytes:
    return response.content


def _header(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("_"))


@dataclass(frozen=True)
class AssignmentPage:
    """One page of `GET /v1/assignments`; `next_cursor` (from X-Next-Cursor) is None on the last page. `etag` goes
    back as `if_none_match` (a 304 answer is `not_modified`, with no items); `since` (X-Since) asks later for
    only what changed after this answer."""

    items: list[Assignment]
    next_cursor: str | None
    etag: str | None = None
    since: str | None = None
    not_modified: bool = False


@dataclass(frozen=True)
class SummaryPage:
    """One page of `GET /v1/assignments/summaries`: the list lines, with the same headers as AssignmentPage."""

    items: list[AssignmentSummary]
    next_cursor: str | None
    etag: str | None = None
    since: str | None = None
    not_modified: bool = False


def _paged(page_type: Any, item_type: Any) -> Callable[[httpx.Response], Any]:
    def parse(response: httpx.Response) -> Any:
        unchanged = response.status_code == 304
        return page_type(
            [] if unchanged else parse_response(list[item_type], response.content),
            response.headers.get("X-Next-Cursor"),
            etag=response.headers.get("ETag"),
            since=response.headers.get("X-Since"),
            not_modified=unchanged,
        )

    return parse


_PAGES = {AssignmentPage: _paged(AssignmentPage, Assignment), SummaryPage: _paged(SummaryPage, AssignmentSummary)}


def _query(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]  # a repeated parameter (?status=a&status=b)
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _jsonable(value: Any) -> Any:
    """Models as their JSON form (unset optionals left out); dicts are sent as they are — the server validates."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


A = "/v1/assignments/{assignment_id}"
ENDPOINTS: tuple[Endpoint, ...] = (
    # name                method  path                        response                request       (positional)
    Endpoint("health", "GET", "/v1/health", dict[str, Any], doc="Liveness and version."),
    Endpoint("me", "GET", "/v1/me", Me, doc="Who this token is."),
    Endpoint("rate_card", "GET", "/v1/rate-card", RateCard),
    Endpoint("list_assignments", "GET", "/v1/assignments", list[Assignment], doc="The caller's assignments."),
    Endpoint(
        "assignments_page",
        "GET",
        "/v1/assignments",
        AssignmentPage,
        query=("limit", "cursor", "from_", "to", "status", "since"),
        headers=("if_none_match",),
        doc="One page, by visit start: from_/to bound the start, status may be a list; follow next_cursor; "
        "since: only what changed after an earlier page's `since`; if_none_match: its etag (304: not_modified).",
    ),
    Endpoint(
        "assignment_summaries",
        "GET",
        "/v1/assignments/summaries",
        SummaryPage,
        query=("limit", "cursor", "from_", "to", "status", "since"),
        headers=("if_none_match",),
        doc="The list screen's lines (id, version, status, title, sites...), paged and filtered as assignments_page.",
    ),
    Endpoint("get_assignment", "GET", A, Assignment),
    Endpoint("create_assignment", "POST", "/v1/assignments", Assignment, ServiceRequest, doc="Dispatcher only."),
    Endpoint("propose", "POST", A + "/propose", Assignment, ProposeIn, "engineer_ids"),
    Endpoint("approve", "POST", A + "/approve", Assignment, ApproveIn, "approved_by"),
    Endpoint("cancel", "POST", A + "/cancel", Assignment, CancelIn, "reason"),
    Endpoint("close_assignment", "POST", A + "/close", Assignment, doc="Dispatcher: close a signed-off visit."),
    Endpoint(
        "review_overtime",
        "POST",
        A + "/overtime-review",
        Assignment,
        OvertimeReviewIn,
        "accept",
        doc="Desk: bill (accept) or drop the overtime held above the review threshold.",
    ),
    Endpoint("bill", "GET", A + "/bill", BillOut),
    # Safe to retry: the server stores each event once by its id and answers repeats as duplicates.
    Endpoint("send_events", "POST", "/v1/events/batch", EventBatchResult, EventBatch, "events", idempotent=True),
    Endpoint("events", "GET", A + "/events", list[RecordedEvent]),
    Endpoint("badge", "GET", A + "/badge", Badge, query=("engineer_id",), doc="engineer_id: the dispatcher's pick."),
    Endpoint("engineer_photo", "GET", "/v1/engineers/{engineer_id}/photo", bytes),
    Endpoint("report", "GET", A + "/report", ServiceReport),
    Endpoint("report_pdf", "GET", A + "/report.pdf", bytes),
    Endpoint("signature_png", "GET", A + "/signature.png", bytes, doc="The client's signature as drawn."),
    Endpoint("document", "GET", A + "/documents/{document_id}", bytes, doc="A document uploaded with the request."),
    Endpoint("notifications", "GET", A + "/notifications", list[Notification]),
    Endpoint("add_engineer", "POST", "/v1/engineers", EngineerCreated, EngineerIn),
    Endpoint("list_engineers", "GET", "/v1/engineers", list[Engineer]),
    Endpoint("rotate_token", "POST", "/v1/engineers/{engineer_id}/token", EngineerCreated, doc="The old is refused."),
    Endpoint(
        "redeem_pairing_code",
        "POST",
        "/v1/pairing",
        EngineerCreated,
        PairingIn,
        "code",
        doc="No token needed: the desk's one-time code gives a new phone its token; the old phone's stops.",
    ),
    Endpoint("travel_attachment", "GET", A + "/travel/{booking_id}/attachment", bytes, doc="A booking's PDF."),
    Endpoint("add_company", "POST", "/v1/clients", Company, CompanyIn, doc="Dispatcher: a client company."),
    Endpoint("list_companies", "GET", "/v1/clients", list[Company]),
    Endpoint("get_company", "GET", "/v1/clients/{company_id}", Company),
    Endpoint("update_company", "PUT", "/v1/clients/{company_id}", Company, CompanyIn, idempotent=True),
    Endpoint("list_people", "GET", "/v1/clients/{company_id}/people", list[Person]),
    Endpoint("add_person", "POST", "/v1/clients/{company_id}/people", Person, PersonIn, doc="Signs in by link."),
)


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    json: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    idempotent: bool = False
    conditional: bool = False  # sent with If-None-Match: a 304 is an answer, not an error

    def request(self, client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        return client.build_request(
            self.method, self.path, json=self.json, params=self.params or None, headers=self.headers or None
        )


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
        if response.is_success or (call.conditional and response.status_code == 304):
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
    """Blocking client; one method per row of `ENDPOINTS`. `close()` closes the HTTP connections."""

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
        self.close()

    def close(self) -> None:
        """Close this client's connections (an assignment is closed with `close_assignment`)."""
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


class AsyncDispatchClient:
    """The async twin, for the app's background sync: the same methods, awaitable. `aclose()` closes it."""

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
        """Close this client's connections (an assignment is closed with `close_assignment`)."""
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


def _signature(ep: Endpoint) -> inspect.Signature:
    P = inspect.Parameter
    params = [P("self", P.POSITIONAL_ONLY)]
    params += [P(name, P.POSITIONAL_OR_KEYWORD, annotation=str) for name in ep.path_params]
    if ep.request is not None:
        if ep.positional:
            params.append(P(ep.positional, P.POSITIONAL_OR_KEYWORD, default=None))
            params += [P(f, P.KEYWORD_ONLY, default=None) for f in ep.request.model_fields if f != ep.positional]
        else:
            params.append(P("body", P.POSITIONAL_OR_KEYWORD, annotation=ep.request, default=None))
    params += [P(name, P.KEYWORD_ONLY, default=None) for name in (*ep.query, *ep.headers)]
    return inspect.Signature(params, return_annotation=ep.response)


def _twins(ep: Endpoint) -> tuple[Callable[..., Any], Callable[..., Any]]:
    def sync_method(self: DispatchClient, *args: Any, **fields: Any) -> Any:
        return self.call(ep.call(*args, **fields))

    async def async_method(self: AsyncDispatchClient, *args: Any, **fields: Any) -> Any:
        return await self.call(ep.call(*args, **fields))

    for method in (sync_method, async_method):
        method.__name__ = method.__qualname__ = ep.name
        method.__doc__ = f"{ep.method} {ep.path}" + (f" — {ep.doc}" if ep.doc else "")
        method.__signature__ = _signature(ep)  # type: ignore[attr-defined]
    return sync_method, async_method


for _ep in ENDPOINTS:
    _sync, _async = _twins(_ep)
    setattr(DispatchClient, _ep.name, _sync)
    setattr(AsyncDispatchClient, _ep.name, _async)
