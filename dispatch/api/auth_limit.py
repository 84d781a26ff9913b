"""A rate limit on failed authentication, per client address: after `max_failures` bad tokens within
`window_s` seconds, that address gets 429 with Retry-After — without its token being checked — until the
oldest failure leaves the window. A good token never counts. Memory is bounded: at most `max_clients`
addresses are tracked (the least recently seen are forgotten first).

Behind a reverse proxy every caller has the proxy's address: run uvicorn with --proxy-headers and
--forwarded-allow-ips so the client's own address is used.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class FailedAuthLimiter:
    def __init__(
        self,
        max_failures: int = 10,
        window_s: float = 60.0,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self.max_clients = max_clients
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()  # sync routes run in a thread pool

    def retry_after(self, client: str) -> int | None:
        """Seconds this client must wait, or None if it may try a token now."""
        with self._lock:
            times = self._failures.get(client)
            if times is None:
                return None
            now = self._clock()
            while times and times[0] <= now - self.window_s:
                times.popleft()
            if len(times) < self.max_failures:
                return None
            return max(1, math.ceil(times[0] + self.window_s - now))

    def failed(self, client: str) -> None:
        with self._lock:
            times = self._failures.pop(client, None) or deque(maxlen=self.max_failures)
            times.append(self._clock())
            self._failures[client] = times  # most recently seen last
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)
