"""`field-demo`: the README's run command. Starts the dispatch service with demo data, and the app against it.

    field-demo [--web] [--port 8550] [--data-dir DIR] [--lang en|ja] [--service-port 8787]

Lives outside both packages because it is the one place that joins them: `field_app` never imports `dispatch`
(the phone bundle has no server), and `dispatch` does not know the app. Needs the `server` extra.

The app's first frame does not wait for the service: this process binds the service's port (so its URL is known
and a request waits in the socket's backlog instead of being refused) and hands the socket to a child process
(`field_demo.service`) that imports the service, seeds it on first use and serves. The app starts at once,
importing none of the service's stack; the child is started once the app has sent its first screen (or after
SPAWN_AFTER seconds), so the two do not compete for the cores while the app starts.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SERVICE_PORT = 8787  # stable across runs, so a device signed in last time finds the service again
SPAWN_AFTER = 10.0  # seconds: the service starts then at the latest, for the desk and portal pages without the app


def _parser() -> argparse.ArgumentParser:
    from field_app.main import parser

    p = parser(server_option=False)  # the demo brings its own service
    p.prog = "field-demo"
    p.description = __doc__
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument(
        "--service-port",
        type=int,
        default=DEFAULT_SERVICE_PORT,
        help=f"port of the demo dispatch service (default {DEFAULT_SERVICE_PORT}; any free one if taken; 0: any)",
    )
    return p


def bind_service_port(port: int = DEFAULT_SERVICE_PORT, host: str = "127.0.0.1") -> socket.socket:
    """A listening socket for the demo service: `port`, or any free one if it is taken (another copy running)."""
    for candidate in dict.fromkeys((port, 0)):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, candidate))
        except OSError:
            sock.close()
            if candidate == 0:
                raise
            continue
        sock.listen(128)
        return sock
    raise AssertionError("unreachable")


@dataclass
class DemoService:
    """The demo dispatch service, in its own process, serving a socket bound here.

    `bind` binds the port (the URL is known, requests wait in the backlog); `spawn` starts the process. field-demo
    spawns it once the app has drawn its first frame (or after SPAWN_AFTER seconds when no browser came), so the
    service's start does not compete with the app's and the browser's for a small machine's cores."""

    url: str
    data_dir: Path
    sock: socket.socket
    process: subprocess.Popen[bytes] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: bool = False

    @classmethod
    def bind(cls, data_dir: Path, port: int = DEFAULT_SERVICE_PORT) -> DemoService:
        sock = bind_service_port(port)
        host, bound = sock.getsockname()[:2]
        return cls(f"http://{host}:{bound}", data_dir, sock)

    @classmethod
    def start(cls, data_dir: Path, port: int = DEFAULT_SERVICE_PORT) -> DemoService:
        service = cls.bind(data_dir, port)
        service.spawn()
        return service

    def spawn(self) -> None:
        """Start the service's process (once; later calls do nothing)."""
        with self._lock:
            if self.process is not None or self._stopped:
                return
            cmd = [sys.executable, "-m", "field_demo.service", "--data-dir", str(self.data_dir)]
            cmd += ["--parent", str(os.getpid())]
            with self.sock:  # the child holds its own copy: if it dies, the port closes and requests are refused
                if os.name == "nt":  # no descriptor passing: the child binds the port itself, a moment later
                    port = self.sock.getsockname()[1]
                    self.sock.close()
                    self.process = subprocess.Popen([*cmd, "--port", str(port)])
                else:
                    fd = self.sock.fileno()
                    self.process = subprocess.Popen([*cmd, "--fd", str(fd)], pass_fds=[fd])

    def spawn_later(self, seconds: float) -> None:
        timer = threading.Timer(seconds, self.spawn)
        timer.daemon = True
        timer.start()

    def stop(self, timeout: float = 10) -> None:
        with self._lock:
            self._stopped, process = True, self.process
        self.sock.close()
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    from dispatch.demo_accounts import DEMO_TOKENS, DISPATCHER_DEMO_TOKEN
    from field_app.main import config_from, serve

    args, _ = _parser().parse_known_args(argv)
    config = config_from(args)
    service = DemoService.bind(config.data_dir, args.service_port)
    service.spawn_later(SPAWN_AFTER)
    print(f"Demo dispatch service: {service.url} (dispatcher token {DISPATCHER_DEMO_TOKEN})")
    print("Demo engineer tokens: " + ", ".join(DEMO_TOKENS.values()))
    sys.stdout.flush()
    tokens = tuple(DEMO_TOKENS.values())
    app = config_from(args, server_url=service.url, demo_tokens=tokens, after_first_frame=service.spawn)
    try:
        return serve(app, args)
    finally:
        service.stop()
