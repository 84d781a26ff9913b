"""Base classes for wire models.

Requests are strict about unknown fields (a typo in an import file should be reported, not dropped);
responses tolerate them so a phone one release behind the server keeps working.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

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

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        if _unstorable(value):
            raise PydanticCustomError(
                "unstorable_text", "must not contain NUL characters or unpaired surrogates (invalid Unicode)"
            )
        return value


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="allow")


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
