"""Errors raised by the dispatch client.

    DispatchError
    ├── TransportError                 the request did not get an HTTP answer
    │   ├── ConnectError               no route, refused, DNS — typical with no signal
    │   └── RequestTimeout             connected, but no answer in time
    └── APIStatusError                 the service answered with 4xx/5xx; carries status and parsed body
        ├── AuthenticationError        401  token missing, unknown or rotated
        ├── PermissionDeniedError      403  role may not do this (a dispatcher's action)
        ├── NotFoundError              404  (also: another engineer's assignment)
        ├── ConflictError              409  the lifecycle rules refuse a dispatcher's transition now (propose,
        │                                   approve, cancel, close); `field_errors[0].rule` is the refusal code
        ├── UnprocessableEntityError   422  `field_errors` name each field and its rule
        ├── RateLimitError             429
        └── ServerError                5xx  (503 + Retry-After: busy, nothing recorded; retried when safe)
    Any other status (405, 413, ...) is a plain APIStatusError.

An engineer's events are never refused by HTTP status: a batch is answered 200 with a result per event
(`applied` / `duplicate` / `rejected` + reason code — also `idempotency_conflict` for an event id repeated with
a different body — or `retry` / `error`, which leave the event on the device), so one refused event never
blocks the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path, e.g. "locations.0.local_contacts"
    rule: str  # machine-readable rule id, e.g. "local_contact_required"
    message: str  # the sentence to show a person

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class DispatchError(Exception):
    """Base of everything this client raises."""


class TransportError(DispatchError):
    pass


class ConnectError(TransportError):
    pass


class RequestTimeout(TransportError):
    pass


class APIStatusError(DispatchError):
    status_code: int = 0

    def __init__(self, status_code: int, body: Any, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.field_errors: list[FieldError] = [
            FieldError(e.get("field", ""), e.get("rule", ""), e.get("message", ""))
            for e in (body.get("errors", []) if isinstance(body, dict) else [])
            if isinstance(e, dict)
        ]


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class ServerError(APIStatusError):
    pass


_BY_STATUS: dict[int, type[APIStatusError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(status_code: int, body: Any) -> APIStatusError:
    cls = _BY_STATUS.get(status_code, ServerError if status_code >= 500 else APIStatusError)
    detail = body.get("message") if isinstance(body, dict) else None
    message = f"HTTP {status_code}: {detail or body!r}"
    err = cls(status_code, body, message)
    if err.field_errors:
        err.args = (message + "\n" + "\n".join(f"  - {fe}" for fe in err.field_errors),)
    return err
