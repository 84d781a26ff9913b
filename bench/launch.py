"""Launch: from the process start to the first screen's text visible in Chromium, against a Flet hello world
measured the same way in the same run.

    uv run --frozen python bench/launch.py [--runs 5]

- `field-demo --web` (the README's run command: the app and its embedded demo service) on a device that signed in
  before: the time until the assignment list's first title is visible;
- `field-app --web --server URL` (the app alone, its service already running elsewhere), the same;
- a Flet hello world (`ft.run` with the same options: web, no CDN), until "Hello, world" is visible: the baseline;
- the same hello world with the app's Japanese-capable font (5 MB, which the web client loads before it draws):
  the part of the gap that font accounts for.

Each run starts the process, polls its port, loads the page in a fresh browser context (Debian's chromium with
the launch args of tests/e2e/conftest.py, one browser for all runs), turns on Flutter's semantics tree and waits
for the text. Runs are interleaved (hello, hello + font, app, hello, ...); the medians and their ratios are printed.

"Shown" is taken in the page: a script added before the page loads turns on the semantics tree as soon as the
Flutter engine offers it and records, with a MutationObserver, the moment the text enters it (Flutter writes the
semantics of a frame right after laying it out and painting it). Playwright's own `wait_for` is printed too
("seen by Playwright"): it polls with growing pauses (up to 0.5 s) and from a busy page, so it adds a lag that
grows with how late and on how busy a page the text appears — it measured the hello world's text ~50 ms after it
was there and the app's list 200–500 ms after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

HELLO = textwrap.dedent(
    """
    import sys

    import flet as ft

    ASSETS, FONT = sys.argv[2], len(sys.argv) > 3  # with "font": the app's Japanese-capable font, as the app sets it


    def main(page: ft.Page) -> None:
        if FONT:
            page.fonts = {"NotoSansJP": "fonts/NotoSansJP-Regular.ttf"}
            page.theme = ft.Theme(font_family="NotoSansJP")
        page.add(ft.Text("Hello, world"))


    ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=int(sys.argv[1]), no_cdn=True, assets_dir=ASSETS)
    """
)
TITLE = "Patch panel labelling, 3F IDF"  # the first of the demo engineer Tanaka's assignments
TOKEN = "demo-tanaka-2026"


# Added to the page before it loads: semantics on at once, and the moment `window.__want` enters the tree.
WATCH = """
(() => {
  const want = window.__want;
  window.__shownAt = null;
  const look = () => {
    const placeholder = document.querySelector('flt-semantics-placeholder');
    if (placeholder && !window.__semanticsAsked) { window.__semanticsAsked = true; placeholder.click(); }
    if (window.__shownAt !== null) return;
    const host = document.querySelector('flt-semantics-host');
    if (host && (host.textContent.includes(want) || host.innerHTML.includes(want))) {
      window.__shownAt = performance.now();
    }
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""


def wait_http(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the process ended ({proc.returncode}) before {url} answered")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not come up")


class Launch:
    def __init__(self, browser: object, env: dict[str, str]) -> None:
        self.browser = browser
        self.env = env
        self.page_part = 0.0  # of the last run: from the page's navigation to the text shown (no process start)

    def run(
        self,
        cmd: list[str],
        url: str,
        text: str,
        storage: str | None = None,
        then: Callable[[object], None] | None = None,
    ) -> tuple[float, float]:
        """Seconds from starting `cmd` to `text` shown at `url`: (in the page, seen by Playwright); `then(page)` runs
        after (not timed)."""
        context = self.browser.new_context(viewport=PHONE, locale="en-US", storage_state=storage)
        page = context.new_page()
        page.add_init_script(f"window.__want = {json.dumps(text)};" + WATCH)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(url, proc)
            navigating = time.perf_counter()  # the page's performance.now() counts from (just after) here
            page.goto(url)
            page.wait_for_selector("#loading", state="detached", timeout=60_000)
            page.evaluate("document.querySelector('flt-semantics-placeholder')?.click()")  # if the script could not
            shown(page, text)
            seen = time.perf_counter() - start
            in_page = page.evaluate("window.__shownAt")
            took = navigating - start + in_page / 1000 if in_page is not None else seen
            self.page_part = in_page / 1000 if in_page is not None else seen - (navigating - start)
            if then is not None:
                then(page)
            return took, seen
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            context.close()


def shown(page: object, text: str) -> None:
    """Wait until `text` is on screen, as a text or as a control's accessible name (tests/e2e's Screen.find)."""
    escaped = text.replace('"', '\\"')
    found = page.get_by_text(text).or_(page.locator(f'[aria-label*="{escaped}"]')).first
    found.wait_for(state="visible", timeout=60_000)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(page: object) -> None:
    """The set-up run: the demo engineer signs in once, so later launches open on the list."""
    field = page.get_by_role("textbox", name="Engineer token", exact=True)
    field.or_(page.get_by_label("Engineer token", exact=True)).first.click()
    page.wait_for_function("() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)", timeout=5_000)
    time.sleep(0.15)
    page.keyboard.type(TOKEN, delay=15)
    page.get_by_role("button", name="Sign in").first.click()
    shown(page, TITLE)


def main() -> None:
    from playwright.sync_api import sync_playwright

    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--only", choices=["app", "demo"], help="measure only this one (with the hello worlds)")
    args = p.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        tmp_path = Path(tmp)
        hello = tmp_path / "hello.py"
        hello.write_text(HELLO)
        data = tmp_path / "demo"
        env = {**os.environ, "LANG": "en_US", "FLET_FORCE_WEB_SERVER": "1"}
        env.pop("DISPLAY", None)
        port, service_port = free_port(), free_port()
        url = f"http://127.0.0.1:{port}/"
        hello_cmd = [python, str(hello), str(port), str(ROOT / "assets")]
        demo = [python, "-m", "field_demo", "--web", "--port", str(port), "--data-dir", str(data)]
        demo += ["--service-port", str(service_port), "--lang", "en"]
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        launch = Launch(browser, env)
        # Set-up (not timed): a first start seeds the demo service and the engineer signs in on this "browser".
        state = tmp_path / "browser.json"

        def keep(page: object) -> None:
            sign_in(page)
            page.context.storage_state(path=str(state))

        launch.run(demo, url, "Engineer token", then=keep)
        # The app alone, against the demo's service already running in its own process (kept up for the runs).
        service = subprocess.Popen(
            [
                python,
                "-m",
                "dispatch.cli",
                "serve",
                "--db",
                str(data / "dispatch-demo.sqlite3"),
                "--port",
                str(service_port),
            ],
            cwd=ROOT,
            env={**env, "FIELD_DISPATCH_DISPATCHER_TOKEN": "bench-dispatcher-token"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_http(f"http://127.0.0.1:{service_port}/openapi.json", service)
            app = [python, "-m", "field_app.main", "--web", "--port", str(port), "--data-dir", str(data)]
            app += ["--server", f"http://127.0.0.1:{service_port}", "--lang", "en"]
            times: dict[str, list[tuple[float, float]]] = {"hello": [], "font": [], "app": [], "demo": []}

            def line(i: int, *keys: str) -> str:
                got = (f"{k} {times[k][-1][0]:.2f} s ({times[k][-1][1]:.2f})" for k in keys)
                return f"run {i + 1}: " + ", ".join(got)

            for i in range(args.runs if args.only != "demo" else 0):
                times["hello"].append(launch.run(hello_cmd, url, "Hello, world"))
                times["font"].append(launch.run([*hello_cmd, "font"], url, "Hello, world"))
                times["app"].append(launch.run(app, url, TITLE, storage=str(state)))
                print(line(i, "hello", "font", "app"), flush=True)
        finally:
            service.terminate()
            service.wait(timeout=15)
        # The README's command, its own service included (the service above is stopped: same port, same data).
        for i in range(args.runs if args.only != "app" else 0):
            times["hello"].append(launch.run(hello_cmd, url, "Hello, world"))
            times["font"].append(launch.run([*hello_cmd, "font"], url, "Hello, world"))
            times["demo"].append(launch.run(demo, url, TITLE, storage=str(state)))
            print(line(i, "hello", "font", "demo"), flush=True)
        browser.close()
    for n, how in ((0, "shown in the page"), (1, "seen by Playwright")):
        med = {k: statistics.median(t[n] for t in v) for k, v in times.items() if v}
        hello_s, font_s = med["hello"], med["font"]
        print(f"-- {how} (medians)")
        print(f"Flet hello world to its text: {hello_s:.2f} s")
        print(f"the same with the app's Japanese font: {font_s:.2f} s = {font_s / hello_s:.2f}× hello world")
        for key, what in (("demo", "field-demo --web (embedded service)"), ("app", "field-app --web --server URL")):
            if key in med:
                s = med[key]
                print(
                    f"{what} to the assignment list: {s:.2f} s = {s / hello_s:.2f}× hello world, "
                    f"{s / font_s:.2f}× hello world with the font"
                )


if __name__ == "__main__":
    main()
