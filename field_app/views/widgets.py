"""Small building blocks shared by the screens."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from api_client.rules.lifecycle import Status

from ..formatting import site_time
from ..i18n import Translator
from ..state import AppState
from .theme import STATUS_COLOURS, TAP


def section(title: str, icon: ft.IconData, controls: list[ft.Control], key: str | None = None) -> ft.Control:
    return ft.Card(
        key=key,
        margin=ft.Margin.symmetric(vertical=6),
        content=ft.Container(
            padding=ft.Padding.all(16),
            content=ft.Column(
                spacing=8,
                controls=[
                    ft.Row(
                        [
                            ft.Icon(icon, size=20, color=ft.Colors.PRIMARY),
                            ft.Text(title, size=16, weight=ft.FontWeight.BOLD),
                        ],
                        spacing=8,
                    ),
                    *controls,
                ],
            ),
        ),
    )


def icon_line(
    icon: ft.IconData, colour: str, text: str, *, text_colour: str | None = None, bold: bool = False
) -> ft.Control:
    """A status line: a coloured icon and a sentence that wraps (approval, devices, arrival check)."""
    return ft.Row(
        [
            ft.Icon(icon, color=colour, size=18),
            ft.Text(text, size=13, expand=True, color=text_colour, weight=ft.FontWeight.BOLD if bold else None),
        ],
        spacing=6,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def status_chip(status: Status, t: Translator) -> ft.Control:
    return ft.Container(
        content=ft.Text(t(f"status.{status.value}"), size=12, weight=ft.FontWeight.W_600),
        bgcolor=STATUS_COLOURS[status],
        padding=ft.Padding.symmetric(horizontal=10, vertical=4),
        border_radius=12,
    )


def urgency_badge(urgency: int, expedited: bool, t: Translator) -> ft.Control | None:
    if urgency >= 4:
        return ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.WARNING_AMBER_ROUNDED, color=ft.Colors.WHITE, size=16),
                    ft.Text(t("urgency.4"), color=ft.Colors.WHITE, size=12, weight=ft.FontWeight.BOLD),
                ],
                spacing=4,
                tight=True,
            ),
            bgcolor=ft.Colors.RED_700,
            padding=ft.Padding.symmetric(horizontal=10, vertical=4),
            border_radius=12,
        )
    if expedited:
        return ft.Container(
            content=ft.Text(t("expedited"), size=12, color=ft.Colors.RED_900),
            bgcolor=ft.Colors.RED_50,
            padding=ft.Padding.symmetric(horizontal=10, vertical=4),
            border_radius=12,
        )
    return None


def link_button(label: str, icon: ft.IconData, url: str, primary: bool = False) -> ft.Control:
    style = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=12))
    cls = ft.FilledButton if primary else ft.OutlinedButton
    return cls(content=label, icon=icon, url=url, style=style, height=TAP - 8)


@ft.component
def SyncBar(state: AppState) -> ft.Control:
    """Online / offline / N waiting — the engineer always knows whether what they did has reached the office."""
    t = state.t
    if state.online is None:
        icon, colour, text = ft.Icons.CLOUD_SYNC, ft.Colors.BLUE_GREY_600, t("sync.unknown")
    elif state.online:
        icon, colour, text = ft.Icons.CLOUD_DONE, ft.Colors.GREEN_700, t("sync.online")
    else:
        icon, colour, text = ft.Icons.CLOUD_OFF, ft.Colors.DEEP_ORANGE_700, t("sync.offline")
    parts: list[ft.Control] = [ft.Icon(icon, color=colour, size=18), ft.Text(text, color=colour, size=13)]
    if state.waiting:
        parts.append(ft.Text("· " + t("sync.waiting", n=state.waiting), size=13, color=ft.Colors.AMBER_900))
    if state.stuck:
        parts.append(ft.Text("· " + t("sync.stuck", n=state.stuck), size=13, color=ft.Colors.RED_800))
    if state.refused:
        parts.append(ft.Text("· " + t("sync.refused", n=state.refused), size=13, color=ft.Colors.RED_800))
    if state.sync_failed:
        parts.append(ft.Text("· " + t("sync.failed", error=state.sync_failed), size=13, color=ft.Colors.RED_800))
    if state.clock_off_minutes:
        key = "sync.clock_behind" if state.clock_off_minutes < 0 else "sync.clock_ahead"
        parts.append(ft.Text("· " + t(key, n=abs(state.clock_off_minutes)), size=13, color=ft.Colors.RED_800))
    tz = state.assignments[0].request.site_timezone if state.assignments else "UTC"
    last = t("sync.last", time=site_time(state.last_sync, tz)) if state.last_sync else t("sync.never")

    async def refresh() -> None:
        await state.sync_now()

    return ft.Container(
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        padding=ft.Padding.symmetric(horizontal=12, vertical=4),
        content=ft.Row(
            [
                ft.Row(parts, spacing=6, wrap=True, expand=True),
                ft.Text(last, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                ft.IconButton(ft.Icons.REFRESH, tooltip=t("sync.refresh"), on_click=refresh),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
    )


def check_row(
    label: str, value: bool, on_toggle: Callable[[], None], *, bold: bool = False, size: int = 15
) -> ft.Control:
    """A checkbox whose label wraps (Checkbox's own label is cut off on a phone); the text toggles too."""
    return ft.Row(
        spacing=4,
        vertical_alignment=ft.CrossAxisAlignment.START,
        controls=[
            ft.Checkbox(value=value, semantics_label=label, on_change=lambda _: on_toggle()),
            ft.Container(
                expand=True,
                padding=ft.Padding.only(top=10),
                on_click=lambda _: on_toggle(),
                content=ft.Text(label, size=size, weight=ft.FontWeight.BOLD if bold else None),
            ),
        ],
    )
