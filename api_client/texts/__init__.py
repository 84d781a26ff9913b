"""Every text a person reads, in English and Japanese, from one catalog keyed by the contract's codes.

    text("status.arrived", "ja")                 -> "到着"
    text("arrival.too_far", "en", distance=420)  -> "NOT verified: 420 m from the site"
    refusal("confirmation_missing", "en", steps="2. Backup")  -> the detailed sentence when values are given
    money(Decimal(24000), "JPY", "ja")           -> "￥24,000" (Babel/CLDR: symbol, digits and grouping per locale)
    site_datetime(t, "Asia/Tokyo", "ja")         -> "2026年11月24日(火) 14:00 JST" (always the site's clock)

The app, the mails, the service report and the public pages all read from here, so a word is translated once
and the phone and the paper agree. `tests/unit/test_texts.py` enumerates every code of the contract's enums
and every refusal the rules can raise, and fails when one has no text or a key lacks a language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import Decimal

from .catalog import CATALOG
from .formats import duration, hours, money, site_date, site_datetime, site_time
from .language import LANGUAGES, Language, reading_order

__all__ = [
    "CATALOG",
    "LANGUAGES",
    "Language",
    "bill_line",
    "bill_note",
    "bill_notes",
    "duration",
    "has_text",
    "hours",
    "money",
    "person_name",
    "rate_card_label",
    "reading_order",
    "refusal",
    "site_date",
    "site_datetime",
    "site_time",
    "text",
]

_INDEX = {lang: i for i, lang in enumerate(LANGUAGES)}


def has_text(key: str) -> bool:
    return key in CATALOG


def text(key: str, lang: Language, **values: object) -> str:
    """The text for `key` in `lang`, formatted with `values`. An unknown key raises KeyError: every caller
    names its keys from the contract's codes, and the catalog test enumerates those."""
    template = CATALOG[key][_INDEX[lang]]
    return template.format(**values) if values else template


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def refusal(code: str, lang: Language, **values: object) -> str:
    """Why the rules refused an event. With `values`, the detailed sentence (`refused.<code>.detail`) when the
    catalog has one; otherwise the general sentence, which never needs values (the app shows it by code alone).
    A code the catalog does not know yet (a newer server) reads as the code itself, never a crash."""
    detail = f"refused.{code}.detail"
    if values and detail in CATALOG:
        return text(detail, lang, **values)
    key = f"refused.{code}"
    return text(key, lang) if key in CATALOG else code


def bill_line(
    code: str,
    lang: Language,
    *,
    skill: str,
    engineer_count: int,
    charged_hours: Decimal,
    overtime_minutes: int = 0,
    overtime_billed_minutes: int = 0,
) -> str:
    """A bill line in the reader's language from its structured fields (`code` is BillLine.code;
    `unable_to_enter` is the reserved line of a visit that ended as unable to enter)."""
    team = text("bill.team", lang, n=engineer_count) if engineer_count > 1 else ""
    if code in ("reserved", "unable"):
        return text(f"bill.{code}", lang, skill=text(f"skill.{skill}", lang), hours=hours(charged_hours), team=team)
    if code == "overtime":
        return text("bill.overtime", lang, over=overtime_minutes, billed=overtime_billed_minutes, team=team)
    return text(f"bill.{code}", lang)


def bill_note(code: str, values: Mapping[str, object], lang: Language) -> str:
    """One of the bill's notes (`BillNote`) in the reader's language; a code this release does not know (a newer
    server) reads as the code."""
    key = f"bill.note.{code}"
    return text(key, lang, **values) if key in CATALOG else code


def bill_notes(bill: object, lang: Language) -> list[str]:
    """A bill's notes (`Bill` or `BillOut`) in the reader's language; a bill stored by an earlier release has
    only its English notes, shown as they are."""
    codes = getattr(bill, "note_codes", None) or []
    if codes:
        return [bill_note(n.code, n.values, lang) for n in codes]
    return list(getattr(bill, "notes", []))


def rate_card_label(label: str, lang: Language) -> str:
    """A rate card's label: the contract's own words as written, the built-in EXAMPLE card's in the reader's
    language (it must read as "not a contract" in every language)."""
    return text("rate_card.example_label", lang) if label == text("rate_card.example_label", "en") else label


def person_name(name: str, name_ja: str, lang: Language) -> str:
    """A person's name as the reader knows it: the registered Japanese name for a Japanese reader."""
    return name_ja if lang == "ja" and name_ja.strip() else name
