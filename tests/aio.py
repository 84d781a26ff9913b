"""Run a coroutine to completion from a test, whatever the thread's state.

Playwright's sync API keeps an event loop running on the main thread while a browser fixture is open, so a
plain `asyncio.run` in a test that happens to run after a browser test fails ("cannot be called from a running
event loop"). A fresh thread has no loop: run there.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coro))
        except BaseException as e:  # re-raised in the test's thread
            error.append(e)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]
