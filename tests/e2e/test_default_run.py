"""The README's app command on a fresh machine: field-demo starts a seeded demo service and the app against it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import start_web_app

pytestmark = pytest.mark.e2e


def test_app_starts_with_embedded_demo_service(tmp_path, screen):
    proc, url = start_web_app(tmp_path, server_url=None)
    try:
        screen.open(url)
        screen.wait_for("Demo tokens: demo-sato-2026")
        screen.type_into("Engineer token", "demo-tanaka-2026")
        screen.tap("Sign in")
        # The demo service starts in its own process while the app is already up (the first frame does not wait
        # for it): on a busy machine this first sign-in waits for it in the socket's backlog.
        screen.wait_for("Patch panel labelling, 3F IDF", timeout=60_000)
        screen.shot("embedded-list")
        assert (tmp_path / "dispatch-demo.sqlite3").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
