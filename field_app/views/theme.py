from __future__ import annotations

import flet as ft

from api_client.rules.lifecycle import Status

FONT = "NotoSansJP"
FONT_FILE = "fonts/NotoSansJP-Regular.ttf"
BRAND = "#0B4F8A"
WIDE = 900  # px: from here on, list and detail side by side
TAP = 52  # minimum height of a primary button: one-handed, gloves, basement light

STATUS_COLOURS: dict[Status, str] = {
    Status.requested: ft.Colors.BLUE_GREY_100,
    Status.proposed: ft.Colors.BLUE_GREY_100,
    Status.approved: ft.Colors.LIGHT_BLUE_100,
    Status.en_route: ft.Colors.LIGHT_BLUE_100,
    Status.arrived: ft.Colors.AMBER_100,
    Status.working: ft.Colors.AMBER_100,
    Status.signed_off: ft.Colors.GREEN_100,
    Status.closed: ft.Colors.GREEN_100,
    Status.unable_to_enter: ft.Colors.DEEP_ORANGE_100,
    Status.cancelled: ft.Colors.GREY_300,
}


def apply_theme(page: ft.Page) -> None:
    """The theme names FONT; the font itself is registered by `load_fonts` (see there for when)."""
    page.theme = ft.Theme(font_family=FONT, color_scheme_seed=BRAND)
    page.theme_mode = ft.ThemeMode.LIGHT
    page.title = "eCorpOne Field"
    page.padding = 0


def load_fonts(page: ft.Page) -> None:
    """Register the Japanese-capable font. Web mode renders only fonts it is given: without it, Japanese shows as
    empty boxes. The web client downloads the file (5 MB) and parses it on the browser's main thread as soon as it is
    registered (Flet does not wait for it: the frame draws with the engine's Roboto, Japanese as empty boxes, and
    swaps when it is in). So the app registers it before its first frame only when that frame is in Japanese, and
    in English right after it: the list does not share the network, the app's process and the browser's main
    thread with a font its own words do not need. Japanese entered by people (a site's address) and the "日本語"
    switch show once the font is in, a moment later."""
    page.fonts = {FONT: FONT_FILE}


# A TextStyle in a ButtonStyle replaces the theme's font family: without naming the font again, Japanese
# labels on these buttons render as empty boxes in web mode.
BIG_LABEL = ft.TextStyle(size=18, font_family=FONT)
