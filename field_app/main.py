"""`field-app`: the engineer's app. Desktop window where the Flet client can run, web mode otherwise.

field-app --server URL         use a dispatch service (or FIELD_SERVER_URL; else the engineer types it in)
field-app --web --port 8550    serve the web app on 127.0.0.1:8550

The app never starts a service itself: `field-demo` (the README's run command) starts a seeded demo service
and then this app against it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import importlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import flet as ft

if TYPE_CHECKING:
    from .device_store import DeviceStore
    from .i18n import Language

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@dataclass(frozen=True)
class AppConfig:
    data_dir: Path
    server_url: str = ""
    demo_tokens: tuple[str, ...] = ()
    language: Language | None = None
    after_first_frame: Callable[[], None] | None = None  # called once the first screen has been sent (field-demo)


def data_dir(explicit: str | None) -> Path:
    # On a phone Flet provides the app's private storage folder.
    return Path(explicit or os.environ.get("FLET_APP_STORAGE_DATA") or "var/app").resolve()


async def device_store(page: ft.Page, config: AppConfig) -> DeviceStore:
    """One store per device. In web mode the 'device' is the browser: its id lives in its local storage."""
    from .device_store import DeviceStore

    if not page.web:
        return DeviceStore(config.data_dir / "device.sqlite3")
    prefs = ft.SharedPreferences()
    device_id = await prefs.get("field.device_id")
    if not isinstance(device_id, str) or not device_id:
        device_id = uuid.uuid4().hex
        await prefs.set("field.device_id", device_id)
    return DeviceStore(config.data_dir / f"device-{device_id[:32]}.sqlite3")


# The app's own modules (view state, screens, the wire models they parse): not imported before the web server
# answers, but while the browser boots the Flutter client — that is when the server process has nothing to do.
APP_MODULES = (
    "field_app.device_store",
    "field_app.i18n",
    "field_app.state",
    "field_app.token_vault",
    "field_app.views.theme",
    "field_app.views.app",
    "api_client.clock",
)
# Flet 1.0 imports most of its controls on first use (`ft.Theme`, `ft.TextField`...): the first screen's are
# imported here with the app's modules instead of on the way to the first frame (0.1–0.4 s on this machine; the
# list is `sys.modules` after the first render minus before). Optional: a Flet that moves one loses the head start.
FIRST_SCREEN_MODULES = (
    "flet.controls.theme",
    "flet.components.component",
    "flet.components.router",
    "flet.components.hooks.use_state",
    "flet.components.hooks.use_effect",
    "flet.components.hooks.use_ref",
    "flet.controls.services.shared_preferences",
    "flet.controls.services.connectivity",
    "flet.controls.core.text",
    "flet.controls.core.column",
    "flet.controls.core.row",
    "flet.controls.core.icon",
    "flet.controls.core.list_view",
    "flet.controls.material.card",
    "flet.controls.material.container",
    "flet.controls.material.icon_button",
    "flet.controls.material.icons",
    "flet.controls.material.text_button",
    "flet.controls.material.textfield",
    "flet.controls.material.list_tile",
    "flet.controls.material.expansion_tile",
    "flet.controls.material.snack_bar",
    "phonenumbers.data.region_JP",
    "tzdata",
)


def load_app_modules() -> None:
    for name in APP_MODULES:
        importlib.import_module(name)
    for name in FIRST_SCREEN_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    warm_first_screen()


def warm_first_screen() -> None:
    """Read now what the first render would otherwise read from disk: Babel's CLDR data behind the list's dates and
    money (≈40 ms on first use) and Flet's icon table (≈15 ms)."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from api_client.texts.formats import money, site_datetime

    moment = datetime(2026, 1, 1, tzinfo=UTC)  # any fixed moment: only the data behind the formats is wanted
    for lang in ("en", "ja"):
        site_datetime(moment, "Asia/Tokyo", lang)
        money(Decimal(1), "JPY", lang)
    _ = ft.Icons.LOGOUT


def preload_app_modules(web: bool, host: str, port: int, seconds: float = 60) -> None:
    """Import APP_MODULES on a background thread: in web mode once host:port accepts connections (the server is up
    and the browser is loading the client), at once otherwise. The page handler waits for whatever is left."""

    def listening() -> bool:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
            return True
        return False

    def load() -> None:
        deadline = time.monotonic() + seconds
        while web and not listening() and time.monotonic() < deadline:
            time.sleep(0.02)
        load_app_modules()

    threading.Thread(target=load, name="app-modules", daemon=True).start()


@functools.cache
def freeze_start_up() -> None:
    """What start-up made (modules, the device store's outbox and assignments) lives as long as the app: keep it
    out of the collector's full passes, or the first one walks it all during the first screens (~15 ms at 5,000
    unsent actions; bench/README.md, the phone's restart). No gc.collect(): that would walk it now. Once per
    process: a web server's later sessions are not frozen (their controls' cycles must stay collectable)."""
    gc.freeze()


