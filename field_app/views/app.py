"""The app shell: sign-in gate, routes, phone stack or desktop two-pane."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from ..state import AppState
from .assignment_detail import AssignmentDetail
from .assignment_list import AssignmentList
from .badge import BadgeCard
from .sign_in import SignIn
from .sign_off import SignOffScreen
from .theme import WIDE
from .unable import UnableToEnter
from .widgets import SyncBar


@dataclass(frozen=True)
class Shell:
    state: AppState
    wide: bool


ShellContext = ft.create_context(None)


def _use_shell() -> Shell:
    shell: Shell = ft.use_context(ShellContext)
    ft.use_state(shell.state)  # subscribe this route to the view state
    return shell


def _app_bar(state: AppState, title: str) -> ft.AppBar:
    t = state.t
    return ft.AppBar(
        title=ft.Text(title, weight=ft.FontWeight.BOLD),
        actions=[
            ft.TextButton(t("lang.switch"), on_click=state.toggle_language),
            ft.IconButton(ft.Icons.LOGOUT, tooltip=t("sign_out"), on_click=lambda: _sign_out(state)),
        ],
    )


async def _sign_out(state: AppState) -> None:
    if await state.sign_out():
        ft.context.page.navigate("/")


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
def HomeView() -> ft.View:
    shell = _use_shell()
    state = shell.state
    body = _two_pane(state, None) if shell.wide else AssignmentList(state)
    return ft.View(
        route="/",
        padding=0,
        appbar=_app_bar(state, state.t("list.title")),
        controls=[SyncBar(state), *_notice(state), body],
    )


@ft.component
def DetailView() -> ft.View:
    shell = _use_shell()
    state = shell.state
    aid = ft.use_route_params().get("aid", "")
    body = _two_pane(state, aid) if shell.wide else AssignmentDetail(state, aid)
    a = state.assignment(aid)
    title = a.request.reference or a.id if a else state.t("list.title")
    return ft.View(
        route=f"/a/{aid}", padding=0, appbar=_app_bar(state, title), controls=[SyncBar(state), *_notice(state), body]
    )


def _sub_view(aid: str, suffix: str, title: str, body: ft.Control, state: AppState) -> ft.View:
    return ft.View(
        route=f"/a/{aid}/{suffix}",
        padding=0,
        appbar=_app_bar(state, title),
        controls=[SyncBar(state), *_notice(state), body],
    )


def _sub_route(suffix: str, title_key: str, body: Callable[[AppState, str], ft.Control]) -> Callable[[], ft.View]:
    """A screen stacked on an assignment (/a/:aid/<suffix>): same chrome, its own body."""

    @ft.component
    def SubView() -> ft.View:
        state = _use_shell().state
        aid = ft.use_route_params().get("aid", "")
        return _sub_view(aid, suffix, state.t(title_key), body(state, aid), state)

    SubView.__name__ = SubView.__qualname__ = f"{suffix.title()}View"
    return SubView


BadgeView = _sub_route("badge", "onsite.badge", BadgeCard)
SignOffView = _sub_route("sign", "onsite.sign", SignOffScreen)
UnableView = _sub_route("unable", "unable.title", UnableToEnter)


@ft.component
def App(state: AppState, demo_tokens: tuple[str, ...] = ()) -> list[ft.View]:
    page = ft.context.page
    width, set_width = ft.use_state(page.width or 390)
    page.on_resize = lambda e: set_width(e.width)
    if not state.signed_in:
        return [ft.View(route="/", padding=0, controls=[ft.SafeArea(SignIn(state, demo_tokens))])]
    return ShellContext(
        Shell(state, width >= WIDE),
        lambda: ft.Router(
            [
                ft.Route(
                    path="/",
                    component=HomeView,
                    children=[
                        ft.Route(
                            path="a/:aid",
                            component=DetailView,
                            children=[
                                ft.Route(path="badge", component=BadgeView),
                                ft.Route(path="sign", component=SignOffView),
                                ft.Route(path="unable", component=UnableView),
                            ],
                        ),
                    ],
                )
            ],
            manage_views=True,
        ),
    )
