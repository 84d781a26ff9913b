"""The demo dispatch service's own process (started by `field-demo`): serve the socket the app's process bound,
seed the demo database on first use, print where to try the web pages, and stop with the app's process.

    python -m field_demo.service --data-dir DIR --parent PID (--fd N | --port N)
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from pathlib import Path


def print_web_demo(service) -> None:  # noqa: ANN001 — dispatch.serve.Running
    """Where to try the web pages: the desk's demo account, and a fresh sign-in link for the demo client (the
    demo has no mail server: sign-in mails are written to the spool folder instead)."""
    from dispatch import accounts
    from dispatch.demo import CLIENT_DEMO_EMAIL, DESK_DEMO_EMAIL, DESK_DEMO_PASSWORD

    person = accounts.person_by_email(service.store, CLIENT_DEMO_EMAIL)
    print(f"Desk: {service.url}/desk  ({DESK_DEMO_EMAIL} / {DESK_DEMO_PASSWORD})")
    if person is not None:
        token = accounts.issue_link(service.store, "sign_in", person.id, minutes=12 * 60)
        print(f"Client portal ({CLIENT_DEMO_EMAIL}): {service.url}/portal/link/{token}")
    print(f"Mails (sign-in links, notices) are written to {service.settings.mail_spool_dir}", flush=True)


def start_demo_service(data_dir: Path, sock: socket.socket | None = None, port: int = 0):  # noqa: ANN201 — Running
    """The demo service on `sock` (or 127.0.0.1:port), its SQLite database in data_dir, seeded on first use —
    before it answers, so a sign-in waiting in the backlog finds the demo engineers."""
    try:
        from api_client.clock import clock_from_env
        from dispatch.app import build_store
        from dispatch.demo import DISPATCHER_DEMO_TOKEN, seed
        from dispatch.serve import serve_in_thread
        from dispatch.settings import Settings
    except ImportError as exc:
        raise SystemExit(
            "The demo dispatch service needs the server extra (uv sync --extra server), "
            "or run field-app --server URL against a running service."
        ) from exc
    db = data_dir / "dispatch-demo.sqlite3"
    settings = Settings(
        database_url=f"sqlite:///{db}", dispatcher_token=DISPATCHER_DEMO_TOKEN, mail_spool_dir=data_dir / "mail"
    )
    clock = clock_from_env()  # FIELD_CLOCK_START pins the demo's "now" (as for field-dispatch serve)
    if not db.exists():
        store = build_store(settings, clock)
        seed(store)
        store.engine.dispose()
    return serve_in_thread(settings, port=port, clock=clock, sock=sock)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="field_demo.service")
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--parent", type=int, help="stop when this process is gone")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--fd", type=int, help="a bound, listening socket inherited from the parent")
    where.add_argument("--port", type=int, help="bind 127.0.0.1:PORT here")
    args = p.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    sock = socket.socket(fileno=args.fd) if args.fd is not None else None
    service = start_demo_service(args.data_dir, sock=sock, port=args.port or 0)
    print_web_demo(service)
    try:
        # The app's process ends -> so does its service, even when it was killed and could not say so.
        while not stop.wait(0.5):
            if args.parent is not None and os.getppid() != args.parent:
                break
    finally:
        service.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
