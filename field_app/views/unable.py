from __future__ import annotations

import flet as ft

from api_client.events import UnableReason

from ..actions import VisitActions
from ..state import AppState
from .on_site import BIG
from .typed import use_typed


@ft.component
def UnableToEnter(state: AppState, assignment_id: str) -> ft.Control:
    reason = use_typed(UnableReason.no_access.value)
    detail = use_typed("")
    t = state.t

    def confirm() -> None:
        if VisitActions(state, assignment_id).unable_to_enter(UnableReason(reason.value), detail.value).ok:
            ft.context.page.navigate(f"/a/{assignment_id}")

    return ft.Container(
        padding=ft.Padding.all(16),
        content=ft.Column(
            spacing=12,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            controls=[
                ft.Text(t("unable.title"), size=22, weight=ft.FontWeight.BOLD),
                ft.Text(t("unable.note"), size=14),
                ft.Text(t("unable.reason"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                ft.RadioGroup(
                    value=reason.value,
                    on_change=reason.changed,
                    content=ft.Column([ft.Radio(value=r.value, label=t(f"unable.{r.value}")) for r in UnableReason]),
                ),
                ft.TextField(
                    label=t("unable.detail"),
                    value=detail.value,
                    multiline=True,
                    min_lines=2,
                    on_change=detail.changed,
                ),
                *([ft.Text(state.notice, color=ft.Colors.ERROR)] if state.notice else []),
                ft.FilledButton(
                    t("unable.confirm"),
                    icon=ft.Icons.DO_NOT_DISTURB_ON,
                    on_click=confirm,
                    height=BIG,
                    style=ft.ButtonStyle(bgcolor=ft.Colors.DEEP_ORANGE_700),
                ),
            ],
        ),
    )
