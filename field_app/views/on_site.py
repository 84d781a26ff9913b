"""The on-site panel at the top of an assignment: one big button for what comes next, the live timer,
the work log, and what happened to each action (sent / waiting / refused)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial

import flet as ft

from api_client.events import Position
from api_client.rules.billing import ReservationPhase
from api_client.rules.lifecycle import ON_SITE, Arrival, Status
from api_client.wire import Assignment

from ..actions import VisitActions
from ..detail_model import DetailModel
from ..device_store import Delivery, OutboxEntry
from ..formatting import duration, hours, site_datetime, site_time
from ..state import AppState
from .theme import BIG_LABEL, TAP
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
    now, set_now = ft.use_state(datetime.now(UTC))

    async def tick() -> None:
        while True:
            await asyncio.sleep(15)
            set_now(datetime.now(UTC))

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


def _my_arrivals(state: AppState, a: Assignment) -> list[Arrival]:
    return [x for x in state.visit(a).arrivals if state.engineer and x.engineer_id == state.engineer.id]


def _arrival_lines(state: AppState, a: Assignment) -> list[ft.Control]:
    """One line per site this engineer checked in at, with the geofence verdict."""
    lines: list[ft.Control] = []
    for arrival in _my_arrivals(state, a):
        distance = f"{arrival.distance_m:,.0f}" if arrival.distance_m is not None else "?"
        ok = arrival.check == "verified"
        site = f"{a.request.location(arrival.location_id).name}: " if len(a.request.locations) > 1 else ""
        text = site + state.t(f"arrival.{arrival.check}", distance=distance)
        icon, colour = (
            (ft.Icons.GPS_FIXED, ft.Colors.GREEN_700) if ok else (ft.Icons.GPS_OFF, ft.Colors.DEEP_ORANGE_700)
        )
        lines.append(icon_line(icon, colour, f"{text} · {site_time(arrival.at, a.request.site_timezone)}"))
    return lines


@ft.component
def OnSitePanel(state: AppState, assignment_id: str) -> ft.Control:
    assisted_by, set_assisted_by = ft.use_state("")
    log_text, set_log_text = ft.use_state("")
    photo, set_photo = ft.use_state(None)  # (name, bytes) picked for the next log entry
    busy, set_busy = ft.use_state(False)
    a = state.assignment(assignment_id)
    if a is None or state.engineer is None:
        return ft.Container()
    _ = state.revision
    t, r = state.t, a.request
    actions = VisitActions(state, a.id)
    visit = state.visit(a)
    go = ft.context.page.navigate
    controls: list[ft.Control] = []

    async def arrive(location_id: str) -> None:
        set_busy(True)
        position = await current_position()
        actions.arrive(position, location_id)
        set_busy(False)

    def start() -> None:
        if actions.start_work(assisted_by).ok:
            set_assisted_by("")

    def add_log() -> None:
        if actions.log(log_text, photo[1] if photo else None).ok:
            set_log_text("")
            set_photo(None)

    async def pick_photo() -> None:
        files = await ft.FilePicker().pick_files(file_type=ft.FilePickerFileType.IMAGE, with_data=True)
        if files and files[0].bytes:
            set_photo((files[0].name, files[0].bytes))

    status = visit.status
    unable_button = ft.OutlinedButton(
        t("onsite.unable"), icon=ft.Icons.DO_NOT_DISTURB_ON, height=TAP, on_click=lambda: go(f"/a/{a.id}/unable")
    )
    mine = _my_arrivals(state, a)
    pending = [loc for loc in r.locations if loc.id not in {x.location_id for x in mine}]
    multi = len(r.locations) > 1

    def arrived_label(site: str) -> str:
        return t("onsite.arrived_at", site=site) if multi else t("onsite.arrived")

    if pending and (status in (Status.approved, Status.en_route) or (status in ON_SITE and not mine)):
        first = pending[0]
        controls.append(
            ft.Row(
                [
                    _big_button(
                        t("onsite.arriving") if busy else arrived_label(first.name),
                        ft.Icons.WHERE_TO_VOTE,
                        partial(arrive, first.id),
                        ft.Colors.GREEN_700,
                        busy,
                    )
                ]
            )
        )
        row = []
        if status is Status.approved:
            row.append(
                ft.OutlinedButton(t("onsite.depart"), icon=ft.Icons.DIRECTIONS_CAR, on_click=actions.depart, height=TAP)
            )
        row.append(unable_button)
        controls.append(ft.Row(row, wrap=True, spacing=8))
        controls.append(_running_late(state, a, actions))
    controls.extend(_arrival_lines(state, a))
    if mine and status in ON_SITE:  # a multi-site job: check in at the next site when you get there
        controls.extend(
            ft.OutlinedButton(
                arrived_label(loc.name),
                icon=ft.Icons.WHERE_TO_VOTE,
                height=TAP,
                on_click=partial(arrive, loc.id),
                disabled=busy,
            )
            for loc in pending
        )
    if status is Status.arrived:
        if r.assistance_required:
            controls.append(
                ft.TextField(
                    label=t("onsite.assisted_by"),
                    value=assisted_by,
                    on_change=lambda e: set_assisted_by(e.control.value),
                )
            )
            controls.append(ft.Text(t("onsite.assistance_required"), size=12, color=ft.Colors.ON_SURFACE_VARIANT))
        controls.append(ft.Row([_big_button(t("onsite.start"), ft.Icons.PLAY_ARROW, start)]))
        controls.append(unable_button)
    if status is Status.working:
        controls.append(LiveTimer(state, a.id))
        controls.append(
            ft.TextField(
                label=t("onsite.log_hint"),
                value=log_text,
                multiline=True,
                min_lines=2,
                on_change=lambda e: set_log_text(e.control.value),
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
                        disabled=not log_text.strip(),
                    ),
                    ft.OutlinedButton(t("onsite.photo"), icon=ft.Icons.PHOTO_CAMERA, on_click=pick_photo, height=TAP),
                ],
                wrap=True,
                spacing=8,
            )
        )
        controls.append(
            ft.Row([_big_button(t("onsite.sign"), ft.Icons.DRAW, lambda: go(f"/a/{a.id}/sign"), ft.Colors.INDIGO_600)])
        )
    if status in (Status.signed_off, Status.closed) and visit.signed_off_at:
        controls.append(
            ft.Text(
                t(
                    "onsite.locked",
                    who=visit.signer_name,
                    time=site_datetime(visit.signed_off_at, r.site_timezone, state.language),
                ),
                size=15,
                color=ft.Colors.GREEN_800,
                weight=ft.FontWeight.W_600,
            )
        )
    if status is Status.unable_to_enter and visit.unable_reason:
        controls.append(
            ft.Text(
                t("onsite.ended_unable", reason=t(f"unable.{visit.unable_reason.value}")),
                size=15,
                color=ft.Colors.DEEP_ORANGE_800,
                weight=ft.FontWeight.W_600,
            )
        )
    if status not in (Status.requested, Status.proposed, Status.cancelled):
        controls.append(ft.TextButton(t("onsite.badge"), icon=ft.Icons.BADGE, on_click=lambda: go(f"/a/{a.id}/badge")))
    controls.extend(_log_entries(state, a))
    controls.extend(_activity(state, a))
    if not controls:
        return ft.Container()
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


def _running_late(state: AppState, a: Assignment, actions: VisitActions) -> ft.Control:
    """Before arrival: tell the ordering party the new expected time in one tap."""
    t, visit = state.t, state.visit(a)
    mine = [n for n in visit.late_notices if state.engineer and n.engineer_id == state.engineer.id]
    controls: list[ft.Control] = [
        ft.Text(t("onsite.late"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Row(
            [
                ft.OutlinedButton(
                    t("onsite.late_minutes", n=n), on_click=lambda _, n=n: actions.running_late(n), height=TAP - 8
                )
                for n in (15, 30, 60)
            ],
            wrap=True,
            spacing=8,
        ),
    ]
    if mine:
        expected = site_time(mine[-1].expected_at, a.request.site_timezone)
        controls.append(icon_line(ft.Icons.SCHEDULE_SEND, ft.Colors.AMBER_900, t("onsite.late_sent", time=expected)))
    return ft.Column(controls, spacing=6)


def _log_entries(state: AppState, a: Assignment) -> list[ft.Control]:
    visit = state.visit(a)
    if not visit.log:
        return []
    tz = a.request.site_timezone
    return [
        ft.Text(state.t("sign.log"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        *[ft.Text(f"{site_time(e.at, tz)}  {e.text}" + ("  📷" if e.has_photo else ""), size=14) for e in visit.log],
    ]


def _site_of(a: Assignment, entry: OutboxEntry) -> str:
    location_id = entry.body.get("location_id")
    if entry.kind != "arrive" or len(a.request.locations) < 2 or not location_id:
        return ""
    try:
        return f" — {a.request.location(str(location_id)).name}"
    except KeyError:
        return ""


def _activity(state: AppState, a: Assignment) -> list[ft.Control]:
    """Every action this device recorded, with its delivery: nothing refused is ever silently dropped."""
    entries = state.actions(a.id)
    if not entries:
        return []
    t, tz = state.t, a.request.site_timezone
    colours = {
        Delivery.pending: ft.Colors.AMBER_900,
        Delivery.sending: ft.Colors.AMBER_900,
        Delivery.sent: ft.Colors.GREEN_800,
        Delivery.refused: ft.Colors.RED_800,
    }
    rows: list[ft.Control] = [ft.Text(t("onsite.activity"), size=13, color=ft.Colors.ON_SURFACE_VARIANT)]
    for e in entries:
        reason = state.refusal_text(e.reason_code, e.reason) if e.state is Delivery.refused else ""
        rows.append(
            ft.Row(
                [
                    ft.Text(
                        f"{site_time(e.device_time, tz)}  {t('kind.' + e.kind)}{_site_of(a, e)}", size=13, expand=True
                    ),
                    ft.Text(t(f"delivery.{e.state.value}", reason=reason), size=13, color=colours[e.state]),
                ]
            )
        )
    return rows
