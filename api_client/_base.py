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
