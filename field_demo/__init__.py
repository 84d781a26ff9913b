"""`field-demo`: the README's run command. Starts the dispatch service with demo data, then the app against it.

    field-demo [--web] [--port 8550] [--data-dir DIR] [--lang en|ja] [--service-port 8787]

Lives outside both packages because it is the one place that joins them: `field_app` never imports `dispatch`
(the phone bundle has no server), and `dispatch` does not know the app. Needs the `server` extra.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_SERVICE_PORT = 8787  # stable across runs, so a device signed in last time finds the service again


def _parser() -> argparse.ArgumentParser:
    from field_app.main import parser

    p = parser(server_option=False)  # the demo brings its own service
    p.prog = "field-demo"
    p.description = __doc__
    p.add_argument(
        "--service-port",
        type=int,
        default=DEFAULT_SERVICE_PORT,
        help=f"port of the demo dispatch service (default {DEFAULT_SERVICE_PORT}; any free one if taken; 0: any)",
    )
    return p


def start_demo_service(data_dir: Path, port: int = DEFAULT_SERVICE_PORT):  # noqa: ANN201 — dispatch.serve.Running
    """The demo service on 127.0.0.1, its SQLite database in data_dir, seeded on first use."""
    try:
        from api_client.clock import clock_from_env
        from dispatch.demo import DISPATCHER_DEMO_TOKEN, seed
        from dispatch.serve import serve_in_thread
        from dispatch.settings import Settings
    except ImportError as exc:
        raise SystemExit(
            "The demo dispatch service needs the server extra (uv sync --extra server), "
            "or run field-app --server URL against a running service."
        ) from exc
    db = data_dir / "dispatch-demo.sqlite3"
    fresh = not db.exists()
    settings = Settings(
        database_url=f"sqlite:///{db}", dispatcher_token=DISPATCHER_DEMO_TOKEN, mail_spool_dir=data_dir / "mail"
    )
    clock = clock_from_env()  # FIELD_CLOCK_START pins the demo's "now" (as for field-dispatch serve)
    try:
        running = serve_in_thread(settings, port=port, clock=clock)
    except OSError:  # the usual port is taken (another copy running): any free one
        running = serve_in_thread(settings, port=0, clock=clock)
    if fresh:
        seed(running.store)
    return running


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
    print(f"Mails (sign-in links, notices) are written to {service.settings.mail_spool_dir}")


def main(argv: Sequence[str] | None = None) -> int:
    from dispatch.demo import DEMO_TOKENS, DISPATCHER_DEMO_TOKEN
    from field_app.main import config_from, serve

    args, _ = _parser().parse_known_args(argv)
    config = config_from(args)
    service = start_demo_service(config.data_dir, args.service_port)
    print(f"Demo dispatch service: {service.url} (dispatcher token {DISPATCHER_DEMO_TOKEN})")
    print("Demo engineer tokens: " + ", ".join(DEMO_TOKENS.values()))
    print_web_demo(service)
    sys.stdout.flush()
    try:
        return serve(config_from(args, server_url=service.url, demo_tokens=tuple(DEMO_TOKENS.values())), args)
    finally:
        service.stop()
