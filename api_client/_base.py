"""Base classes for wire models, and the one place responses are parsed.

Requests are strict about unknown fields (a typo in an import file should be reported, not dropped).
Responses tolerate them so a phone one release behind the server keeps working: `parse_response` ignores
unknown fields at every depth — also inside a strict model a response carries (`Assignment.request` is the
`ServiceRequest` as it was imported). Everything that reads a response or a cached copy of one goes through it.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

T = TypeVar("T")


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponseModel(BaseModel):
    """A model the service sends. Parse it with `parse_response` (tolerant at every depth)."""


@cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def parse_response(tp: type[T] | Any, data: str | bytes) -> T:
    """JSON from the service (or the device's cached copy of it) as `tp`, ignoring fields this release does not
    know — at every depth, overriding the strictness of request models nested in a response."""
    return _adapter(tp).validate_json(data, extra="ignore")


class RuleViolations:
    """Collects located rule violations from a cross-field check and raises them together,
    so an import file's author sees every problem in one pass."""

    def __init__(self, title: str) -> None:
        self._title = title
        self._errors: list[InitErrorDetails] = []

    def add(self, loc: tuple[str | int, ...], rule: str, message: str, value: object = None) -> None:
        self._errors.append(InitErrorDetails(type=PydanticCustomError(rule, message), loc=loc, input=value))

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError.from_exception_data(self._title, self._errors)
