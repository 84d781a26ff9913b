"""A real SMTP server's inbox on 127.0.0.1 (aiosmtpd calls `handle_DATA`), shared by the mail tests."""

from __future__ import annotations

import email
import email.header
import time
from email.message import Message


def subject(m: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(m["Subject"])))


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def wait(self, count: int, timeout: float = 15) -> list[Message]:
        """At least `count` mails, within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, [subject(m) for m in self.messages]
        return self.messages

    def wait_for(self, subject_part: str, timeout: float = 10) -> Message:
        """The first mail whose subject contains `subject_part`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for m in self.messages:
                if subject_part in subject(m):
                    return m
            time.sleep(0.05)
        raise AssertionError(f"no mail with {subject_part!r}; got {[subject(m) for m in self.messages]}")
