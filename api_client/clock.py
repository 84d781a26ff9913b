"""The one source of "now" for the service, the demo seed and the app.

Production uses `system_clock`. Tests pin time with `FixedClock` (or `RunningClock`, which starts at a chosen
instant and then runs at real speed, for a whole app under a browser), so that no test depends on the time of
day it happens to run at. `clock_from_env()` lets a launched process (the app, the service) take a pinned
start from `FIELD_CLOCK_START=2026-12-03T05:00:00+09:00`; without it the clock is the system's.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
CLOCK_START_ENV = "FIELD_CLOCK_START"


def system_clock() -> datetime:
    return datetime.now(UTC)


class FixedClock:
    """Time stands still until a test moves it."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._at

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._at += delta
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = at.astimezone(UTC)


class RunningClock:
    """Starts at `start` and runs at the speed of the machine's monotonic clock."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("RunningClock needs an aware datetime")
        self._start = start.astimezone(UTC)
        self._t0 = time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


def clock_from_env(environ: dict[str, str] | None = None) -> Clock:
    raw = (environ if environ is not None else os.environ).get(CLOCK_START_ENV, "").strip()
    if not raw:
        return system_clock
    start = datetime.fromisoformat(raw)
    if start.tzinfo is None:
        raise ValueError(f"{CLOCK_START_ENV} must carry a UTC offset, e.g. 2026-12-03T05:00:00+09:00")
    return RunningClock(start)
