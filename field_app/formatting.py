"""How times, durations and money read on screen: the contract's one set of formatters (`api_client.texts`),
re-exported so screens import them from one place in the app."""

from __future__ import annotations

from api_client.texts import duration, hours, money, site_date, site_datetime, site_time

__all__ = ["duration", "hours", "money", "site_date", "site_datetime", "site_time"]
