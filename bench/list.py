"""The engineer's list under load: `GET` of one engineer's assignment list with many stored, against a bare
Starlette endpoint that returns the same bytes, measured in the same run.

    uv run python bench/list.py [--stored 100000 10000] [--engineers 200] [--seconds 6] [--path summaries]

The database is seeded directly (bulk SQL through the tables, no HTTP): `--stored` assignments spread over two
years of visit starts, one engineer each, round robin over `--engineers`. The service runs in its own process
(uvicorn, SQLite in a temp dir, access log off); so does the bare endpoint. The load comes from this process,
a small HTTP/1.1 keep-alive client on asyncio (loopback only, bounded in time):
- closed loop: `--connections` (50) connections, each an engineer asking for their list again as soon as the
  answer is in, for `--seconds`: requests per second, the service's against the bare endpoint's (the ratio);
- open loop: requests paced at `--rate` (200) per second for `--seconds`, latency from the planned send time
  (so a stall counts fully): p50 / p99.
`--path full` measures the older full representation (`GET /v1/assignments`), the "before" of bench/README.md;
`--conditional` asks as a phone re-syncing does, with the ETag of its last answer (304 when unchanged);
`--writes N` commits N times a second to the database while the service is measured (see `Writer`).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DISPATCHER_TOKEN = "bench-dispatcher-token-0123456789"
PATHS = {
    "summaries": "/v1/assignments/summaries",  # the compact list (what the list screen shows)
    "full": "/v1/assignments",  # every assignment in full
    "health": "/v1/health",  # no auth, no database: this service's floor for a sync route, for comparison
}
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
OK = {200, 304}


def token_of(n: int) -> str:
    return f"bench-engineer-{n:04d}-token"


# -- seeding ------------------------------------------------------------------------------------
def seed(url: str, stored: int, engineers: int) -> None:
    """`stored` assignments over `engineers`, written with bulk inserts (seconds, not minutes)."""
    from sqlalchemy import insert

    from api_client.request import ServiceRequest
    from api_client.rules.lifecycle import Status, VisitState
    from dispatch import db

    summary_of = None
    try:  # the compact list's stored summary (absent before the read path was built)
        from api_client.summary import request_summary

        def summary_of(request: ServiceRequest) -> dict[str, object]:
            return request_summary(request).model_dump(mode="json")
    except ImportError:
        pass

    engine = db.make_engine(url)
    db.create_schema(engine)
    base = ServiceRequest.model_validate_json((ROOT / "examples/service-request.json").read_text())
    base_json = base.model_dump(mode="json")
    eng_rows = [
        {
            "id": f"ENG-B{n:04d}",
            "name": f"Bench Engineer {n}",
            "name_ja": "",
            "company": "eCorpOne",
            "skill_level": "senior",
            "phone": "+81 90-1234-5678",
            "email": f"b{n}@example.com",
            "photo": None,
            "languages": ["en", "ja"],
            "token_sha256": hashlib.sha256(token_of(n).encode()).hexdigest(),
            "created_at": NOW,
        }
        for n in range(engineers)
    ]
    span = timedelta(days=730)
    first = NOW - span / 2
    rows, team = [], []
    for i in range(stored):
        eng = f"ENG-B{i % engineers:04d}"
        start = first + span * i / stored
        status = Status.closed if start < NOW - timedelta(days=1) else Status.approved
        state = VisitState(
            status=status,
            engineer_ids=[eng],
            approved_at=start - timedelta(days=2),
            approved_by="Daniel Brooks",
        ).model_dump(mode="json", exclude={"log"})
        title = f"{base.title} #{i}"
        request = {**base_json, "title": title, "visit_start": start.isoformat()}
        row = {
            "id": f"ASG-{i:08X}",
            "request": request,
            "state": state,
            "status": status.value,
            "expedited": False,
            "visit_start": start,
            "requested_at": start - timedelta(days=9),
            "created_at": start - timedelta(days=9),
            "updated_at": start - timedelta(days=2),
            "version": 3,
        }
        if summary_of is not None:
            row["summary"] = summary_of(base.model_copy(update={"title": title, "visit_start": start}))
        rows.append(row)
        team.append({"assignment_id": row["id"], "engineer_id": eng})
        if "visit_start" in db.TeamRow.__table__.c:  # the engineer's list index (after the read path was built)
            team[-1]["visit_start"] = start
    with engine.begin() as conn:
        conn.execute(insert(db.EngineerRow), eng_rows)
        for n in range(0, stored, 5000):
            conn.execute(insert(db.AssignmentRow.__table__), rows[n : n + 5000])
            conn.execute(insert(db.TeamRow.__table__), team[n : n + 5000])
    engine.dispose()


# -- the two servers, each in its own process -----------------------------------------------------
def _bound() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _run(app: object, sock: socket.socket) -> None:
    import uvicorn

    print(f"PORT {sock.getsockname()[1]}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))  # type: ignore[arg-type]
    server.run(sockets=[sock])


def serve_app(url: str, workdir: str) -> None:
    from api_client.clock import FixedClock
    from dispatch.app import create_app
    from dispatch.settings import Settings

    settings = Settings(
        database_url=url,
        dispatcher_token=DISPATCHER_TOKEN,
        mail_spool_dir=Path(workdir) / "mail",
        badge_key_file=Path(workdir) / "badge-keys",
    )
    sock = _bound()
    _run(create_app(settings, clock=FixedClock(NOW)), sock)


def serve_bare(body_file: str) -> None:
    """Starlette, no routing beyond one path, no auth, no database: the floor for these bytes and headers."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    saved = json.loads(Path(body_file).read_text())
    body = bytes.fromhex(saved["body"])
    headers = saved["headers"]

    async def endpoint(request: object) -> Response:
        return Response(body, status_code=saved["status"], headers=headers)

    sock = _bound()
    _run(Starlette(routes=[Route(saved["path"], endpoint)]), sock)


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start(*args: str) -> Server:
    proc = subprocess.Popen([sys.executable, __file__, "_serve", *args], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    for line in proc.stdout:  # the service may say something first (a badge key created)
        if line.startswith("PORT "):
            port = int(line.split()[1])
            for _ in range(200):  # bound before uvicorn listens: wait until it accepts
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    return Server(proc, port)
                except OSError:
                    time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"the {args[0]} server did not start")


