"""Base classes for wire models.

Requests are strict about unknown fields (a typo in an import file should be reported, not dropped);
responses tolerate them so a phone one release behind the server keeps working.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
