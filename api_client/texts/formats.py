"""How times, durations and money read, in the site's local time and the reader's language.

Month and weekday names, date order, currency symbols, digits and grouping come from Babel's CLDR data, not
from tables of our own. The zone is always printed: a time without its zone is ambiguous on a multi-site job.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from babel.numbers import format_currency

from .language import Language

# English readers get day-month-year ("Tue 24 Nov 2026"): unambiguous wherever the client sits.
_LOCALE = {"en": "en_GB", "ja": "ja_JP"}
# Money in English uses CLDR's "en" (¥24,000, $1,234.50); en_GB would print JP¥ and US$.
_MONEY_LOCALE = {"en": "en", "ja": "ja_JP"}


def _local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def _zone(local: datetime, tz: str) -> str:
    return local.tzname() or tz


def site_date(moment: datetime, tz: str, lang: Language, *, year: bool = True) -> str:
    """'Tue 24 Nov 2026' / '2026年11月24日(火)' on the site's calendar."""
    local = _local(moment, tz)
    return format_skeleton("yMMMEd" if year else "MMMEd", local, locale=_LOCALE[lang]).replace(",", "")


def site_datetime(moment: datetime, tz: str, lang: Language, *, year: bool = False) -> str:
    """'Tue 24 Nov 14:00 JST' / '11月24日(火) 14:00 JST' — always the site's clock, with its zone."""
    local = _local(moment, tz)
    return f"{site_date(moment, tz, lang, year=year)} {local:%H:%M} {_zone(local, tz)}"


def site_time(moment: datetime, tz: str) -> str:
    """'14:00 JST' — the time of day on the site's clock."""
    local = _local(moment, tz)
    return f"{local:%H:%M} {_zone(local, tz)}"


def duration(span: timedelta, lang: Language) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    h, m = divmod(minutes, 60)
    return f"{h}時間{m:02d}分" if lang == "ja" else f"{h} h {m:02d} min"


def money(amount: Decimal, currency: str, lang: Language) -> str:
    """'￥24,000' / '¥24,000' / '$1,234.50' / 'CHF1,234.50': CLDR's symbol, digits and grouping for the
    currency in the reader's locale."""
    return format_currency(amount, currency, locale=_MONEY_LOCALE[lang])


def hours(value: Decimal) -> str:
    """2 -> '2', 2.50 -> '2.5'."""
    return f"{value.normalize():f}"
