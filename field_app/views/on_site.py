"""The on-site panel at the top of an assignment: one big button for what comes next, the live timer,
the work log, and what happened to each action (sent / waiting / refused)."""

from __future__ import annotations

import asyncio
from functools import partial

import flet as ft

from api_client.events import Position
from api_client.rules.billing import ReservationPhase

from ..actions import VisitActions
from ..detail_model import DetailModel
from ..device_store import Delivery
from ..formatting import duration, hours, site_datetime, site_time
from ..i18n import Translator
from ..on_site_model import ArrivalLine, OnSiteModel
from ..state import AppState
from .continuation import continuation_controls
from .theme import BIG_LABEL, TAP
from .typed import use_typed
from .widgets import icon_line

BIG = 64  # the Arrived button: findable with a thumb, in a glove, in the dark
_PHASE_COLOURS = {
    ReservationPhase.within: ft.Colors.GREEN_50,
    ReservationPhase.ending_soon: ft.Colors.AMBER_100,
    ReservationPhase.grace: ft.Colors.ORANGE_100,
    ReservationPhase.overtime: ft.Colors.RED_100,
}


async def current_position(timeout: float = 8.0) -> Position | None:
    """The device position where permitted; None (arrival still recorded, unverified) otherwise."""
    try:
        import flet_geolocator as ftg

        geo = ftg.Geolocator()
        await asyncio.wait_for(geo.request_permission(), timeout)
        pos = await asyncio.wait_for(geo.get_current_position(), timeout)
    except Exception:  # no permission, no fix, no plugin on this platform: all mean "no position"
        return None
    if pos is None or pos.latitude is None or pos.longitude is None:
        return None
    return Position(latitude=pos.latitude, longitude=pos.longitude, accuracy_m=pos.accuracy)


def _big_button(
    label: str, icon: ft.IconData, on_click: object, colour: str | None = None, disabled: bool = False
) -> ft.Control:
    return ft.FilledButton(
        label,
        icon=icon,
        on_click=on_click,
        height=BIG,
        expand=True,
        disabled=disabled,
        style=ft.ButtonStyle(bgcolor=colour, text_style=BIG_LABEL),
    )


@ft.component
def LiveTimer(state: AppState, assignment_id: str) -> ft.Control:
    now, set_now = ft.use_state(state.clock())

    async def tick() -> None:
        while True:
            await asyncio.sleep(15)
            set_now(state.clock())

    ft.use_effect(tick, [])
    a = state.assignment(assignment_id)
    if a is None:
        return ft.Container()
    m = DetailModel.of(state, a, now)
    if m.on_site is None or m.phase is None:
        return ft.Container()
    t, r = state.t, a.request
    reserved = f"{hours(r.reserved)} h" + (f" + {r.grace} min" if r.grace else "")
    message = t(f"onsite.phase.{m.phase.value}", minutes=m.bill.overtime_minutes if m.bill else 0)
    return ft.Container(
        bgcolor=_PHASE_COLOURS[m.phase],
        border_radius=10,
        padding=ft.Padding.all(12),
        content=ft.Column(
            spacing=4,
            controls=[
                ft.Text(
                    t("onsite.timer", elapsed=duration(m.on_site, state.language), reserved=reserved),
                    size=18,
                    weight=ft.FontWeight.BOLD,
                ),
                ft.Text(
                    message, size=14, weight=ft.FontWeight.W_600 if m.phase is not ReservationPhase.within else None
                ),
            ],
        ),
    )


def _arrival_line(m: OnSiteModel, line: ArrivalLine, t: Translator) -> ft.Control:
    distance = f"{line.distance_m:,.0f}" if line.distance_m is not None else "?"
    text = (f"{line.site}: " if line.site else "") + t(f"arrival.{line.check}", distance=distance)
    icon, colour = (
        (ft.Icons.GPS_FIXED, ft.Colors.GREEN_700) if line.verified else (ft.Icons.GPS_OFF, ft.Colors.DEEP_ORANGE_700)
    )
    return icon_line(icon, colour, f"{text} · {site_time(line.at, m.assignment.request.site_timezone)}")


