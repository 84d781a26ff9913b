from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from api_client.clock import Clock
from tests.clock import clock

try:  # the service tests need the `server` extra; pure rule tests do not
    import uvicorn

    from dispatch.app import create_app
    from dispatch.settings import Settings
    from dispatch.store import Store
except ImportError:  # pragma: no cover
    uvicorn = None  # type: ignore[assignment]

DISPATCHER_TOKEN = "test-dispatcher-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveService:
    url: str
    settings: Settings
    store: Store
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_service(
    db_path: Path,
    port: int | None = None,
    database_url: str | None = None,
    clock: Clock = clock,
    **settings: object,
) -> LiveService:
    """The real dispatch app, served by uvicorn on 127.0.0.1 in a background thread (SQLite at db_path unless
    a database URL is given)."""
    port = port or free_port()
    config = Settings(
        database_url=database_url or f"sqlite:///{db_path}",
        dispatcher_token=DISPATCHER_TOKEN,
        public_base_url=f"http://127.0.0.1:{port}",
        **settings,
    )
    app = create_app(config, clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("dispatch service did not start")
        time.sleep(0.02)
    return LiveService(f"http://127.0.0.1:{port}", config, app.state.store, server, thread)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[LiveService]:
    live = start_service(tmp_path / "dispatch.sqlite3", mail_spool_dir=tmp_path / "mail")
    yield live
    live.stop()
