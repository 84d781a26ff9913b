"""`field-app`: the engineer's app. Desktop window where the Flet client can run, web mode otherwise.

field-app                      embedded demo dispatch service + the app (web on a machine with no display)
field-app --web --port 8550    serve the web app on 127.0.0.1:8550
field-app --server URL         use a real dispatch service
"""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import flet as ft

from .device_store import DeviceStore
from .i18n import Language, device_language, language_from_locale
from .state import AppState
from .token_vault import SecureStorageVault
from .views.app import App
from .views.theme import apply_theme

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@dataclass(frozen=True)
class AppConfig:
    data_dir: Path
    server_url: str = ""
    demo_tokens: tuple[str, ...] = ()
    language: Language | None = None


def packaged() -> bool:
    """Running inside a built app (Android, iOS, desktop bundle): Flet provides the storage folder."""
    return bool(os.environ.get("FLET_APP_STORAGE_DATA"))


def data_dir(explicit: str | None) -> Path:
    # On a phone Flet provides the app's private storage folder.
    return Path(explicit or os.environ.get("FLET_APP_STORAGE_DATA") or "var/app").resolve()


async def device_store(page: ft.Page, config: AppConfig) -> DeviceStore:
    """One store per device. In web mode the 'device' is the browser: its id lives in its local storage."""
    if not page.web:
        return DeviceStore(config.data_dir / "device.sqlite3")
    prefs = ft.SharedPreferences()
    device_id = await prefs.get("field.device_id")
    if not isinstance(device_id, str) or not device_id:
        device_id = uuid.uuid4().hex
        await prefs.set("field.device_id", device_id)
    return DeviceStore(config.data_dir / f"device-{device_id[:32]}.sqlite3")


def page_main(config: AppConfig):  # noqa: ANN201 — returns Flet's page handler
    async def run(page: ft.Page) -> None:
        apply_theme(page)
        store = await device_store(page, config)
        mobile = page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS) and not page.web
        state = AppState(store=store, server_url=config.server_url, vault=SecureStorageVault() if mobile else None)
        has_saved_language = store.get("language") is not None
        state.language = device_language()
        await state.restore()
        if config.language:
            state.set_language(config.language)
        if not state.server_url:
            state.server_url = config.server_url

        def on_locale_change(e: ft.LocaleChangeEvent) -> None:
            if not has_saved_language and e.locales:
                state.language = language_from_locale(e.locales[0].language_code)

        def on_disconnect(_: ft.Event[ft.Page]) -> None:
            state.stop_sync()
            store.close()

        page.on_locale_change = on_locale_change
        # The network came back (or changed): deliver the outbox now rather than at the next back-off tick.
        ft.Connectivity(on_change=lambda _: state.request_sync())
        page.on_close = on_disconnect
        if state.signed_in:
            state.start_sync()
        page.render_views(App, state, config.demo_tokens)

    return run


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="field-app", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--web", action="store_true", help="serve the web app instead of opening a window")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8550)
    p.add_argument("--server", help="dispatch service URL, or FIELD_SERVER_URL (default: the embedded demo service)")
    p.add_argument("--data-dir", help="where the device store lives (default: var/app)")
    p.add_argument("--lang", choices=["en", "ja"], help="interface language (default: the device's)")
    args, _ = p.parse_known_args(argv)  # `flet run` may pass its own arguments through

    folder = data_dir(args.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    server = args.server or os.environ.get("FIELD_SERVER_URL", "")
    config = AppConfig(data_dir=folder, server_url=server, language=args.lang)
    if not server and not packaged():  # a phone has no embedded service: the engineer signs in to a real one
        from .embedded import start_embedded

        service = start_embedded(folder)
        config = AppConfig(data_dir=folder, server_url=service.url, demo_tokens=service.demo_tokens, language=args.lang)
        print(f"Embedded dispatch service: {service.url} (dispatcher token {service.dispatcher_token})")
        print("Demo engineer tokens: " + ", ".join(service.demo_tokens))

    web = args.web or (not os.environ.get("DISPLAY") and os.name != "nt" and not _is_macos())
    if web:
        os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")  # serve only; do not try to open a browser
        print(f"eCorpOne Field (web): http://{args.host}:{args.port}/", flush=True)
    ft.run(
        page_main(config),
        view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP,
        host=args.host,
        port=args.port,
        assets_dir=str(ASSETS),
        no_cdn=True,
    )
    return 0


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"


if __name__ == "__main__":
    raise SystemExit(main())
