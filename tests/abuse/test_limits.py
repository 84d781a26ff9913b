"""Limits enforced before the work: body size (before parsing and before authentication, with the server's
memory measured), failed-auth rate limit, batch and signature caps, pagination, bounded caches."""

from __future__ import annotations

import base64
import os
import select
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from api_client import DispatchClient
from api_client.errors import UnprocessableEntityError
from api_client.events import (
    MAX_BATCH_ATTACHMENT_CHARS,
    MAX_BATCH_EVENTS,
    MAX_SIGNATURE_POINTS,
    MAX_STROKE_POINTS,
    SignOffEvent,
)
from dispatch import store as store_module
from dispatch.api.auth_limit import FailedAuthLimiter
from dispatch.report import signature_png
from tests.abuse.conftest import Crew, visit_now
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, free_port, start_service

LIMIT = 16_000_000  # the default max_body_bytes
MB = 1_000_000


# -- body size, measured on a real server process ------------------------------------------------------------
@pytest.fixture(scope="module")
def server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    data = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        **os.environ,
        "FIELD_DISPATCH_DISPATCHER_TOKEN": DISPATCHER_TOKEN,
        "FIELD_DISPATCH_MAIL_SPOOL_DIR": str(data),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "dispatch.cli", "serve", "--db", str(data / "d.sqlite3"), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "serve did not start")
        time.sleep(0.1)
    yield proc.pid, port
    proc.terminate()
    proc.wait(timeout=10)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def _stream(port: int, total: int, token: str | None, declare: bool) -> tuple[int, int]:
    """Send a body of `total` bytes (declared, or chunked without a length) until the server answers; return
    (status, bytes sent before the answer)."""
    head = [b"POST /v1/events/batch HTTP/1.1", b"Host: 127.0.0.1", b"Content-Type: application/json"]
    if token:
        head.append(f"Authorization: Bearer {token}".encode())
    head.append(f"Content-Length: {total}".encode() if declare else b"Transfer-Encoding: chunked")
    chunk = b'{"events":[' + b" " * (MB - 11)
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"\r\n".join(head) + b"\r\n\r\n")
        if declare:
            select.select([s], [], [], 5)  # a declared length is judged from the headers alone
        try:
            while sent < total:
                if select.select([s], [], [], 0)[0]:
                    break  # the server has answered
                s.sendall(chunk if declare else b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = s.recv(200)
    return int(answer.split(b" ", 2)[1]), sent


def test_oversized_bodies_get_413_before_auth_and_the_server_memory_stays_bounded(server_process):
    pid, port = server_process
    before = _peak_rss_mb(pid)
    # Declared too large: refused from the header alone, nothing read.
    assert _stream(port, 400 * MB, None, declare=True) == (413, 0)
    # No length declared (chunked), 200 MB offered, with and without a token: refused once past the limit.
    for token in (None, "not-a-token", DISPATCHER_TOKEN):
        status, sent = _stream(port, 200 * MB, token, declare=False)
        assert status == 413 and sent < 60 * MB, (token, sent)
    grown = _peak_rss_mb(pid) - before
    print(f"server peak RSS {before:.0f} MB before, grew {grown:.1f} MB over 600 MB of oversized bodies")
    assert grown < 40, f"server peak RSS grew by {grown:.0f} MB"


def test_body_limit_is_configurable_and_answers_with_the_figure(tmp_path: Path):
    live = start_service(tmp_path / "d.sqlite3", mail_spool_dir=tmp_path / "mail", max_body_bytes=2000)
    try:
        big = httpx.post(
            f"{live.url}/v1/assignments", content=b"x" * 3000, headers={"Content-Type": "application/json"}
        )
        assert big.status_code == 413 and "2000 bytes" in big.json()["message"]
        assert big.json()["errors"][0]["rule"] == "body_too_large"
        small = httpx.post(f"{live.url}/v1/assignments", json={})
        assert small.status_code == 401  # under the limit: on to authentication
    finally:
        live.stop()


# -- failed authentication ---------------------------------------------------------------------------------
def test_bad_tokens_are_rate_limited_per_address_with_retry_after(service):
    answers = [httpx.get(f"{service.url}/v1/me", headers={"Authorization": f"Bearer guess-{i}"}) for i in range(12)]
    codes = [a.status_code for a in answers]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 60
    # Blocked callers are not even checked: the right token from that address waits too.
    assert httpx.get(f"{service.url}/v1/me", headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}).status_code == 429


def test_the_limiter_forgets_old_failures_and_bounds_its_memory():
    now = [0.0]
    limiter = FailedAuthLimiter(max_failures=3, window_s=60, max_clients=100, clock=lambda: now[0])
    for _ in range(3):
        limiter.failed("10.0.0.1")
    assert limiter.retry_after("10.0.0.1") == 60 and limiter.retry_after("10.0.0.2") is None
    now[0] = 61
    assert limiter.retry_after("10.0.0.1") is None
    for i in range(1000):
        limiter.failed(f"10.1.{i // 256}.{i % 256}")
    assert len(limiter._failures) == 100


