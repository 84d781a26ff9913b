"""The suite's one clock. No test reads the wall clock: the services, the demo, the app and the factories all
take "now" from here, pinned to FIELD_TEST_NOW (an ISO instant with offset) or to the default below, and then
running at real speed so that waits and timeouts behave. `scripts/run-tests-across-day.sh` runs the app and
browser tests at four instants across a Tokyo day to show that the suite does not depend on the time of day.
"""

from __future__ import annotations

import os
from datetime import datetime

from api_client.clock import RunningClock

DEFAULT_NOW = "2026-12-03T10:00:00+09:00"
TEST_NOW = datetime.fromisoformat(os.environ.get("FIELD_TEST_NOW") or DEFAULT_NOW)
clock = RunningClock(TEST_NOW)
