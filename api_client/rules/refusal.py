"""A rule's refusal: the only final "no" the service gives an event."""

from __future__ import annotations


class Refused(Exception):
    """The rules forbid this event now. `code` is stable for programs; `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
