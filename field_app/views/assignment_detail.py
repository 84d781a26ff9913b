"""The assignment: everything the engineer needs the night before and on the day, in that order of urgency
on site — where, who, what to do, what to bring, then the paperwork and the money."""

from __future__ import annotations

import flet as ft

from api_client.request import PaperworkStatus

from ..calendar import ics
from ..detail_model import ContactLine, DetailModel, SiteLine, bill_line_label
from ..formatting import duration, hours, money, site_datetime
from ..i18n import Translator
from ..state import AppState
from ..travel import TravelLine, pdf_file
from .documents import documents_section
from .on_site import OnSitePanel
from .widgets import check_row, icon_line, link_button, section, status_chip, urgency_badge

_PAPERWORK_COLOURS = {
    PaperworkStatus.to_prepare: ft.Colors.AMBER_800,
    PaperworkStatus.sent: ft.Colors.BLUE_700,
    PaperworkStatus.accepted: ft.Colors.GREEN_700,
    PaperworkStatus.not_needed: ft.Colors.GREY_600,
}


def _labelled(label: str, value: str, *, bold: bool = False) -> ft.Control:
    return ft.Column(
        spacing=2,
        controls=[
            ft.Text(label, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Text(value, size=15, weight=ft.FontWeight.W_600 if bold else None),
        ],
    )


def _contact(c: ContactLine, label: str, t: Translator) -> ft.Control:
    buttons = []
    if c.tel:
        buttons.append(link_button(t("detail.call"), ft.Icons.CALL, c.tel, primary=True))
    if c.whatsapp:
        buttons.append(link_button(t("detail.whatsapp"), ft.Icons.CHAT, c.whatsapp))
    if c.mailto:
        buttons.append(link_button(t("detail.email"), ft.Icons.EMAIL, c.mailto))
    details = " · ".join(x for x in (c.role, c.phone, c.email) if x)
    return ft.Column(
        spacing=6,
        controls=[
            ft.Text(label, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Text(c.name, size=16, weight=ft.FontWeight.BOLD),
            ft.Text(details, size=13),
            ft.Row(buttons, wrap=True, spacing=8, run_spacing=8),
        ],
    )


def _site(site: SiteLine, t: Translator, override: tuple[str, str] | None) -> list[ft.Control]:
    loc = site.location
    controls: list[ft.Control] = [
        ft.Text(loc.name, size=17, weight=ft.FontWeight.BOLD),
        ft.Text(loc.address, size=15),
        ft.Row(
            [
                link_button(t("detail.open_maps"), ft.Icons.MAP, site.maps_url, primary=True),
                link_button(t("detail.directions"), ft.Icons.DIRECTIONS, site.directions_url),
            ],
            wrap=True,
            spacing=8,
            run_spacing=8,
        ),
    ]
    if site.short_link:
        controls.append(ft.Text(t("detail.short_link"), size=12, color=ft.Colors.ON_SURFACE_VARIANT))
    if loc.floor:
        controls.append(_labelled(t("detail.floor"), loc.floor, bold=True))
    if loc.access_notes:
        controls.append(_labelled(t("detail.access"), loc.access_notes))
    for c in site.contacts:
        controls.append(ft.Divider(height=8))
        controls.append(_contact(c, t("detail.local_contact"), t))
    if not site.contacts and override:
        controls.append(
            ft.Text(t("detail.no_local_contact", who=override[0], why=override[1]), color=ft.Colors.DEEP_ORANGE_800)
        )
    return controls


@ft.component
def AssignmentDetail(state: AppState, assignment_id: str) -> ft.Control:
    t = state.t
    a = state.assignment(assignment_id)
    if a is None:
        return ft.Container(padding=24, content=ft.Text(t("list.select"), size=16))
    m = DetailModel.of(state, a)
    r, lang = a.request, state.language
    override = (
        (r.local_contact_override.forced_by, r.local_contact_override.reason) if r.local_contact_override else None
    )
    badge = urgency_badge(r.urgency, a.expedited, t)

    async def add_to_calendar() -> None:
        # Web: a download; desktop: a save dialog; phones: the share/save sheet.
        await ft.FilePicker().save_file(file_name=f"{r.reference or a.id}.ics", src_bytes=ics(a))

    header = ft.Column(
        spacing=8,
        controls=[
            ft.Row([status_chip(m.visit.status, t), *([badge] if badge else [])], wrap=True, spacing=6),
            ft.Text(r.title, size=22, weight=ft.FontWeight.BOLD),
            ft.Text(
                f"{r.ordering_party.company}" + (f" · {t('detail.reference')} {r.reference}" if r.reference else ""),
                size=14,
                color=ft.Colors.ON_SURFACE_VARIANT,
            ),
            ft.Row(
                [
                    ft.Icon(ft.Icons.SCHEDULE, size=18),
                    ft.Text(site_datetime(r.visit_start, r.site_timezone, lang), size=16, weight=ft.FontWeight.W_600),
                    ft.Text(t("detail.site_time", tz=r.site_timezone), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.TextButton(t("detail.calendar"), icon=ft.Icons.EVENT, on_click=add_to_calendar),
                ],
                wrap=True,
                spacing=6,
            ),
            _approval(state, m),
        ],
    )

    sites = [
        section(
            t("detail.locations") + (f" {i + 1}/{len(m.sites)}" if len(m.sites) > 1 else ""),
            ft.Icons.PLACE,
            _site(s, t, override),
            key=f"site-{s.location.id}",
        )
        for i, s in enumerate(m.sites)
    ]

    contacts = section(
        t("detail.contacts"),
        ft.Icons.CONTACT_PHONE,
        [_contact(m.ordering_engineer, t("detail.ordering_engineer") + f" — {r.ordering_party.company}", t)],
    )

    steps: list[ft.Control] = []
    for i, step in enumerate(r.work.steps):
        lines: list[ft.Control] = [ft.Text(f"{i + 1}. {step.title}", size=15, weight=ft.FontWeight.W_600)]
        if step.detail:
            lines.append(ft.Text(step.detail, size=14))
        if step.confirm_before:
            lines.append(
                ft.Text(t("detail.confirm_before", text=step.confirm_before), size=13, color=ft.Colors.DEEP_ORANGE_800)
            )
        if step.confirm_after:
            lines.append(
                ft.Text(t("detail.confirm_after", text=step.confirm_after), size=13, color=ft.Colors.DEEP_ORANGE_800)
            )
        if step.documents:
            lines.append(ft.Text("📄 " + ", ".join(step.documents), size=13))
        steps.append(ft.Column(lines, spacing=2))
    work_controls: list[ft.Control] = [ft.Text(r.work.summary, size=15)]
    if r.work.target_hardware:
        work_controls.append(_labelled(t("detail.hardware"), r.work.target_hardware))
    if steps:
        work_controls += [ft.Text(t("detail.steps"), size=13, color=ft.Colors.ON_SURFACE_VARIANT), *steps]
    if r.work.documents:
        work_controls.append(_labelled(t("detail.documents"), ", ".join(r.work.documents)))
    if r.work.instructions_provided:
        work_controls.append(ft.Text("✔ " + t("detail.instructions"), size=13, color=ft.Colors.GREEN_800))
    work = section(t("detail.work"), ft.Icons.BUILD, work_controls)
    if (documents := documents_section(state, a)) is not None:  # what the work needs, right after it
        work = ft.Column([work, documents], spacing=4)

    packed = state.packed(a.id)
    items = (
        section(
            t("detail.items"),
            ft.Icons.BACKPACK,
            [
                check_row(
                    f"{item.name}"
                    + (f" ×{item.quantity}" if item.quantity > 1 else "")
                    + f"  ({t('detail.requested_item') if item.requested else t('detail.standard_item')})",
                    i in packed,
                    lambda i=i: state.toggle_packed(a.id, i),
                    bold=item.requested,
                )
                for i, item in enumerate(r.items)
            ],
        )
        if r.items
        else None
    )

    paperwork = (
        section(
            t("detail.paperwork"),
            ft.Icons.DESCRIPTION,
            [
                ft.Row(
                    [
                        ft.Text(p.name, size=14, expand=True),
                        ft.Text(
                            t(f"paperwork.{p.status.value}"),
                            size=13,
                            color=_PAPERWORK_COLOURS[p.status],
                            weight=ft.FontWeight.BOLD,
                        ),
                    ]
                )
                for p in r.paperwork
            ],
        )
        if r.paperwork
        else None
    )

    billing = section(t("detail.reservation"), ft.Icons.TIMER, _billing(state, m))

    team = section(
        t("detail.team"),
        ft.Icons.GROUPS,
        [
            ft.Text(
                f"{t('detail.skill')}: {t('skill.' + r.skill_level.value)} · "
                f"{t('detail.engineers', n=r.engineer_count)}",
                size=14,
            ),
            *[
                ft.Text(f"• {e.name}" + (f" ({e.name_ja})" if e.name_ja and lang == "ja" else ""), size=14)
                for e in a.engineers
            ],
            ft.Text(f"{t('detail.languages')}: " + ", ".join(t(f"lang.{x}") for x in r.languages), size=14),
            *([ft.Text("✔ " + t("detail.assistance"), size=13)] if r.assistance_provided else []),
        ],
    )

    travel = (
        section(
            t("detail.travel"),
            ft.Icons.TRAIN,
            [
                *[ft.Text(f"🎫 {ticket}", size=14) for ticket in r.travel.tickets],
                *(
                    [ft.Text(t("detail.accommodation", text=r.travel.accommodation), size=14)]
                    if r.travel.accommodation
                    else []
                ),
            ],
        )
        if r.travel.required or r.travel.tickets
        else None
    )

    notes = section(t("detail.notes"), ft.Icons.NOTES, [ft.Text(r.notes, size=14)]) if r.notes else None
    bookings = _bookings(state, m)

    body = [
        header,
        OnSitePanel(state, a.id),
        *sites,
        contacts,
        work,
        items,
        paperwork,
        billing,
        team,
        bookings,
        travel,
        notes,
    ]
    return ft.ListView(controls=[c for c in body if c is not None], padding=ft.Padding.all(12), spacing=4, expand=True)


def _bookings(state: AppState, m: DetailModel) -> ft.Control | None:
    """The desk's bookings for this engineer: tickets and hotel, readable offline; the PDF opens from the device."""
    if not m.travel:
        return None
    t = state.t

    def booking(line: TravelLine) -> ft.Control:
        def open_pdf() -> None:
            if (path := pdf_file(state.store, line.booking)) is not None:
                ft.UrlLauncher().launch_url(path.as_uri())

        rows: list[ft.Control] = [
            ft.Text(f"{line.kind} · {line.title}", size=15, weight=ft.FontWeight.W_600),
            ft.Text(line.when, size=14),
        ]
        if line.detail:
            rows.append(ft.Text(line.detail, size=13, color=ft.Colors.ON_SURFACE_VARIANT))
        if line.confirmation:
            rows.append(ft.Text(t("travel.confirmation", number=line.confirmation), size=14))
        if line.pdf_on_device:
            rows.append(ft.OutlinedButton(t("travel.open_pdf"), icon=ft.Icons.PICTURE_AS_PDF, on_click=open_pdf))
        return ft.Semantics(container=True, content=ft.Column(rows, spacing=2))

    return section(t("travel.heading"), ft.Icons.LUGGAGE, [booking(x) for x in m.travel], key="travel")


def _approval(state: AppState, m: DetailModel) -> ft.Control:
    t, v, r = state.t, m.visit, m.assignment.request
    if v.approved_at:
        when = site_datetime(v.approved_at, r.site_timezone, state.language)
        approval = icon_line(
            ft.Icons.VERIFIED, ft.Colors.GREEN_700, t("detail.approved_by", who=v.approved_by, time=when)
        )
    else:
        approval = icon_line(
            ft.Icons.BLOCK, ft.Colors.RED_700, t("detail.not_approved"), text_colour=ft.Colors.RED_800, bold=True
        )
    devices = (
        icon_line(ft.Icons.INVENTORY_2, ft.Colors.GREEN_700, t("detail.devices_confirmed"))
        if r.devices_on_site_confirmed
        else icon_line(ft.Icons.REPORT_PROBLEM, ft.Colors.DEEP_ORANGE_700, t("detail.devices_unconfirmed"))
    )
    lines = [approval, devices]
    return ft.Column(lines, spacing=4)


def _billing(state: AppState, m: DetailModel) -> list[ft.Control]:
    t, r = state.t, m.assignment.request
    reserved = t("detail.reserved", hours=hours(r.reserved))
    if r.grace:
        reserved += " " + t("detail.grace", minutes=r.grace)
    lines: list[ft.Control] = [
        ft.Text(reserved, size=16, weight=ft.FontWeight.BOLD),
        ft.Text(t("detail.minimum"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
    ]
    if r.retainer_sla:
        lines.append(ft.Text("✔ " + t("detail.retainer"), size=13))
    if m.on_site is not None:
        lines.append(ft.Text(t("detail.on_site", duration=duration(m.on_site, state.language)), size=15))
    if m.bill is not None and state.rate_card is not None:
        card = state.rate_card
        for line in m.bill.lines:
            lines.append(
                ft.Row(
                    [
                        ft.Text(bill_line_label(line, m.bill, m.assignment, m.visit, card, t), size=13, expand=True),
                        ft.Text(money(line.amount, card.currency, state.language), size=13),
                    ]
                )
            )
        lines.append(
            ft.Row(
                [
                    ft.Text(t("detail.estimate"), size=15, weight=ft.FontWeight.BOLD, expand=True),
                    ft.Text(money(m.bill.total, card.currency, state.language), size=15, weight=ft.FontWeight.BOLD),
                ]
            )
        )
        lines.append(ft.Text(card.label, size=11, color=ft.Colors.ON_SURFACE_VARIANT, italic=True))
    return lines
