"""The embedded default dispatch service: the README's one command shows a working app on a fresh machine.

Desktop and web only (the mobile bundle excludes dispatch/): it needs the `server` extra.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EmbeddedService:
    url: str
    demo_tokens: tuple[str, ...]
    dispatcher_token: str


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def start_embedded(data_dir: Path, host: str = "127.0.0.1", port: int = 8787) -> EmbeddedService:
    try:
        import uvicorn

        from dispatch.app import create_app
        from dispatch.demo import DEMO_TOKENS, DISPATCHER_DEMO_TOKEN, seed
        from dispatch.settings import Settings
    except ImportError as exc:
        raise SystemExit(
            "The embedded dispatch service needs the server extra (uv sync --extra server), "
            "or point the app at a service with --server URL."
        ) from exc

    if not _port_free(host, port):
        with socket.socket() as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    db = data_dir / "dispatch-demo.sqlite3"
    fresh = not db.exists()
    settings = Settings(
        database_url=f"sqlite:///{db}",
        dispatcher_token=DISPATCHER_DEMO_TOKEN,
        public_base_url=f"http://{host}:{port}",
        mail_spool_dir=data_dir / "mail",
    )
    app = create_app(settings)
    if fresh:
        seed(app.state.store)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, name="embedded-dispatch", daemon=True).start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("The embedded dispatch service did not start")
        time.sleep(0.05)
    return EmbeddedService(f"http://{host}:{port}", tuple(DEMO_TOKENS.values()), DISPATCHER_DEMO_TOKEN)
