"""Base classes for wire models, and the one place responses are parsed.

Requests are strict about unknown fields (a typo in an import file should be reported, not dropped).
Responses tolerate them so a phone one release behind the server keeps working: `parse_response` ignores
unknown fields at every depth — also inside a strict model a response carries (`Assignment.request` is the
`ServiceRequest` as it was imported). Everything that reads a response or a cached copy of one goes through it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

T = TypeVar("T")

# What every database we run on can store and every device can show: PostgreSQL refuses NUL in text, UTF-8
# cannot encode a lone surrogate, and a date near year 1 or 9999 overflows when converted to UTC.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_unstorable(v) for v in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    return False


def _in_service_range(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise PydanticCustomError(
            "instant_out_of_range",
            "must be a real moment between {earliest} and {latest} (UTC); check the date and the device clock",
            {"earliest": EARLIEST.date().isoformat(), "latest": LATEST.date().isoformat()},
        )
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_in_service_range)]
"""An aware timestamp that every store and clock can hold (2000-01-01 to 2100-01-01 UTC)."""


class RequestModel(BaseModel):
    # No NaN/Infinity anywhere in what we accept: JSON cannot carry it back out and PostgreSQL refuses it.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    # Fields whose content is validated later, item by item (a batch's raw events): a bad item must be refused on
    # its own, not take the whole request down with it.
    unchecked_text_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name not in cls.unchecked_text_fields and _unstorable(value):
            raise PydanticCustomError(
                "unstorable_text", "must not contain NUL characters or unpaired surrogates (invalid Unicode)"
            )
        return value


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

    def __bool__(self) -> bool:
        return bool(self._errors)

    def raise_with(self, found: ValidationError) -> None:
        """Raise these violations together with errors already found (e.g. fields that did not parse)."""
        earlier = [
            InitErrorDetails(
                type=PydanticCustomError(e["type"], "{message}", {"message": e["msg"]}), loc=e["loc"], input=e["input"]
            )
            for e in found.errors()
        ]
        raise ValidationError.from_exception_data(self._title, [*earlier, *self._errors])

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError.from_exception_data(self._title, self._errors)
