from __future__ import annotations

import flet as ft

from ..state import AppState
from .theme import TAP
from .typed import use_typed


@ft.component
def SignIn(state: AppState, demo_tokens: tuple[str, ...] = ()) -> ft.Control:
    url = use_typed(state.server_url)
    token = use_typed("")
    t = state.t

    async def submit() -> None:
        if await state.sign_in(url.value, token.value):
            ft.context.page.navigate("/")

    hint = (
        [
            ft.Text(
                t("sign_in.demo_hint", tokens=", ".join(demo_tokens)),
                size=12,
                color=ft.Colors.ON_SURFACE_VARIANT,
            )
        ]
        if demo_tokens
        else []
    )
    error = [ft.Text(state.sign_in_error, color=ft.Colors.ERROR)] if state.sign_in_error else []
    return ft.Container(
        alignment=ft.Alignment.TOP_CENTER,
        padding=ft.Padding.all(24),
        content=ft.Column(
            width=440,
            spacing=16,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            controls=[
                ft.Row(
                    [
                        ft.Text(t("app.title"), size=26, weight=ft.FontWeight.BOLD, expand=True),
                        ft.TextButton(t("lang.switch"), on_click=state.toggle_language),
                    ]
                ),
                ft.Text(t("sign_in.title"), size=18),
                ft.TextField(
                    label=t("sign_in.server"),
                    value=url.value,
                    on_change=url.changed,
                    keyboard_type=ft.KeyboardType.URL,
                ),
                ft.TextField(
                    label=t("sign_in.token"),
                    value=token.value,
                    password=True,
                    can_reveal_password=True,
                    on_change=token.changed,
                    on_submit=submit,
                ),
                *error,
                ft.FilledButton(
                    t("sign_in.submit"),
                    icon=ft.Icons.LOGIN,
                    on_click=submit,
                    height=TAP,
                    disabled=state.busy,
                ),
                ft.Text(t("sign_in.pairing_hint"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                *hint,
            ],
        ),
    )