# -- a small HTTP/1.1 load generator -------------------------------------------------------------
def request_bytes(path: str, token: str, etag: str | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {token}", "Accept-Encoding: gzip"]
    if etag:
        lines.append(f"If-None-Match: {etag}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, dict[str, str], bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", ""):
        raise RuntimeError("chunked answers are not expected here")
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers, body


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    bad: int = 0
    bytes: int = 0


async def closed_loop(port: int, requests: list[bytes], seconds: float, warmup: float = 1.0) -> tuple[float, Tally]:
    tally = Tally()
    t_start = time.perf_counter() + warmup
    t_end = t_start + seconds

    async def worker(request: bytes) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while (now := time.perf_counter()) < t_end:
            status, _, body = await exchange(reader, writer, request)
            done = time.perf_counter()
            if now >= t_start:
                tally.latencies.append(done - now)
                tally.bytes += len(body)
                tally.bad += status not in OK
        writer.close()

    await asyncio.gather(*(worker(r) for r in requests))
    return len(tally.latencies) / seconds, tally


async def open_loop(port: int, requests: list[bytes], rate: float, seconds: float) -> Tally:
    tally = Tally()
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    opened: list[asyncio.StreamWriter] = []

    async def one(planned: float, request: bytes) -> None:
        conn = idle.pop() if idle else await asyncio.open_connection("127.0.0.1", port)
        if conn[1] not in opened:
            opened.append(conn[1])
        status, _, body = await exchange(*conn, request)
        tally.latencies.append(time.perf_counter() - planned)
        tally.bad += status not in OK
        tally.bytes += len(body)
        idle.append(conn)

    tasks = []
    t0 = time.perf_counter() + 0.2
    for i in range(int(rate * seconds)):
        planned = t0 + i / rate
        if (wait := planned - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(planned, requests[i % len(requests)])))
    _, late = await asyncio.wait(tasks, timeout=10)  # bounded: what is not answered by then counts as never
    for task in late:
        task.cancel()
    tally.latencies += [float("inf")] * len(late)
    tally.bad += len(late)
    for w in opened:
        w.close()
    return tally


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


