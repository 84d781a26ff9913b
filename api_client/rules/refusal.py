"""A rule's refusal: the only final "no" the service gives an event."""

from __future__ import annotations

from ..texts import refusal


class Refused(Exception):
    """The rules forbid this event now. `code` is stable for programs; `message` is for people: by default the
    catalog's English sentence for the code (the detailed one when `values` are given); the app shows the
    reader's language by code (`api_client.texts`)."""

    def __init__(self, code: str, message: str | None = None, **values: object) -> None:
        message = refusal(code, "en", **values) if message is None else message
        super().__init__(message)
        self.code = code
        self.message = message
