from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from api_client.clock import Clock
from tests.clock import clock

try:  # the service tests need the `server` extra; pure rule tests do not
    from dispatch.serve import Running as LiveService  # url, settings, store, server, thread, stop()
    from dispatch.serve import serve_in_thread
    from dispatch.settings import Settings
except ImportError:  # pragma: no cover
    pass

DISPATCHER_TOKEN = "test-dispatcher-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_service(
    db_path: Path,
    port: int | None = None,
    database_url: str | None = None,
    clock: Clock = clock,
    **settings: object,
) -> LiveService:
    """The real dispatch app, served by uvicorn on 127.0.0.1 in a background thread (SQLite at db_path unless
    a database URL is given). Port 0 (the default): the OS picks a free one."""
    settings.setdefault("mail_spool_dir", db_path.parent / "mail")  # never ./var/mail of the checkout
    if database_url:  # a server database needs a configured badge key, the same on every instance
        settings.setdefault("badge_secret", "test-badge-secret-0123456789abcdef")
    config = Settings(
        database_url=database_url or f"sqlite:///{db_path}",
        dispatcher_token=DISPATCHER_TOKEN,
        **settings,
    )
    return serve_in_thread(config, port=port or 0, clock=clock)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[LiveService]:
    live = start_service(tmp_path / "dispatch.sqlite3", mail_spool_dir=tmp_path / "mail")
    yield live
    live.stop()
