"""The desk's intake queue (`/desk`, `/desk/intake`): requests not yet approved, Class 4 on top, with lead time,
the expedite flag, the rules that apply and the prerequisites missing per row; updated live.

Also the Class 4 alarm every desk page carries (`/desk/alerts/live`): a red banner, the page title and a sound
(desk.js, Web Audio) the moment a Class 4 request arrives — `store.create_assignment` publishes `class4`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sse_starlette import EventSourceResponse

from api_client.request import ServiceRequest
from api_client.rules.prerequisites import Finding, prerequisites

from ...db import AssignmentRow, CompanyRow, DispatcherRow
from ...store import Store
from ..csrf import CSRF
from ..live_stream import stream
from ..pages import fragment, render, templates
from ..sessions import DeskPage
from .board_data import requesters

router = APIRouter(prefix="/desk", dependencies=[CSRF], include_in_schema=False)
OPEN_STATUSES = ("requested", "proposed")  # not yet approved by the client
MAX_ROWS = 500  # the queue shows this many (Class 4 and the soonest first): README "Limits"
ALERT_KINDS = {"class4", "requested", "propose", "approve", "cancel"}
# What happens on site never changes the queue (only requests not yet approved are in it): no re-render for it.
ON_SITE_KINDS = {"depart", "running_late", "arrive", "start_work", "log", "sign_off", "unable_to_enter", "close",
                 "review_overtime", "rejected"}  # fmt: skip


@dataclass(frozen=True)
class IntakeRow:
    id: str
    status: str
    request: ServiceRequest
    expedited: bool
    requested_at: datetime
    lead: timedelta
    findings: list[Finding]
    company: tuple[str, str] | None
    requested_by: str
    by_phone: bool


def _store(request: Request) -> Store:
    return request.app.state.store


def load_intake(store: Store, *, class4_waiting: bool = False) -> list[IntakeRow]:
    """The open requests; with `class4_waiting`, only the Class 4 ones nobody has proposed engineers for (the
    alarm: usually none, so every desk page can afford it)."""
    urgency = AssignmentRow.request["urgency"].as_integer()
    query = select(AssignmentRow).where(AssignmentRow.status.in_(OPEN_STATUSES))
    if class4_waiting:
        query = select(AssignmentRow).where(AssignmentRow.status == "requested", urgency >= 4)
    with store.sessions() as s:
        rows = list(
            s.scalars(query.order_by(urgency.desc(), AssignmentRow.visit_start, AssignmentRow.id).limit(MAX_ROWS))
        )
        company_ids = {r.company_id for r in rows if r.company_id}
        companies = {
            c.id: (c.name_en, c.name_ja)
            for c in s.execute(
                select(CompanyRow.id, CompanyRow.name_en, CompanyRow.name_ja).where(CompanyRow.id.in_(company_ids))
            )
        }
        desk_ids = set(s.scalars(select(DispatcherRow.id)))
    who = requesters(store, {r.requested_by for r in rows if r.requested_by})
    out = []
    for r in rows:
        req = store.request_of(r)
        out.append(
            IntakeRow(
                id=r.id,
                status=r.status,
                request=req,
                expedited=r.expedited,
                requested_at=r.requested_at,
                lead=r.visit_start - r.requested_at,
                findings=prerequisites(req, expedited=r.expedited),
                company=companies.get(r.company_id or ""),
                requested_by=who.get(r.requested_by or "", ""),
                by_phone=(r.requested_by or "") in desk_ids,
            )
        )
    return out


def load_class4(store: Store) -> list[IntakeRow]:
    """Class 4 requests nobody has proposed engineers for yet: the alarm stays until someone acts."""
    return load_intake(store, class4_waiting=True)


def _alerts_on_page(request: Request) -> list[IntakeRow]:
    """For base.html: the banner's first state is in the page itself (no wait for the stream, and seen without
    JavaScript); the stream keeps it current."""
    return load_class4(_store(request))


templates.env.globals["class4_alerts"] = _alerts_on_page


@router.get("", response_class=HTMLResponse)
@router.get("/intake", response_class=HTMLResponse)
def intake(request: Request, session: DeskPage) -> Response:
    return render(request, "desk/intake.html", {"rows": load_intake(_store(request)), "now": _store(request).clock()})


@router.get("/intake/live")
async def intake_live(request: Request, session: DeskPage) -> EventSourceResponse:
    store = _store(request)

    def draw(_change: object) -> list[tuple[str, str]]:
        rows = load_intake(store)
        return [("intake", fragment(request, "desk/_intake.html", {"rows": rows, "now": store.clock()}))]

    return stream(request, wants=lambda c: c.kind not in ON_SITE_KINDS, render=draw)


@router.get("/alerts/live")
async def alerts_live(request: Request, session: DeskPage) -> EventSourceResponse:
    store = _store(request)

    def draw(_change: object) -> list[tuple[str, str]]:
        return [("alerts", fragment(request, "desk/_alerts.html", {"alerts": load_class4(store)}))]

    return stream(request, wants=lambda c: c.kind in ALERT_KINDS, render=draw)
