"""A TCP proxy on 127.0.0.1 that loses responses: the request reaches the real service and is committed, and
the answer never reaches the device (the connection is cut instead). Seeded, so a run can be replayed."""

from __future__ import annotations

import random
import socket
import threading
from contextlib import suppress


class LossyProxy:
    def __init__(self, upstream_port: int, *, lose: float, seed: int, path: bytes = b"/v1/events/batch") -> None:
        self.upstream_port = upstream_port
        self.lose = lose
        self.path = path
        self.lost = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._stopped = True
        with suppress(OSError):
            self._server.close()

    def _decide(self) -> bool:
        with self._lock:
            losing = self._rng.random() < self.lose
            self.lost += losing
            return losing

    def _accept(self) -> None:
        while not self._stopped:
            try:
                down, _ = self._server.accept()
            except OSError:
                return
            up = socket.create_connection(("127.0.0.1", self.upstream_port))
            doomed = threading.Event()
            threading.Thread(target=self._requests, args=(down, up, doomed), daemon=True).start()
            threading.Thread(target=self._responses, args=(up, down, doomed), daemon=True).start()

    def _requests(self, down: socket.socket, up: socket.socket, doomed: threading.Event) -> None:
        with suppress(OSError):
            while data := down.recv(65536):
                if data.startswith(b"POST " + self.path) and self._decide():
                    doomed.set()  # this request goes through; its answer will not come back
                up.sendall(data)
        with suppress(OSError):
            up.shutdown(socket.SHUT_WR)

    def _responses(self, up: socket.socket, down: socket.socket, doomed: threading.Event) -> None:
        with suppress(OSError):
            while data := up.recv(65536):
                if doomed.is_set():
                    break
                down.sendall(data)
        for s in (down, up):  # shutdown, not just close: it wakes the other pump and sends the FIN now
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with suppress(OSError):
                s.close()
