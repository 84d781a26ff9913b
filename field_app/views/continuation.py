"""Continuation consent on the engineer's phone: "Ask the client to continue" near the reservation's end (on the
on-site panel), and the hand-over screen where the client answers in their language, like the sign-off.
The decisions are the view model's (on_site_model.py); this maps them to widgets."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from ..actions import VisitActions
from ..formatting import site_time
from ..i18n import Translator
from ..on_site_model import OnSiteModel
from ..sign_off import client_language
from ..state import AppState
from .theme import BIG_LABEL, TAP
from .typed import use_typed
from .widgets import icon_line

HAND_OVER_HEIGHT = 64


def continuation_controls(
    m: OnSiteModel, actions: VisitActions, t: Translator, go: Callable[[str], None]
) -> list[ft.Control]:
    """The on-site panel's lines: the question to ask, the open question, the client's latest answer."""
    tz = m.assignment.request.site_timezone
    out: list[ft.Control] = []
    decided = m.continuation_decided
    if decided is not None and decided.decided_at is not None:
        accepted = decided.decision.value == "accepted"
        out.append(
            icon_line(
                ft.Icons.CHECK_CIRCLE if accepted else ft.Icons.DO_NOT_DISTURB_ON,
                ft.Colors.GREEN_800 if accepted else ft.Colors.DEEP_ORANGE_800,
                t(
                    "continuation.app.decided",
                    decision=t(f"continuation.{decided.decision.value}"),
                    who=decided.decided_by,
                    time=site_time(decided.decided_at, tz),
                ),
                bold=True,
            )
        )
    if m.continue_minutes:
        out.append(
            ft.Column(
                spacing=6,
                controls=[
                    ft.Text(t("continuation.app.ask"), size=14, weight=ft.FontWeight.W_600),
                    ft.Text(t("continuation.app.ask_hint"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Row(
                        [
                            ft.OutlinedButton(
                                t("continuation.app.minutes", n=n),
                                on_click=lambda _, n=n: actions.ask_continuation(n),
                                height=TAP - 8,
                            )
                            for n in m.continue_minutes
                        ],
                        wrap=True,
                        spacing=8,
                    ),
                ],
            )
        )
    if (pending := m.continuation_pending) is not None:
        out.append(
            icon_line(
                ft.Icons.HOURGLASS_TOP,
                ft.Colors.AMBER_900,
                t("continuation.app.waiting", minutes=pending.extra_minutes),
            )
        )
        out.append(
            ft.FilledButton(
                t("continuation.app.hand_over"),
                icon=ft.Icons.SWAP_HORIZ,
                height=TAP,
                on_click=lambda: go(f"/a/{m.assignment.id}/continue"),
            )
        )
    return out


@ft.component
def ContinuationScreen(state: AppState, assignment_id: str) -> ft.Control:
    a = state.assignment(assignment_id)
    language, set_language = ft.use_state(lambda: client_language(a, state.language) if a else state.language)
    name = use_typed("")
    error, set_error = ft.use_state("")
    if a is None:
        return ft.Container()
    m = OnSiteModel.of(state, a)
    t = Translator(language)  # the client's language, not necessarily the engineer's
    pending = m.continuation_pending
    actions = VisitActions(state, a.id)

    def answer(accept: bool) -> None:
        if not name.value.strip():
            set_error(t("continuation.app.name_required"))
            return
        result = actions.decide_continuation(accept, name.value)
        if result.ok:
            ft.context.page.navigate(f"/a/{a.id}")
        else:
            set_error(result.message)

    body: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(t("visit.continuation.heading"), size=20, weight=ft.FontWeight.BOLD, expand=True),
                ft.TextButton(t("lang.switch"), on_click=lambda: set_language("en" if language == "ja" else "ja")),
            ]
        ),
    ]
    if pending is None:
        body.append(ft.Text(t("refused.no_continuation_asked"), size=15))
    else:
        who = next((e for e in a.engineers if e.id == pending.asked_by), None)
        engineer = (who.name_ja if language == "ja" and who.name_ja else who.name) if who else pending.asked_by
        body += [
            ft.Text(t("visit.continuation.question", who=engineer, minutes=pending.extra_minutes), size=16),
            ft.TextField(label=t("continuation.app.name"), value=name.value, on_change=name.changed),
            *([ft.Text(error, color=ft.Colors.ERROR, size=14)] if error else []),
            ft.FilledButton(
                t("visit.continuation.accept"),
                icon=ft.Icons.CHECK_CIRCLE,
                height=HAND_OVER_HEIGHT,
                on_click=lambda: answer(True),
                style=ft.ButtonStyle(bgcolor=ft.Colors.GREEN_700, text_style=BIG_LABEL),
            ),
            ft.OutlinedButton(
                t("visit.continuation.decline"),
                icon=ft.Icons.DO_NOT_DISTURB_ON,
                height=HAND_OVER_HEIGHT,
                on_click=lambda: answer(False),
                style=ft.ButtonStyle(text_style=BIG_LABEL),
            ),
        ]
    return ft.ListView(
        controls=[ft.Semantics(container=True, content=c) for c in body],
        padding=ft.Padding.all(16),
        spacing=12,
        expand=True,
    )
