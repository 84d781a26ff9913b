"""The app shell: the routes, one layout route for the chrome, sign-in as the route it guards.

/sign-in                    the sign-in screen
(layout: signed in)         guards every screen below and draws its chrome once: app bar, sync bar, notice
  /                         the list (desktop: list + detail side by side)
  /a/:aid                   an assignment
  /a/:aid/badge|sign|unable screens stacked on it (a real back stack on a phone: manage_views)

Route components take no arguments: they read the shell from context and hand the observable state to the
screens as an argument, which is what subscribes a screen to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from ..state import AppState
from .assignment_detail import AssignmentDetail
from .assignment_list import AssignmentList
from .badge import BadgeCard
from .continuation import ContinuationScreen
from .sign_in import SignIn
from .sign_off import SignOffScreen
from .theme import WIDE
from .unable import UnableToEnter
from .widgets import SyncBar

SIGN_IN = "/sign-in"
# Screens stacked on an assignment: path suffix -> (title key, body).
STACKED: dict[str, tuple[str, Callable[[AppState, str], ft.Control]]] = {
    "badge": ("onsite.badge", BadgeCard),
    "sign": ("onsite.sign", SignOffScreen),
    "unable": ("unable.title", UnableToEnter),
    "continue": ("continuation.app.title", ContinuationScreen),
}


@dataclass(frozen=True)
class Shell:
    state: AppState
    wide: bool
    demo_tokens: tuple[str, ...] = ()


ShellContext = ft.create_context(None)


def _shell() -> Shell:
    return ft.use_context(ShellContext)


async def _sign_out(state: AppState) -> None:
    if await state.sign_out():
        ft.context.page.navigate(SIGN_IN)


def _title(state: AppState, view_path: str) -> str:
    parts = view_path.strip("/").split("/")
    if len(parts) == 3 and parts[2] in STACKED:
        return state.t(STACKED[parts[2]][0])
    a = state.assignment(parts[1]) if len(parts) >= 2 else None
    return (a.request.reference or a.id) if a else state.t("list.title")


def _notice(state: AppState) -> list[ft.Control]:
    if not state.notice:
        return []
    return [
        ft.Container(
            bgcolor=ft.Colors.AMBER_100,
            padding=ft.Padding.all(10),
            content=ft.Row(
                [ft.Text(state.notice, expand=True), ft.IconButton(ft.Icons.CLOSE, on_click=state.dismiss_notice)]
            ),
        )
    ]


@ft.component
def Screen(state: AppState, view_path: str, body: ft.Control) -> ft.View:
    """One screen of the stack with its chrome; sends a signed-out device to the sign-in screen."""

    def guard() -> None:
        if not state.signed_in:
            ft.context.page.navigate(SIGN_IN)

    ft.use_effect(guard, [state.signed_in])
    if not state.signed_in:
        return ft.View(route=view_path, controls=[])
    t = state.t
    app_bar = ft.AppBar(
        title=ft.Text(_title(state, view_path), weight=ft.FontWeight.BOLD),
        actions=[
            ft.TextButton(t("lang.switch"), on_click=state.toggle_language),
            ft.IconButton(ft.Icons.LOGOUT, tooltip=t("sign_out"), on_click=lambda: _sign_out(state)),
        ],
    )
    return ft.View(route=view_path, padding=0, appbar=app_bar, controls=[SyncBar(state), *_notice(state), body])


@ft.component
def SignedInLayout() -> ft.View:
    """The layout route: wraps every screen below it (one View per level of the stack)."""
    return Screen(_shell().state, ft.use_view_path(), ft.use_route_outlet())


def _two_pane(state: AppState, selected: str | None) -> ft.Control:
    return ft.Row(
        expand=True,
        spacing=0,
        vertical_alignment=ft.CrossAxisAlignment.START,
        controls=[
            ft.Container(width=400, content=AssignmentList(state, selected)),
            ft.VerticalDivider(width=1),
            ft.Container(expand=True, content=AssignmentDetail(state, selected or "")),
        ],
    )


@ft.component
def HomeBody() -> ft.Control:
    shell = _shell()
    return _two_pane(shell.state, None) if shell.wide else AssignmentList(shell.state)


@ft.component
def DetailBody() -> ft.Control:
    shell = _shell()
    aid = ft.use_route_params().get("aid", "")
    return _two_pane(shell.state, aid) if shell.wide else AssignmentDetail(shell.state, aid)


def _stacked(suffix: str) -> Callable[[], ft.Control]:
    body = STACKED[suffix][1]

    @ft.component
    def StackedBody() -> ft.Control:
        return body(_shell().state, ft.use_route_params().get("aid", ""))

    StackedBody.__name__ = StackedBody.__qualname__ = f"{suffix.title()}Body"
    return StackedBody


_STACKED_BODIES = {suffix: _stacked(suffix) for suffix in STACKED}  # made once: a component's identity must hold


@ft.component
def SignInView() -> ft.View:
    shell = _shell()

    def leave_if_signed_in() -> None:  # e.g. the browser's back button after signing in
        if shell.state.signed_in:
            ft.context.page.navigate("/")

    ft.use_effect(leave_if_signed_in, [])
    return ft.View(route=SIGN_IN, padding=0, controls=[ft.SafeArea(SignIn(shell.state, shell.demo_tokens))])


@ft.component
def App(state: AppState, demo_tokens: tuple[str, ...] = ()) -> list[ft.View]:
    page = ft.context.page
    width, set_width = ft.use_state(page.width or 390)

    def listen_to_resize() -> None:
        page.on_resize = lambda e: set_width(e.width)

    ft.use_effect(listen_to_resize, [])
    return ShellContext(
        Shell(state, width >= WIDE, demo_tokens),
        lambda: ft.Router(
            [
                ft.Route(path=SIGN_IN.lstrip("/"), component=SignInView),
                ft.Route(
                    component=SignedInLayout,
                    outlet=True,
                    children=[
                        ft.Route(
                            path="/",
                            component=HomeBody,
                            children=[
                                ft.Route(
                                    path="a/:aid",
                                    component=DetailBody,
                                    children=[ft.Route(path=s, component=c) for s, c in _STACKED_BODIES.items()],
                                ),
                            ],
                        ),
                    ],
                ),
            ],
            manage_views=True,
        ),
    )