def page_main(config: AppConfig):  # noqa: ANN201 — returns Flet's page handler
    async def run(page: ft.Page) -> None:
        await asyncio.to_thread(load_app_modules)  # already done, normally: see preload_app_modules
        from api_client.clock import clock_from_env

        from .i18n import device_language, language_from_locale
        from .state import AppState
        from .token_vault import SecureStorageVault
        from .views.app import App
        from .views.theme import apply_theme, load_fonts

        apply_theme(page)
        # A first frame in Japanese needs the font, one in English does not (see load_fonts). The language is
        # certain only once the store is read; the command line's or the device's says "Japanese" earlier, and
        # then the font's download starts with the store's round trip, as early as it can.
        font_first = (config.language or device_language()) == "ja"
        if font_first:
            load_fonts(page)
        store = await device_store(page, config)
        mobile = page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS) and not page.web
        state = AppState(
            store=store,
            server_url=config.server_url,
            language=device_language(),
            clock=clock_from_env(),  # FIELD_CLOCK_START pins "now" (tests, demos); the system clock otherwise
            vault=SecureStorageVault() if mobile else None,
        )
        await state.restore()
        freeze_start_up()
        if config.language:
            state.set_language(config.language)
        if state.language == "ja" and not font_first:  # chosen on this device earlier
            font_first = True
            load_fonts(page)

        def on_locale_change(e: ft.LocaleChangeEvent) -> None:
            if e.locales:
                state.use_device_language(language_from_locale(e.locales[0].language_code))

        def on_disconnect(_: ft.Event[ft.Page]) -> None:
            state.stop_sync()
            store.close()

        page.on_locale_change = on_locale_change
        # The network came back (or changed): deliver the outbox now rather than at the next back-off tick.
        ft.Connectivity(on_change=lambda _: state.request_sync())
        page.on_close = on_disconnect
        page.render_views(App, state, config.demo_tokens)  # the first frame: from the device store alone
        if config.after_first_frame is not None:
            config.after_first_frame()
        if not font_first:
            load_fonts(page)  # right behind the first frame (see load_fonts): Japanese text shows once it is in
            page.update()
        if state.signed_in:
            state.start_sync()
        warm_up()

    return run


# What later screens and actions need but the first frame does not: loaded in the background once it is shown,
# so neither the first frame nor the first tap on "Arrived" or the badge waits for them.
LATER = ("geopy.distance", "qrcode", "qrcode.image.pure")
_warmed = threading.Event()


def warm_up(delay: float = 1.0) -> None:
    """Import LATER on a background thread, `delay` seconds from now (once per process)."""
    if _warmed.is_set():
        return
    _warmed.set()

    def load() -> None:
        for name in LATER:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)

    timer = threading.Timer(delay, load)
    timer.daemon = True
    timer.start()


def parser(server_option: bool = True) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="field-app", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--web", action="store_true", help="serve the web app instead of opening a window")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8550)
    if server_option:
        p.add_argument("--server", help="dispatch service URL, or FIELD_SERVER_URL")
    p.add_argument("--data-dir", help="where the device store lives (default: var/app)")
    p.add_argument("--lang", choices=["en", "ja"], help="interface language (default: the device's)")
    return p


def config_from(
    args: argparse.Namespace,
    server_url: str = "",
    demo_tokens: tuple[str, ...] = (),
    after_first_frame: Callable[[], None] | None = None,
) -> AppConfig:
    folder = data_dir(args.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    server = server_url or getattr(args, "server", None) or os.environ.get("FIELD_SERVER_URL", "")
    return AppConfig(
        data_dir=folder,
        server_url=server,
        demo_tokens=demo_tokens,
        language=args.lang,
        after_first_frame=after_first_frame,
    )


def serve(config: AppConfig, args: argparse.Namespace) -> int:
    """Run the app until its window closes (or, in web mode, until the process is stopped)."""
    web = args.web or (not os.environ.get("DISPLAY") and os.name != "nt" and not _is_macos())
    if web:
        os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")  # serve only; do not try to open a browser
        print(f"eCorpOne Field (web): http://{args.host}:{args.port}/", flush=True)
    preload_app_modules(web, args.host, args.port)
    ft.run(
        page_main(config),
        view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP,
        host=args.host,
        port=args.port,
        assets_dir=str(ASSETS),
        no_cdn=True,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args, _ = parser().parse_known_args(argv)  # `flet run` may pass its own arguments through
    return serve(config_from(args), args)


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"


if __name__ == "__main__":
    raise SystemExit(main())
