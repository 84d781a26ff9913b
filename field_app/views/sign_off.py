"""The hand-over screen: the client reads a summary in their language, confirms, signs, and lets the team go.
Signing ends the billable time and locks the visit — offline too (the outbox delivers it)."""

from __future__ import annotations

import flet as ft
import flet.canvas as cv

from ..actions import VisitActions
from ..detail_model import bill_line_label
from ..formatting import duration, money, site_time
from ..i18n import Translator
from ..sign_off import SignOffDraft, SignOffModel, client_language
from ..state import AppState
from .on_site import BIG
from .theme import BIG_LABEL
from .widgets import check_row

PAD_HEIGHT = 200


@ft.component
def SignaturePad(draft: SignOffDraft, t: Translator) -> ft.Control:
    paint = ft.Paint(
        stroke_width=3,
        color=ft.Colors.BLACK,
        style=ft.PaintingStyle.STROKE,
        stroke_cap=ft.StrokeCap.ROUND,
        stroke_join=ft.StrokeJoin.ROUND,
    )
    shapes = [
        cv.Path([cv.Path.MoveTo(*s[0]), *[cv.Path.LineTo(x, y) for x, y in s[1:]]], paint=paint)
        for s in draft.strokes
        if s
    ]
    return ft.Column(
        spacing=4,
        controls=[
            ft.Row(
                [
                    ft.Text(t("sign.pad"), size=13, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
                    ft.TextButton(t("sign.clear"), icon=ft.Icons.CLEAR, on_click=draft.clear_signature),
                ]
            ),
            ft.Container(
                height=PAD_HEIGHT,
                bgcolor=ft.Colors.WHITE,
                border=ft.Border.all(2, ft.Colors.BLUE_GREY_300),
                border_radius=8,
                content=ft.Semantics(
                    identifier="signature-pad",
                    label=t("sign.pad"),
                    content=cv.Canvas(
                        shapes=shapes,
                        expand=True,
                        content=ft.GestureDetector(
                            drag_interval=16,
                            on_pan_start=lambda e: draft.start_stroke(e.local_position.x, e.local_position.y),
                            on_pan_update=lambda e: draft.extend_stroke(e.local_position.x, e.local_position.y),
                        ),
                    ),
                ),
            ),
        ],
    )


@ft.component
def SignOffScreen(state: AppState, assignment_id: str) -> ft.Control:
    a = state.assignment(assignment_id)
    language = client_language(a, state.language) if a else state.language
    draft, _ = ft.use_state(lambda: SignOffDraft(assignment_id=assignment_id, language=language))
    if a is None:
        return ft.Container()
    t = Translator(draft.language)  # the client's language, not necessarily the engineer's
    m = SignOffModel.of(state, a, state.clock())
    r, tz = a.request, a.request.site_timezone

    def submit() -> None:
        if draft.submit(VisitActions(state, a.id), t("sign.need_signature")).ok:
            ft.context.page.navigate(f"/a/{a.id}")

    summary: list[ft.Control] = [
        ft.Text(r.title, size=17, weight=ft.FontWeight.BOLD),
        ft.Text(f"{r.ordering_party.company} — {m.site}", size=14),
    ]
    if m.on_site is not None:
        summary.append(
            ft.Text(f"{t('sign.time')}: {duration(m.on_site, draft.language)}", size=15, weight=ft.FontWeight.W_600)
        )
    log = [ft.Text(f"{site_time(e.at, tz)}  {e.text}", size=14) for e in m.log] or [ft.Text(t("sign.no_log"), size=14)]
    billing: list[ft.Control] = []
    if m.bill is not None and m.card is not None:
        bill, card = m.bill, m.card
        billing = [
            ft.Row(
                [
                    ft.Text(bill_line_label(line, bill, a, m.visit, card, t), size=13, expand=True),
                    ft.Text(money(line.amount, card.currency, draft.language), size=13),
                ]
            )
            for line in bill.lines
        ]
        billing.append(
            ft.Row(
                [
                    ft.Text(t("detail.estimate"), weight=ft.FontWeight.BOLD, expand=True),
                    ft.Text(money(bill.total, card.currency, draft.language), weight=ft.FontWeight.BOLD),
                ]
            )
        )
    steps = [
        check_row(
            f"{i + 1}. {s.title} — {s.confirm_after}", i in draft.confirmed_steps, lambda i=i: draft.toggle_step(i)
        )
        for i, s in m.steps_to_confirm
    ]

    def block(title: str, controls: list[ft.Control]) -> ft.Control:
        return ft.Container(
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
            border_radius=10,
            padding=ft.Padding.all(12),
            content=ft.Column([ft.Text(title, size=13, color=ft.Colors.ON_SURFACE_VARIANT), *controls], spacing=6),
        )

    body: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(t("sign.title"), size=20, weight=ft.FontWeight.BOLD, expand=True),
                ft.TextButton(t("lang.switch"), on_click=draft.toggle_language),
            ]
        ),
        block(t("sign.summary"), summary),
        block(t("sign.log"), log),
        *([block(t("sign.billing"), billing)] if billing else []),
        *([block(t("sign.confirm_steps"), steps)] if steps else []),
        ft.TextField(
            label=t("sign.name"),
            value=draft.signer_name,
            on_change=lambda e: setattr(draft, "signer_name", e.control.value),
        ),
        SignaturePad(draft, t),
        check_row(t("sign.approve_leaving"), draft.approve_leaving, draft.toggle_approve_leaving, bold=True, size=16),
        *([ft.Text(draft.error, color=ft.Colors.ERROR, size=14)] if draft.error else []),
        ft.FilledButton(
            t("sign.submit"),
            icon=ft.Icons.CHECK_CIRCLE,
            on_click=submit,
            height=BIG,
            style=ft.ButtonStyle(bgcolor=ft.Colors.INDIGO_600, text_style=BIG_LABEL),
        ),
    ]
    return ft.ListView(
        controls=[ft.Semantics(container=True, content=c) for c in body],
        padding=ft.Padding.all(16),
        spacing=12,
        expand=True,
    )
