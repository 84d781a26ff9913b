"""`serve_in_thread(settings)`: the real service on a loopback port in a background thread.

For the tests (each builds its own service on its own database) and the demo launcher. The socket is bound
before the app is built (port 0: the OS picks a free one), so there is no probe-then-bind race, and the badge
links (`public_base_url`) name the port actually served unless the settings name another.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from api_client.clock import Clock, system_clock

from .app import create_app
from .settings import Settings
from .store import Store


@dataclass
class Running:
    url: str
    settings: Settings
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread
    sock: socket.socket

    @property
    def store(self) -> Store:
        return self.app.state.store

    def settle(self, seconds: float = 30) -> None:
        """Wait until this service's worker has done the after-event jobs (report, mails) queued so far."""
        deadline = time.monotonic() + seconds
        while self.store.jobs is not None and self.store.jobs.pending():
            if time.monotonic() > deadline:
                raise TimeoutError("after-event jobs still pending")
            time.sleep(0.05)

    def stop(self, timeout: float = 10) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=timeout)
        self.sock.close()
        if self.store.jobs is not None:
            self.store.jobs.stop()
        if self.store.live is not None:
            self.store.live.close()


def serve_in_thread(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 0,
    clock: Clock = system_clock,
    start_timeout: float = 15,
    sock: socket.socket | None = None,
) -> Running:
    """Bind, build the app on `clock` (the service's only "now"), serve, and return once it answers.

    `sock`: serve on this socket, already bound (and listening), instead of binding one — a parent process can
    bind it so that its URL is known, and connections wait in its backlog, before this service has started."""
    if sock is None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            sock.close()
            raise
    bound_host, bound_port = sock.getsockname()[:2]
    url = f"http://{bound_host}:{bound_port}"
    if "public_base_url" not in settings.model_fields_set:
        settings = settings.model_copy(update={"public_base_url": url})
    app = create_app(settings, clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"dispatch-{bound_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"The dispatch service did not start on {url}")
        time.sleep(0.02)
    return Running(url, settings, app, server, thread, sock)
