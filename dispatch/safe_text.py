"""Text that can always leave the service: into JSON, a database, a log line."""

from __future__ import annotations

import re

_UNENCODABLE = re.compile("[\x00\ud800-\udfff]")


def printable(text: str) -> str:
    """Replace what UTF-8 or PostgreSQL cannot carry (lone surrogates, NUL) with a visible escape, so that an
    error message quoting a hostile input can still be answered and stored."""
    return _UNENCODABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