@ft.component
def OnSitePanel(state: AppState, assignment_id: str) -> ft.Control:
    """The model as widgets; this component keeps only what is being typed or picked."""
    assisted_by = use_typed("")
    log_text = use_typed("")
    photo, set_photo = ft.use_state(None)  # (name, bytes) picked for the next log entry
    busy, set_busy = ft.use_state(False)
    a = state.assignment(assignment_id)
    if a is None or state.engineer is None:
        return ft.Container()
    m = OnSiteModel.of(state, a)
    if m.empty:
        return ft.Container()
    t, r = state.t, a.request
    actions = VisitActions(state, a.id)
    go = ft.context.page.navigate
    controls: list[ft.Control] = []

    async def arrive(location_id: str) -> None:
        set_busy(True)
        position = await current_position()
        actions.arrive(position, location_id)
        set_busy(False)

    def start() -> None:
        if actions.start_work(assisted_by.value).ok:
            assisted_by.set("")

    def add_log() -> None:
        if actions.log(log_text.value, photo[1] if photo else None).ok:
            log_text.set("")
            set_photo(None)

    async def pick_photo() -> None:
        files = await ft.FilePicker().pick_files(file_type=ft.FilePickerFileType.IMAGE, with_data=True)
        if files and files[0].bytes:
            set_photo((files[0].name, files[0].bytes))

    def arrived_label(site: str) -> str:
        return t("onsite.arrived_at", site=site) if m.multi_site else t("onsite.arrived")

    unable_button = ft.OutlinedButton(
        t("onsite.unable"), icon=ft.Icons.DO_NOT_DISTURB_ON, height=TAP, on_click=lambda: go(f"/a/{a.id}/unable")
    )
    if m.next_site is not None:
        label = t("onsite.arriving") if busy else arrived_label(m.next_site.name)
        arrive_next = partial(arrive, m.next_site.id)
        controls.append(ft.Row([_big_button(label, ft.Icons.WHERE_TO_VOTE, arrive_next, ft.Colors.GREEN_700, busy)]))
        row: list[ft.Control] = []
        if m.can_depart:
            row.append(
                ft.OutlinedButton(t("onsite.depart"), icon=ft.Icons.DIRECTIONS_CAR, on_click=actions.depart, height=TAP)
            )
        if m.can_report_unable:
            row.append(unable_button)
        controls.append(ft.Row(row, wrap=True, spacing=8))
    if m.late_minutes:
        controls.append(_running_late(m, actions, t))
    controls.extend(_arrival_line(m, line, t) for line in m.arrivals)
    controls.extend(
        ft.OutlinedButton(
            arrived_label(loc.name),
            icon=ft.Icons.WHERE_TO_VOTE,
            height=TAP,
            on_click=partial(arrive, loc.id),
            disabled=busy,
        )
        for loc in m.more_sites
    )
    if m.can_start:
        if m.needs_assistant:
            controls.append(
                ft.TextField(
                    label=t("onsite.assisted_by"),
                    value=assisted_by.value,
                    on_change=assisted_by.changed,
                )
            )
            controls.append(ft.Text(t("onsite.assistance_required"), size=12, color=ft.Colors.ON_SURFACE_VARIANT))
        controls.append(ft.Row([_big_button(t("onsite.start"), ft.Icons.PLAY_ARROW, start)]))
        if m.can_report_unable:
            controls.append(unable_button)
    if m.show_timer:
        controls.append(LiveTimer(state, a.id))
    controls.extend(continuation_controls(m, actions, t, go))
    if m.can_log:
        controls.append(
            ft.TextField(
                label=t("onsite.log_hint"),
                value=log_text.value,
                multiline=True,
                min_lines=2,
                on_change=log_text.changed,
            )
        )
        if photo:
            controls.append(ft.Text(t("onsite.photo_attached", name=photo[0]), size=13))
        controls.append(
            ft.Row(
                [
                    ft.FilledTonalButton(
                        t("onsite.log_add"),
                        icon=ft.Icons.NOTE_ADD,
                        on_click=add_log,
                        height=TAP,
                        disabled=not log_text.value.strip(),
                    ),
                    ft.OutlinedButton(t("onsite.photo"), icon=ft.Icons.PHOTO_CAMERA, on_click=pick_photo, height=TAP),
                ],
                wrap=True,
                spacing=8,
            )
        )
    if m.can_sign:
        controls.append(
            ft.Row([_big_button(t("onsite.sign"), ft.Icons.DRAW, lambda: go(f"/a/{a.id}/sign"), ft.Colors.INDIGO_600)])
        )
    if m.signed_off is not None:
        when = site_datetime(m.signed_off.at, r.site_timezone, state.language)
        controls.append(
            ft.Text(
                t("onsite.locked", who=m.signed_off.signer, time=when),
                size=15,
                color=ft.Colors.GREEN_800,
                weight=ft.FontWeight.W_600,
            )
        )
    if m.unable_reason is not None:
        controls.append(
            ft.Text(
                t("onsite.ended_unable", reason=t(f"unable.{m.unable_reason.value}")),
                size=15,
                color=ft.Colors.DEEP_ORANGE_800,
                weight=ft.FontWeight.W_600,
            )
        )
    if m.show_badge:
        controls.append(ft.TextButton(t("onsite.badge"), icon=ft.Icons.BADGE, on_click=lambda: go(f"/a/{a.id}/badge")))
    controls.extend(_log_entries(m, t))
    controls.extend(_activity(m, state))
    # Each line its own accessibility node: otherwise Flutter merges texts into the text field's label and
    # a screen reader (or a tap on the field) lands on the wrong thing.
    controls = [ft.Semantics(container=True, content=c) for c in controls]
    return ft.Card(
        margin=ft.Margin.symmetric(vertical=6),
        content=ft.Container(
            padding=ft.Padding.all(16),
            content=ft.Column(controls, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        ),
    )


def _running_late(m: OnSiteModel, actions: VisitActions, t: Translator) -> ft.Control:
    """Before arrival: tell the ordering party the new expected time in one tap."""
    controls: list[ft.Control] = [
        ft.Text(t("onsite.late"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Row(
            [
                ft.OutlinedButton(
                    t("onsite.late_minutes", n=n), on_click=lambda _, n=n: actions.running_late(n), height=TAP - 8
                )
                for n in m.late_minutes
            ],
            wrap=True,
            spacing=8,
        ),
    ]
    if m.late_expected_at is not None:
        expected = site_time(m.late_expected_at, m.assignment.request.site_timezone)
        controls.append(icon_line(ft.Icons.SCHEDULE_SEND, ft.Colors.AMBER_900, t("onsite.late_sent", time=expected)))
    return ft.Column(controls, spacing=6)


def _log_entries(m: OnSiteModel, t: Translator) -> list[ft.Control]:
    if not m.log:
        return []
    tz = m.assignment.request.site_timezone
    return [
        ft.Text(t("sign.log"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        *_earlier(m.earlier_log, t),
        *[ft.Text(f"{site_time(e.at, tz)}  {e.text}" + ("  📷" if e.has_photo else ""), size=14) for e in m.log],
    ]


def _earlier(n: int, t: Translator) -> list[ft.Control]:
    return [ft.Text(t("onsite.earlier", n=n), size=13, italic=True, color=ft.Colors.ON_SURFACE_VARIANT)] if n else []


_DELIVERY_COLOURS = {
    Delivery.pending: ft.Colors.AMBER_900,
    Delivery.sending: ft.Colors.AMBER_900,
    Delivery.sent: ft.Colors.GREEN_800,
    Delivery.refused: ft.Colors.RED_800,
}


def _activity(m: OnSiteModel, state: AppState) -> list[ft.Control]:
    """Every action this device recorded, with its delivery."""
    if not m.actions:
        return []
    t, tz = state.t, m.assignment.request.site_timezone
    rows: list[ft.Control] = [ft.Text(t("onsite.activity"), size=13, color=ft.Colors.ON_SURFACE_VARIANT)]
    rows += _earlier(m.earlier_actions, t)
    for e in m.actions:
        reason = state.refusal_text(e.reason_code, e.reason) if e.delivery is Delivery.refused else ""
        site = f" — {e.site}" if e.site else ""
        rows.append(
            ft.Row(
                [
                    ft.Text(f"{site_time(e.at, tz)}  {t('kind.' + e.kind)}{site}", size=13, expand=True),
                    ft.Text(
                        t("delivery.stuck") if e.stuck else t(f"delivery.{e.delivery.value}", reason=reason),
                        size=13,
                        color=ft.Colors.RED_800 if e.stuck else _DELIVERY_COLOURS.get(e.delivery, ft.Colors.AMBER_900),
                    ),
                ]
            )
        )
    return rows
