"""The two languages of the contract, and in which order a document shows them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")


def reading_order(languages: Iterable[str]) -> list[Language]:
    """The languages a document is written in: the client's, Japanese first when they asked for both."""
    wanted = set(languages)
    ordered: list[Language] = [lang for lang in ("ja", "en") if lang in wanted]
    return ordered or ["en"]
