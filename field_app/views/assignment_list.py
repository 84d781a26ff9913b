from __future__ import annotations

import flet as ft

from api_client.wire import Assignment

from ..formatting import site_datetime
from ..state import AppState
from .widgets import status_chip, urgency_badge


def _card(state: AppState, a: Assignment, selected: bool) -> ft.Control:
    t = state.t
    r = a.request
    visit = state.visit(a)
    badge = urgency_badge(r.urgency, a.expedited, t)
    urgent = r.urgency >= 4
    return ft.Card(
        key=a.id,
        margin=ft.Margin.symmetric(vertical=4),
        bgcolor=ft.Colors.RED_50 if urgent else (ft.Colors.PRIMARY_CONTAINER if selected else None),
        content=ft.Container(
            on_click=lambda: ft.context.page.navigate(f"/a/{a.id}"),
            padding=ft.Padding.all(14),
            border=ft.Border.all(2, ft.Colors.RED_700) if urgent else None,
            border_radius=12,
            content=ft.Column(
                spacing=6,
                controls=[
                    ft.Row([status_chip(visit.status, t), *([badge] if badge else [])], wrap=True, spacing=6),
                    ft.Text(r.title, size=16, weight=ft.FontWeight.BOLD),
                    ft.Text(r.ordering_party.company, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.SCHEDULE, size=16),
                            ft.Text(site_datetime(r.visit_start, r.site_timezone, state.language), size=14),
                        ],
                        spacing=6,
                    ),
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.PLACE, size=16),
                            ft.Text(" / ".join(loc.name for loc in r.locations), size=14, expand=True),
                        ],
                        spacing=6,
                    ),
                ],
            ),
        ),
    )


@ft.component
def AssignmentList(state: AppState, selected_id: str | None = None) -> ft.Control:
    t = state.t
    groups = state.sections()
    controls: list[ft.Control] = []
    for key, items in (("list.today", groups.today), ("list.upcoming", groups.upcoming), ("list.past", groups.past)):
        if not items:
            continue
        controls.append(
            ft.Text(f"{t(key)} ({len(items)})", size=14, weight=ft.FontWeight.BOLD, color=ft.Colors.PRIMARY)
        )
        controls.extend(_card(state, a, a.id == selected_id) for a in items)
    if not controls:
        controls.append(ft.Text(t("list.empty"), size=16, color=ft.Colors.ON_SURFACE_VARIANT))
    return ft.ListView(controls=controls, padding=ft.Padding.all(12), spacing=4, expand=True)
