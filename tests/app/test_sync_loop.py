"""The sync loop's timing and the client's retry policy, each against something that really answers over
127.0.0.1 or really runs: back-off while the network is gone or entries are held, an early wake after an
action, a stop on a revoked token; retries only for idempotent calls, honouring Retry-After."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from api_client import DispatchClient
from api_client.errors import APIStatusError
from field_app.sync import SyncLoop, SyncReport
from tests.factories import request_data


class Scripted:
    """A syncer whose answers are given in advance; records when it was called (loop time)."""

    def __init__(self, reports: list[SyncReport]) -> None:
        self.reports = reports
        self.calls: list[float] = []

    async def sync_once(self) -> SyncReport:
        self.calls.append(asyncio.get_running_loop().time())
        return self.reports.pop(0) if len(self.reports) > 1 else self.reports[0]


def _run(loop: SyncLoop, seconds: float, during=None) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        task = asyncio.create_task(loop.run())
        if during is not None:
            await during()
        with contextlib.suppress(TimeoutError):  # the loop runs for ever: stop it after `seconds`
            await asyncio.wait_for(task, timeout=seconds)

    asyncio.run(main())


def test_the_loop_backs_off_exponentially_while_offline_and_resets_when_back():
    syncer = Scripted([SyncReport(online=False)] * 4 + [SyncReport(online=True)])
    loop = SyncLoop(syncer, lambda r: None, interval=10.0, max_backoff=0.5, backoff_base=0.02)  # type: ignore[arg-type]
    _run(loop, 1.0)
    gaps = [b - a for a, b in zip(syncer.calls, syncer.calls[1:], strict=False)]
    assert len(syncer.calls) == 5  # four failures, then online: the next sync waits the full interval
    assert gaps[0] < gaps[1] < gaps[2] < gaps[3]  # 0.04, 0.08, 0.16, 0.32 s
    assert gaps[3] >= 0.3


def test_held_entries_back_off_even_when_online():
    syncer = Scripted([SyncReport(online=True, held=2)])
    loop = SyncLoop(syncer, lambda r: None, interval=10.0, max_backoff=0.2, backoff_base=0.02)  # type: ignore[arg-type]
    _run(loop, 0.6)
    assert 3 <= len(syncer.calls) <= 12  # retried with growing pauses, never a tight loop


def test_an_action_wakes_the_loop_before_its_interval():
    syncer = Scripted([SyncReport(online=True)])
    loop = SyncLoop(syncer, lambda r: None, interval=30.0)  # type: ignore[arg-type]

    async def tap() -> None:
        await asyncio.sleep(0.1)
        loop.wake()

    _run(loop, 0.5, during=tap)
    assert len(syncer.calls) == 2


def test_a_revoked_token_stops_the_loop():
    syncer = Scripted([SyncReport(online=True, auth_failed=True)])
    seen: list[SyncReport] = []
    loop = SyncLoop(syncer, seen.append, interval=0.01)  # type: ignore[arg-type]
    _run(loop, 0.3)
    assert len(syncer.calls) == 1 and seen[0].auth_failed


# -- the client's retry policy, against a real HTTP server on 127.0.0.1 that fails on purpose ------------------
class Flaky(BaseHTTPRequestHandler):
    failures = 2  # answers 503 this many times per path, then 200
    seen: ClassVar[dict[str, list[float]]] = {}

    def _answer(self) -> None:
        times = self.seen.setdefault(f"{self.command} {self.path}", [])
        times.append(time.monotonic())
        if len(times) <= self.failures:
            self.send_response(503)
            self.send_header("Retry-After", "1")
            body = b'{"message": "busy", "errors": []}'
        else:
            self.send_response(200)
            body = b"[]"
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky() -> Iterator[str]:
    Flaky.seen = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_idempotent_calls_are_retried_honouring_retry_after(flaky):
    with DispatchClient(flaky, "t", max_retries=2) as c:
        assert c.list_assignments() == []
    times = Flaky.seen["GET /v1/assignments"]
    assert len(times) == 3  # two 503s, then the answer
    assert times[1] - times[0] >= 0.9 and times[2] - times[1] >= 0.9  # waited as the server asked


def test_non_idempotent_calls_are_not_retried(flaky):
    with DispatchClient(flaky, "t", max_retries=2) as c, pytest.raises(APIStatusError):
        c.create_assignment(request_data())
    assert len(Flaky.seen["POST /v1/assignments"]) == 1  # creating twice could make two assignments


class Broken(Scripted):
    """Raises on its first sync (a bug or an answer the app cannot read, not the network), then answers."""

    async def sync_once(self) -> SyncReport:
        if not self.calls:
            self.calls.append(asyncio.get_running_loop().time())
            raise KeyError("badge:ASG-1")
        return await super().sync_once()


def test_a_sync_that_raises_is_reported_logged_and_retried(caplog):
    """A background task nobody awaits must not stop in silence: the loop used to end there, the list never came."""
    syncer = Broken([SyncReport(online=True)])
    seen: list[SyncReport] = []
    loop = SyncLoop(syncer, seen.append, interval=10.0, backoff_base=0.02)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="field_app.sync"):
        _run(loop, 0.5)
    assert seen[0].failed and not seen[0].online and seen[0].error == "KeyError: 'badge:ASG-1'"
    assert seen[1] == SyncReport(online=True) and len(syncer.calls) == 2  # retried after a short back-off
    assert "sync failed" in caplog.text and "KeyError: 'badge:ASG-1'" in caplog.text  # with its traceback
