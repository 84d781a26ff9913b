"""How times, durations and money read on screen, in the site's local time and the user's language."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .i18n import Language

_WEEKDAYS = {"en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), "ja": ("月", "火", "水", "木", "金", "土", "日")}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}


def site_datetime(moment: datetime, tz: str, lang: Language) -> str:
    """'Tue 24 Nov 14:00 JST' / '11月24日(火) 14:00 JST' — always the site's clock, with its zone."""
    local = moment.astimezone(ZoneInfo(tz))
    wd = _WEEKDAYS[lang][local.weekday()]
    zone = local.tzname() or tz
    if lang == "ja":
        return f"{local.month}月{local.day}日({wd}) {local:%H:%M} {zone}"
    return f"{wd} {local.day} {_MONTHS_EN[local.month - 1]} {local:%H:%M} {zone}"


def site_time(moment: datetime, tz: str) -> str:
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%H:%M} {local.tzname() or tz}"


def duration(span: timedelta, lang: Language) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    h, m = divmod(minutes, 60)
    return f"{h}時間{m:02d}分" if lang == "ja" else f"{h} h {m:02d} min"


def money(amount: Decimal, currency: str, minor_units: int = 0) -> str:
    text = f"{amount:,.{minor_units}f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def hours(value: Decimal) -> str:
    """2 -> '2', 2.50 -> '2.5'."""
    return f"{value.normalize():f}"
