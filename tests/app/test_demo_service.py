"""field-demo's service in its own process: its URL is known before it has started, a request sent at once waits
for it (and finds the demo engineers: it seeds before it answers), and it stops with the app's process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from api_client import DispatchClient
from dispatch.demo_accounts import DEMO_TOKENS
from field_demo import DemoService


def test_a_request_sent_before_the_service_is_up_waits_for_it_and_finds_the_demo(tmp_path):
    service = DemoService.start(tmp_path, port=0)
    try:
        with DispatchClient(service.url, DEMO_TOKENS["sato"], timeout=60.0, max_retries=0) as client:
            me = client.me()  # sent at once: waits in the socket's backlog while the child imports and seeds
        assert me.engineer is not None and me.engineer.name == "Kenji Sato"
        assert (tmp_path / "dispatch-demo.sqlite3").exists()
    finally:
        service.stop()
    assert service.process.returncode is not None


@pytest.mark.skipif(os.name == "nt", reason="POSIX process groups")
def test_the_service_stops_when_the_apps_process_is_killed(tmp_path):
    # A stand-in for the app's process: starts the demo service, prints its pid, then is killed without warning.
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from field_demo import DemoService\n"
        f"s = DemoService.start(Path({str(tmp_path)!r}), port=0)\n"
        "print(s.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the demo service outlived the app's process")
