"""Full-screen photo-ID badge for site security: shown from the device cache, so it works with no signal."""

from __future__ import annotations

import flet as ft

from ..formatting import site_datetime
from ..qr import qr_base64
from ..state import AppState


@ft.component
def BadgeCard(state: AppState, assignment_id: str) -> ft.Control:
    t = state.t
    a = state.assignment(assignment_id)
    badge = state.badge(assignment_id)
    if a is None or badge is None:
        return ft.Container(padding=24, content=ft.Text(t("badge.none"), size=16))
    qr = qr_base64(badge.verify_url)  # a few ms; no hook after the early return above
    e, tz, lang = badge.engineer, a.request.site_timezone, state.language
    photo = state.engineer_photo(e.id)
    portrait = (
        ft.Image(src=photo, width=150, height=188, fit=ft.BoxFit.COVER, border_radius=10)
        if photo
        else ft.Container(
            width=150,
            height=188,
            bgcolor=ft.Colors.BLUE_GREY_100,
            border_radius=10,
            alignment=ft.Alignment.CENTER,
            content=ft.Text("".join(w[0] for w in e.name.split()), size=40),
        )
    )
    return ft.Container(
        alignment=ft.Alignment.TOP_CENTER,
        padding=ft.Padding.all(16),
        bgcolor=ft.Colors.WHITE,
        expand=True,
        content=ft.Column(
            width=440,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=10,
            scroll=ft.ScrollMode.AUTO,
            controls=[
                ft.Container(
                    bgcolor="#0B4F8A",
                    border_radius=10,
                    padding=ft.Padding.symmetric(vertical=8, horizontal=16),
                    content=ft.Text(
                        e.company.upper() + " · ENGINEER", color=ft.Colors.WHITE, size=14, weight=ft.FontWeight.BOLD
                    ),
                ),
                portrait,
                ft.Text(e.name, size=26, weight=ft.FontWeight.BOLD),
                *([ft.Text(e.name_ja, size=18)] if e.name_ja else []),
                ft.Text(t(f"skill.{e.skill_level.value}"), size=15),
                ft.Text(
                    t("badge.for", client=badge.client_company, site=badge.site),
                    size=14,
                    text_align=ft.TextAlign.CENTER,
                ),
                ft.Text(
                    t(
                        "badge.valid",
                        start=site_datetime(badge.valid_from, tz, lang),
                        end=site_datetime(badge.valid_until, tz, lang),
                    ),
                    size=13,
                    text_align=ft.TextAlign.CENTER,
                    weight=ft.FontWeight.W_600,
                ),
                ft.Image(src=qr, width=240, height=240),
                ft.Text(t("badge.scan"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            ],
        ),
    )
