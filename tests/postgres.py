"""A throwaway PostgreSQL 15 cluster on 127.0.0.1 for the storage and fault tests (initdb + postgres, run as
the `postgres` user when the tests run as root, since initdb refuses root). Skips where the server binaries
or psycopg are missing; `scripts/setup.sh` installs both."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Cluster:
    def __init__(self, port: int) -> None:
        self.port = port

    def new_database(self) -> str:
        """A fresh, empty database on the cluster: its SQLAlchemy URL."""
        import psycopg

        name = f"field_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def postgres_cluster() -> Iterator[Cluster]:
    initdb = shutil.which("initdb") or str(PG_BIN / "initdb")
    server = shutil.which("postgres") or str(PG_BIN / "postgres")
    if not (Path(initdb).exists() and Path(server).exists()):
        pytest.skip("no PostgreSQL server binaries on this machine")
    pytest.importorskip("psycopg")
    import psycopg

    # Its own directory under /tmp: pytest's temp root is private to the (root) test user.
    home = Path(tempfile.mkdtemp(prefix="field-pg-"))
    data = home / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
        shutil.chown(data, "postgres", "postgres")
    subprocess.run(
        _as_postgres([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    proc = subprocess.Popen(
        _as_postgres([server, "-D", str(data), "-p", str(port), "-h", "127.0.0.1", "-k", str(data)]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", connect_timeout=2):
                    break
            except psycopg.OperationalError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        yield Cluster(port)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(home, ignore_errors=True)