# -- batches and signatures ---------------------------------------------------------------------------------
def test_a_batch_over_the_attachment_cap_is_refused_naming_the_rule(crew: Crew):
    photo = base64.b64encode(b"\xff" * (MAX_BATCH_ATTACHMENT_CHARS // 8 * 3 + 3)).decode()  # just over half the cap
    events = [
        {
            "id": str(uuid.uuid4()),
            "kind": "log",
            "assignment_id": crew.a_job,
            "text": "photo",
            "device_time": clock().isoformat(),
            "photo_base64": photo,
        }
        for _ in range(2)
    ]
    assert sum(len(e["photo_base64"]) for e in events) > MAX_BATCH_ATTACHMENT_CHARS
    with (
        DispatchClient(crew.service.url, crew.a_token, max_retries=0) as a,
        pytest.raises(UnprocessableEntityError) as exc,
    ):
        a.send_events(events)
    assert [e.rule for e in exc.value.field_errors] == ["batch_attachments"]


def test_a_batch_over_the_event_cap_is_refused_before_any_is_applied(crew: Crew):
    at = clock().isoformat()
    events = [
        {"id": str(uuid.uuid4()), "kind": "log", "assignment_id": crew.a_job, "text": f"n{n}", "device_time": at}
        for n in range(MAX_BATCH_EVENTS + 1)
    ]
    with DispatchClient(crew.service.url, crew.a_token, max_retries=0) as a:
        before = a.events(crew.a_job)
        with pytest.raises(UnprocessableEntityError) as exc:
            a.send_events(events)
        assert [(e.field, e.rule) for e in exc.value.field_errors] == [("events", "too_long")]
        assert a.events(crew.a_job) == before  # nothing of it was recorded
        # At the cap the batch is taken (the rules answer each event: the visit has no arrival yet).
        results = a.send_events(events[:MAX_BATCH_EVENTS]).results
        assert len(results) == MAX_BATCH_EVENTS and {r.reason_code for r in results} == {"not_on_site"}


def _strokes(points: int) -> list[list[tuple[float, float]]]:
    per = MAX_STROKE_POINTS
    return [
        [(float(i % 997), float((i * 7) % 211)) for i in range(n, min(n + per, points))] for n in range(0, points, per)
    ]


def test_a_signature_at_the_point_cap_renders_well_under_a_second():
    strokes = _strokes(MAX_SIGNATURE_POINTS)
    SignOffEvent(assignment_id="A", device_time=clock(), signer_name="S", approve_leaving=True, strokes=strokes)
    started = time.perf_counter()
    png = signature_png(strokes)
    elapsed = time.perf_counter() - started
    assert png.startswith(b"\x89PNG") and elapsed < 0.5, f"{elapsed:.2f} s"


def test_signatures_over_the_caps_are_refused_before_any_drawing():
    base = {"assignment_id": "A", "device_time": clock(), "signer_name": "S", "approve_leaving": True}
    with pytest.raises(ValidationError) as total:
        SignOffEvent(**base, strokes=_strokes(MAX_SIGNATURE_POINTS + 1))
    assert total.value.errors()[0]["type"] == "signature_points"
    with pytest.raises(ValidationError) as one_stroke:
        SignOffEvent(**base, strokes=[[(0.0, 0.0)] * (MAX_STROKE_POINTS + 1)])
    assert one_stroke.value.errors()[0]["type"] == "too_long"
    with pytest.raises(ValidationError):
        SignOffEvent(**base, strokes=[[(float("nan"), 0.0)]])


# -- lists and caches ----------------------------------------------------------------------------------------
def test_assignments_come_in_pages_with_date_and_status_filters(abuse_service):
    now = clock()
    with DispatchClient(abuse_service.url, DISPATCHER_TOKEN) as d:
        made = [d.create_assignment(visit_now(now + timedelta(days=i), title=f"job {i}")).id for i in range(5)]
        d.cancel(made[4], "not needed")
        pages, cursor = [], None
        while True:
            page = d.assignments_page(limit=2, cursor=cursor)
            pages.append([a.id for a in page.items])
            if (cursor := page.next_cursor) is None:
                break
        assert pages == [made[0:2], made[2:4], made[4:5]]
        later = d.assignments_page(from_=now + timedelta(days=2))
        assert [a.id for a in later.items] == made[2:5] and later.next_cursor is None
        assert [a.id for a in d.assignments_page(status=["cancelled"]).items] == [made[4]]
        assert len(d.list_assignments()) == 5  # the old call still works (first page, same shape)
    raw = httpx.get(
        f"{abuse_service.url}/v1/assignments",
        params={"limit": 1},
        headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"},
    )
    assert 'rel="next"' in raw.headers["link"] and "cursor=" in raw.headers["link"]
    for bad in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"limit": 10_000}, {"status": "nope"}, {"from": "yesterday"}):
        answer = httpx.get(
            f"{abuse_service.url}/v1/assignments", params=bad, headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}
        )
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"], (bad, answer.text)


def test_the_parsed_request_cache_is_bounded(abuse_service, monkeypatch):
    monkeypatch.setattr(store_module, "REQUEST_CACHE_SIZE", 3)
    with DispatchClient(abuse_service.url, DISPATCHER_TOKEN) as d:
        for i in range(6):
            d.create_assignment(visit_now(clock(), title=f"job {i}"))
        d.list_assignments()
    assert len(abuse_service.store._requests) == 3
