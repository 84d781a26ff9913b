"""`field-demo`: the README's run command. Starts the dispatch service with demo data, and the app against it.

    field-demo [--web] [--port 8550] [--data-dir DIR] [--lang en|ja] [--service-port 8787]

Lives outside both packages because it is the one place that joins them: `field_app` never imports `dispatch`
(the phone bundle has no server), and `dispatch` does not know the app. Needs the `server` extra.

The app's first frame does not wait for the service: this process binds the service's port (so its URL is known
and a request waits in the socket's backlog instead of being refused) and hands the socket to a child process
(`field_demo.service`) that imports the service, seeds it on first use and serves. The app starts at once,
importing none of the service's stack.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SERVICE_PORT = 8787  # stable across runs, so a device signed in last time finds the service again


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
    """The demo dispatch service, in its own process, serving a socket bound here."""

    url: str
    process: subprocess.Popen[bytes]

    @classmethod
    def start(cls, data_dir: Path, port: int = DEFAULT_SERVICE_PORT) -> DemoService:
        sock = bind_service_port(port)
        host, bound = sock.getsockname()[:2]
        cmd = [sys.executable, "-m", "field_demo.service", "--data-dir", str(data_dir), "--parent", str(os.getpid())]
        with sock:  # the child holds its own copy: if it dies, the port closes and a request is refused, not hung
            if os.name == "nt":  # no descriptor passing: the child binds the port itself, a moment later
                sock.close()
                process = subprocess.Popen([*cmd, "--port", str(bound)])
            else:
                process = subprocess.Popen([*cmd, "--fd", str(sock.fileno())], pass_fds=[sock.fileno()])
        return cls(f"http://{host}:{bound}", process)

    def stop(self, timeout: float = 10) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    from dispatch.demo_accounts import DEMO_TOKENS, DISPATCHER_DEMO_TOKEN
    from field_app.main import config_from, serve

    args, _ = _parser().parse_known_args(argv)
    config = config_from(args)
    service = DemoService.start(config.data_dir, args.service_port)
    print(f"Demo dispatch service: {service.url} (dispatcher token {DISPATCHER_DEMO_TOKEN})")
    print("Demo engineer tokens: " + ", ".join(DEMO_TOKENS.values()))
    sys.stdout.flush()
    try:
        return serve(config_from(args, server_url=service.url, demo_tokens=tuple(DEMO_TOKENS.values())), args)
    finally:
        service.stop()
