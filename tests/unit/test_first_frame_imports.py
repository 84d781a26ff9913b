"""The app's first frame waits for nothing it does not show: starting the app (alone, or as field-demo's app side)
imports no HTTP client, no part of the service and no library only a later screen needs. Those load after the
first frame (the sync task, field_app.main.LATER) or in the demo service's own process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_BEFORE_THE_FIRST_FRAME = (
    "httpx",  # the sync task imports it off the UI thread
    "geopy",  # arrival check: LATER
    "qrcode",  # badge: LATER
    "PIL",
    "sqlalchemy",  # the service: its own process
    "fpdf",
    "budoux",
    "uvicorn.server",
    "dispatch.store",
    "dispatch.app",
)


def loaded_by(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    banned = NOT_BEFORE_THE_FIRST_FRAME
    return sorted(m for m in modules if m.split(".")[0] in banned or m in banned)


def test_the_app_and_the_demo_launcher_import_only_what_the_first_screen_needs():
    modules = loaded_by("import field_app.main, field_demo, dispatch.demo_accounts, field_app.views.app")
    assert "flet" in modules and "api_client.wire" in modules  # the check sees real imports
    assert heavy(modules) == []


def test_the_later_modules_are_really_later():
    """The list of what is loaded after the first frame is real: each of them is importable."""
    from field_app.main import LATER

    modules = loaded_by("import " + ", ".join(LATER))
    assert heavy(modules)  # they are the heavy ones


def test_the_preload_warms_the_first_screen_without_anything_heavy():
    """What the app loads while the browser boots (APP_MODULES, the first screen's Flet controls, the CLDR data)
    is still nothing the first frame can do without."""
    modules = loaded_by("from field_app.main import load_app_modules\nload_app_modules()")
    assert "flet.controls.theme" in modules and "babel.dates" in modules
    assert heavy(modules) == []


def test_the_first_screen_modules_exist():
    """FIRST_SCREEN_MODULES names modules that are there: a Flet that moves one shows up here, not as a slower
    start that nobody notices."""
    from field_app.main import FIRST_SCREEN_MODULES

    modules = loaded_by("import " + ", ".join(FIRST_SCREEN_MODULES))
    assert set(FIRST_SCREEN_MODULES) <= modules