# -- one measured size ----------------------------------------------------------------------------
def measure(stored: int, args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-list-") as tmp:
        url = f"sqlite:///{tmp}/dispatch.sqlite3"
        t = time.perf_counter()
        seed(url, stored, args.engineers)
        print(f"[{stored:,} stored] seeded in {time.perf_counter() - t:.1f} s", flush=True)
        path = PATHS[args.path] + (f"?{args.query}" if args.query else "")
        app = start("app", url, tmp)
        try:
            requests = [request_bytes(path, token_of(n)) for n in range(args.connections)]
            if args.conditional:  # each phone asks again with the ETag it was given: the 304 path
                tags = [asyncio.run(_once(app.port, r))[1]["etag"] for r in requests]
                requests = [request_bytes(path, token_of(n), tags[n]) for n in range(args.connections)]
            status, headers, body = asyncio.run(_once(app.port, requests[0]))
            assert status in OK, (status, body[:300])
            keep = {
                k: v for k, v in headers.items() if k in {"content-type", "content-encoding", "etag", "x-next-cursor"}
            }
            saved = Path(tmp) / "body.json"
            saved.write_text(
                json.dumps({"path": PATHS[args.path], "body": body.hex(), "headers": keep, "status": status})
            )
            print(f"  answer: {len(body):,} bytes on the wire, headers {sorted(keep)}", flush=True)
            bare = start("bare", str(saved))
            try:
                figures: dict[str, float] = {"bytes": len(body)}
                for run in range(args.runs):  # interleaved, so drift on a shared machine hits both
                    with Writer(Path(tmp) / "dispatch.sqlite3", args.writes):
                        rps_app, t_app = asyncio.run(closed_loop(app.port, requests, args.seconds))
                    rps_bare, t_bare = asyncio.run(closed_loop(bare.port, requests, args.seconds))
                    assert t_app.bad == 0 and t_bare.bad == 0, (t_app.bad, t_bare.bad)
                    figures.setdefault("app_rps", []).append(rps_app)  # type: ignore[union-attr]
                    figures.setdefault("bare_rps", []).append(rps_bare)  # type: ignore[union-attr]
                    print(
                        f"  closed loop run {run + 1}: service {rps_app:,.0f} req/s (p50 "
                        f"{pct(t_app.latencies, 0.5):.1f} ms), bare {rps_bare:,.0f} req/s → "
                        f"{rps_app / rps_bare:.0%}",
                        flush=True,
                    )
                with Writer(Path(tmp) / "dispatch.sqlite3", args.writes):
                    paced = asyncio.run(open_loop(app.port, requests, args.rate, args.seconds))
                paced_bare = asyncio.run(open_loop(bare.port, requests, args.rate, args.seconds))
            finally:
                bare.stop()
        finally:
            app.stop()
    app_rps = statistics.median(figures.pop("app_rps"))  # type: ignore[arg-type]
    bare_rps = statistics.median(figures.pop("bare_rps"))  # type: ignore[arg-type]
    result = {
        "stored": stored,
        "bytes": figures["bytes"],
        "app_rps": app_rps,
        "bare_rps": bare_rps,
        "ratio": app_rps / bare_rps,
        "p50": pct(paced.latencies, 0.5),
        "p99": pct(paced.latencies, 0.99),
        "bare_p99": pct(paced_bare.latencies, 0.99),
        "unanswered": paced.bad,
    }
    print(
        f"[{stored:,} stored] closed loop, {args.connections} connections: service {app_rps:,.0f} req/s, "
        f"bare {bare_rps:,.0f} req/s, ratio {result['ratio']:.0%}; open loop at {args.rate:.0f} req/s: "
        f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms (bare p99 {result['bare_p99']:.1f} ms)"
        + (f", {paced.bad} of {len(paced.latencies)} not answered (200) within 10 s of the end" if paced.bad else ""),
        flush=True,
    )
    return result


class Writer:
    """`--writes` commits a second to the service's database while it is measured (another instance, a crew
    syncing): each moves SQLite's data version, so the list's fast lane sends the next requests down the ordinary
    path — the lane's worst case, since no line changes and every engineer's answer is dropped."""

    def __init__(self, db_file: Path, per_second: float) -> None:
        self.db_file, self.per_second = db_file, per_second
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        conn = sqlite3.connect(self.db_file, isolation_level=None, timeout=30)
        ids = [row[0] for row in conn.execute("SELECT id FROM assignments LIMIT 1000")]
        n = 0
        while not self._stop.wait(1 / self.per_second):
            conn.execute("UPDATE assignments SET updated_at = updated_at WHERE id = ?", (ids[n % len(ids)],))
            n += 1
        conn.close()

    def __enter__(self) -> Writer:
        if self.per_second > 0:
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


async def _once(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await exchange(reader, writer, request)
    finally:
        writer.close()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_serve":
        {"app": serve_app, "bare": serve_bare}[sys.argv[2]](*sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stored", type=int, nargs="+", default=[100_000, 10_000])
    parser.add_argument("--engineers", type=int, default=200)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--runs", type=int, default=3, help="closed-loop runs, interleaved with the bare endpoint")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--path", choices=sorted(PATHS), default="summaries")
    parser.add_argument("--query", default="", help="query string of the list request, e.g. limit=50")
    parser.add_argument("--conditional", action="store_true", help="ask with If-None-Match (304 answers)")
    parser.add_argument("--writes", type=float, default=0.0, help="commits per second to the database meanwhile")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, path {PATHS[args.path]}?{args.query}")
    for stored in args.stored:
        measure(stored, args)


if __name__ == "__main__":
    main()
