"""The ordering party's visit: the proposal and its decision, the live visit page, the local contacts' read-only
view, continuation consent and the signed report.

Three ways in, one page:
- `/portal/visits/{id}` — a signed-in person of the ordering company (another company's visit is 404); a person
  who may approve decides on the proposal and on a continuation there;
- `/portal/decide/{id}/{token}` — the one-time link mailed to an approver with the proposal (works once per
  decision, only for a person allowed to approve for that company; the GET only shows, a POST decides);
- `/portal/follow/{token}` — a local contact's read-only link (no decision, no report).

Each page's `/live` stream re-renders the same fragment (`portal/_visit_live.html`) when the visit changes,
through dispatch/live.py and web/live_stream.py; without JavaScript a reload shows the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from api_client.events import ApproveEvent, ContinuationVia, DecideContinuationEvent, Outcome, VisitEvent
from api_client.rules.billing import Continuation, ReservationPhase, charged_hours, reservation_phase
from api_client.rules.lifecycle import ENDED, Refused, Status
from api_client.texts import Language, person_name, refusal, site_datetime, text
from api_client.wire import Assignment

from ... import accounts, audit, follow_links
from ...db import AssignmentRow, EventRow, PersonRow
from ...ingest import Unavailable
from ...principal import SYSTEM, client
from ...store import NotFound, Store
from ...visit_mail import decide_purpose
from ..csrf import CSRF
from ..live_stream import stream
from ..pages import fragment, language, render
from ..sessions import ClientPage, WebSession
from ..sign_in import link_refused

router = APIRouter(prefix="/portal", dependencies=[CSRF], include_in_schema=False)
# A note to the desk (README "Limits"); checked by the page itself so that a longer one gets the page's own 422
# with the field's message (the service's body limit bounds what is read at all).
MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class Viewer:
    """Who is looking, and through which door: decides what the page offers."""

    assignment_id: str
    base: str  # this view's own address: its /live, /photos/..., /engineers/.../photo hang below it
    session: WebSession | None = None  # the ordering party, signed in
    contact_name: str = ""  # a local contact's read-only link
    decide_token: str = ""  # an approver's one-time link

    @property
    def ordering_party(self) -> bool:
        return self.session is not None

    @property
    def may_decide(self) -> bool:
        return self.session is not None and self.session.may_approve


def _store(request: Request) -> Store:
    return request.app.state.store


def _company_of(store: Store, assignment_id: str) -> str | None:
    with store.sessions() as s:
        row = s.get(AssignmentRow, assignment_id[:40])
        if row is None:
            raise NotFound(assignment_id)
        return row.company_id


def _own(store: Store, assignment_id: str, session: WebSession) -> None:
    """Another company's visit (or none) is "not found": its existence is not theirs to know."""
    company_id = _company_of(store, assignment_id)
    if company_id is None or company_id != session.company_id:
        raise NotFound(assignment_id)


def _follow_viewer(store: Store, token: str) -> Viewer:
    row = follow_links.resolve(store, token)
    if row is None:
        raise NotFound("follow link")
    return Viewer(row.assignment_id, f"/portal/follow/{token}", contact_name=row.contact_name)


def _approver(store: Store, assignment_id: str, token: str) -> PersonRow | None:
    """The person a decision link belongs to, if it is still usable and they may approve for this visit's company."""
    person_id = accounts.peek_link(store, token, decide_purpose(assignment_id))
    if person_id is None:
        return None
    company_id = _company_of(store, assignment_id)
    with store.sessions() as s:
        person = s.get(PersonRow, person_id)
    if person is None or not person.active or not person.may_approve or person.company_id != company_id:
        return None
    return person


# -- the view model -------------------------------------------------------------------------------------------
def visit_view(store: Store, viewer: Viewer, lang: Language) -> dict[str, Any]:
    """Everything the visit fragment shows, as plain values (the template only lays them out)."""
    a = store.assignment(viewer.assignment_id, SYSTEM)
    r, v, now = a.request, a.visit, store.clock()
    company_id = _company_of(store, a.id)
    company = accounts.company(store, company_id) if company_id else None
    show_photos = company is None or company.show_log_photos
    names = {e.id: person_name(e.name, e.name_ja, lang) for e in a.engineers}
    card = accounts.rate_card_of(store, company_id)

    sla_due = None
    if v.approved_at and company and company.retainer and company.retainer.covers(v.approved_at):
        sla_due = v.approved_at + timedelta(minutes=company.retainer.response_minutes)
    sla_elapsed = None if v.approved_at is None else (v.arrived_at or now) - v.approved_at
    expected = v.late_notices[-1].expected_at if v.late_notices else r.visit_start

    on_site = v.on_site_time(now)
    since = v.on_site_since()
    reserved = timedelta(hours=float(charged_hours(r.reserved)))
    phase = None
    if on_site is not None and v.status in (Status.arrived, Status.working):
        phase = reservation_phase(on_site, r.reserved, r.grace, card.warn_before_minutes)

    pending = v.pending_continuation
    report_row = store.report(a.id, SYSTEM) if v.status in (Status.signed_off, Status.closed) else None
    applied = _timeline(store, a.id)
    return {
        "a": a,
        "r": r,
        "v": v,
        "tz": r.site_timezone,
        "viewer": viewer,
        "now": now,
        "status": v.status.value,
        "engineers": a.engineers,
        "names": names,
        "proposed": v.status is Status.proposed,
        "ended": v.status in ENDED,
        "sla_due": sla_due,
        "sla_elapsed": sla_elapsed,
        "expected": expected,
        "late": bool(v.late_notices) and expected > r.visit_start,
        "on_the_way": v.status in (Status.approved, Status.en_route),
        "arrivals": [
            {
                "who": names.get(x.engineer_id, x.engineer_id),
                "at": x.at,
                "site": r.location(x.location_id).name,
                "verified": x.check == "verified",
                "check": text(
                    f"arrival.{x.check}", lang, distance="—" if x.distance_m is None else f"{x.distance_m:,.0f}"
                ),
            }
            for x in v.arrivals
        ],
        "log": [
            {
                "at": entry.at,
                "who": names.get(entry.author, entry.author),
                "text": entry.text,
                "photo": f"{viewer.base}/photos/{entry.event_id}" if entry.has_photo and show_photos else None,
                "photo_hidden": entry.has_photo and not show_photos,
            }
            for entry in v.log
        ],
        "on_site": on_site,
        "reserved": reserved + timedelta(minutes=r.grace),
        "reserved_end": since + reserved if since else None,
        "grace_end": since + reserved + timedelta(minutes=r.grace) if since else None,
        "phase": phase.value if phase and phase is not ReservationPhase.within else None,
        "pending": pending,
        "pending_who": names.get(pending.asked_by, pending.asked_by) if pending else "",
        "decided": [c for c in v.continuations if c.decision is not Continuation.none],
        "report": (
            {"sha256": hashlib.sha256(report_row.pdf).hexdigest(), "url": f"{viewer.base}/report.pdf"}
            if report_row is not None and viewer.ordering_party
            else None
        ),
        "timeline": applied,
        "links": follow_links.ensure(store, a) if viewer.ordering_party and v.approved_at else [],
    }


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    at: datetime  # the device's time for an engineer's action, the service's for the desk's and the client's


def _timeline(store: Store, assignment_id: str) -> list[TimelineEntry]:
    """The visit's applied transitions (the work log has its own section): only the columns shown, so a visit
    with hundreds of log entries re-renders as fast as one with none."""
    with store.sessions() as s:
        rows = s.execute(
            select(EventRow.kind, EventRow.role, EventRow.device_time, EventRow.received_at)
            .where(EventRow.assignment_id == assignment_id, EventRow.outcome == "applied", EventRow.kind != "log")
            .order_by(EventRow.seq)
        ).all()
    return [TimelineEntry(r.kind, r.device_time if r.role == "engineer" else r.received_at) for r in rows]


def _page(request: Request, viewer: Viewer, extra: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    values = visit_view(_store(request), viewer, language(request))
    return render(request, "portal/visit.html", {**values, **(extra or {})}, status_code=status_code)


def _live(request: Request, viewer: Viewer) -> Response:
    store = _store(request)
    lang = language(request)

    def fragments(_change: object) -> list[tuple[str, str]]:
        return [("visit", fragment(request, "portal/_visit_live.html", visit_view(store, viewer, lang)))]

    return stream(request, wants=lambda c: c.assignment_id == viewer.assignment_id, render=fragments)


def _record(store: Store, event: VisitEvent, who_id: str, company_id: str) -> Assignment:
    result = store.ingest_one(event.model_dump(mode="json"), client(who_id, company_id))
    if result.outcome is Outcome.rejected:
        raise Refused(result.reason_code, result.reason)
    if not result.outcome.final:
        raise Unavailable(result.reason)
    return store.assignment(event.assignment_id, SYSTEM)


def _approve(store: Store, assignment_id: str, person: PersonRow, via: str) -> None:
    event = ApproveEvent(assignment_id=assignment_id, device_time=store.clock(), approved_by=person.name)
    _record(store, event, person.id, person.company_id)
    audit.record(store, f"person:{person.id}", "approve", assignment_id, {"name": person.name, "via": via})


def _ask_change(store: Store, assignment_id: str, person: PersonRow, note: str, via: str) -> None:
    audit.record(
        store, f"person:{person.id}", "ask_change", assignment_id, {"name": person.name, "note": note, "via": via}
    )
    if store.live is not None:  # the desk's pages hear of it at once
        store.live.publish(assignment_id, "change_requested")


def _person(store: Store, session: WebSession) -> PersonRow:
    with store.sessions() as s:
        person = s.get(PersonRow, session.subject_id)
    if person is None:
        raise NotFound(session.subject_id)
    return person


def _note_error(note: str, lang: Language) -> str | None:
    return text("visit.change_note.required", lang) if not note.strip() or len(note) > MAX_NOTE_CHARS else None


def _refused_message(exc: Refused, lang: Language) -> str:
    return text("visit.decision.refused", lang, reason=refusal(exc.code, lang))


# -- the ordering party's visit page ----------------------------------------------------------------------------
@router.get("/visits/{assignment_id}", response_class=HTMLResponse)
def visit_page(request: Request, assignment_id: str, session: ClientPage) -> Response:
    _own(_store(request), assignment_id, session)
    return _page(request, Viewer(assignment_id, f"/portal/visits/{assignment_id}", session=session))


@router.get("/visits/{assignment_id}/live")
def visit_live(request: Request, assignment_id: str, session: ClientPage) -> Response:
    _own(_store(request), assignment_id, session)
    return _live(request, Viewer(assignment_id, f"/portal/visits/{assignment_id}", session=session))


def _decision_page(request: Request, assignment_id: str, session: WebSession) -> tuple[Store, PersonRow]:
    store = _store(request)
    _own(store, assignment_id, session)
    if not session.may_approve:
        raise HTTPException(403, text("visit.not_approver", language(request)))
    return store, _person(store, session)


@router.post("/visits/{assignment_id}/approve")
def visit_approve(request: Request, assignment_id: str, session: ClientPage) -> Response:
    store, person = _decision_page(request, assignment_id, session)
    viewer = Viewer(assignment_id, f"/portal/visits/{assignment_id}", session=session)
    try:
        _approve(store, assignment_id, person, "visit_page")
    except Refused as exc:
        return _page(request, viewer, {"error": _refused_message(exc, language(request))}, status_code=409)
    return RedirectResponse(f"/portal/visits/{assignment_id}", status_code=303)


@router.post("/visits/{assignment_id}/change")
def visit_change(
    request: Request, assignment_id: str, session: ClientPage, note: Annotated[str, Form()] = ""
) -> Response:
    store, person = _decision_page(request, assignment_id, session)
    viewer = Viewer(assignment_id, f"/portal/visits/{assignment_id}", session=session)
    lang = language(request)
    if error := _note_error(note, lang):
        return _page(request, viewer, {"note": note, "note_error": error}, status_code=422)
    if _company_status(store, assignment_id) is not Status.proposed:
        return _page(request, viewer, {"error": _refused_message(Refused("already_approved"), lang)}, 409)
    _ask_change(store, assignment_id, person, note.strip(), "visit_page")
    return _page(request, viewer, {"done": text("visit.change.done", lang)})


@router.post("/visits/{assignment_id}/continuation")
def visit_continuation(
    request: Request, assignment_id: str, session: ClientPage, decision: Annotated[str, Form()] = ""
) -> Response:
    store, person = _decision_page(request, assignment_id, session)
    viewer = Viewer(assignment_id, f"/portal/visits/{assignment_id}", session=session)
    if decision not in ("accept", "decline"):
        raise HTTPException(422, "decision: accept or decline")
    event = DecideContinuationEvent(
        assignment_id=assignment_id,
        device_time=store.clock(),
        accept=decision == "accept",
        decided_by=person.name,
        via=ContinuationVia.portal,
    )
    try:
        _record(store, event, person.id, person.company_id)
    except Refused as exc:
        return _page(request, viewer, {"error": _refused_message(exc, language(request))}, status_code=409)
    audit.record(store, f"person:{person.id}", f"continuation_{decision}", assignment_id, {"name": person.name})
    return RedirectResponse(f"/portal/visits/{assignment_id}", status_code=303)


def _company_status(store: Store, assignment_id: str) -> Status:
    with store.sessions() as s:
        row = s.get(AssignmentRow, assignment_id)
        if row is None:
            raise NotFound(assignment_id)
        return Status(row.status)


def _report_pdf(store: Store, assignment_id: str) -> Response:
    row = store.report(assignment_id, SYSTEM)
    if row is None:
        raise NotFound(assignment_id)
    return Response(
        row.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="service-report-{assignment_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/visits/{assignment_id}/report.pdf")
def visit_report(request: Request, assignment_id: str, session: ClientPage) -> Response:
    _own(_store(request), assignment_id, session)
    return _report_pdf(_store(request), assignment_id)


def _log_photo(store: Store, assignment_id: str, event_id: str) -> Response:
    company_id = _company_of(store, assignment_id)
    if company_id is not None and not accounts.company(store, company_id).show_log_photos:
        raise NotFound(event_id)
    events = {str(e.id): e for e in store.events(assignment_id, SYSTEM)}
    if event_id not in events or events[event_id].kind != "log":  # only this visit's own log photos
        raise NotFound(event_id)
    content = store.attachment(event_id, "photo")
    if content is None:
        raise NotFound(event_id)
    return _image(content)


def _image(content: bytes) -> Response:
    media = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return Response(content, media_type=media, headers={"Cache-Control": "private, max-age=300"})


def _engineer_photo(store: Store, assignment_id: str, engineer_id: str) -> Response:
    a = store.assignment(assignment_id, SYSTEM)
    if engineer_id not in {e.id for e in a.engineers}:  # only the engineers proposed for this visit
        raise NotFound(engineer_id)
    content = store.engineer_photo(engineer_id)
    if content is None:
        raise NotFound(engineer_id)
    return _image(content)


@router.get("/visits/{assignment_id}/photos/{event_id}")
def visit_photo(request: Request, assignment_id: str, event_id: str, session: ClientPage) -> Response:
    _own(_store(request), assignment_id, session)
    return _log_photo(_store(request), assignment_id, event_id)


@router.get("/visits/{assignment_id}/engineers/{engineer_id}/photo")
def visit_engineer_photo(request: Request, assignment_id: str, engineer_id: str, session: ClientPage) -> Response:
    _own(_store(request), assignment_id, session)
    return _engineer_photo(_store(request), assignment_id, engineer_id)


# -- an approver's one-time decision link ------------------------------------------------------------------------
def _decide_viewer(assignment_id: str, token: str) -> Viewer:
    return Viewer(assignment_id, f"/portal/decide/{assignment_id}/{token}", decide_token=token)


@router.get("/decide/{assignment_id}/{token}", response_class=HTMLResponse)
def decide_page(request: Request, assignment_id: str, token: str) -> Response:
    store = _store(request)
    if _approver(store, assignment_id, token) is None:
        return link_refused(request)
    return _page(request, _decide_viewer(assignment_id, token))


@router.get("/decide/{assignment_id}/{token}/engineers/{engineer_id}/photo")
def decide_engineer_photo(request: Request, assignment_id: str, token: str, engineer_id: str) -> Response:
    store = _store(request)
    if _approver(store, assignment_id, token) is None:
        raise NotFound(engineer_id)
    return _engineer_photo(store, assignment_id, engineer_id)


@router.post("/decide/{assignment_id}/{token}")
def decide(
    request: Request,
    assignment_id: str,
    token: str,
    action: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    store, lang = _store(request), language(request)
    person = _approver(store, assignment_id, token)
    if person is None:
        return link_refused(request)
    viewer = _decide_viewer(assignment_id, token)
    if action not in ("approve", "change"):
        raise HTTPException(422, "action: approve or change")
    if action == "change" and (error := _note_error(note, lang)):
        return _page(request, viewer, {"note": note, "note_error": error}, status_code=422)
    if _company_status(store, assignment_id) is not Status.proposed:
        return _page(request, viewer, {"error": _refused_message(Refused("already_approved"), lang)}, 409)
    if accounts.consume_link(store, token, decide_purpose(assignment_id)) is None:  # used meanwhile: once only
        return link_refused(request)
    try:
        if action == "approve":
            _approve(store, assignment_id, person, "mail_link")
            a = store.assignment(assignment_id, SYSTEM)
            at = a.visit.approved_at or store.clock()
            when = site_datetime(at, a.request.site_timezone, lang, year=True)
            message = text("visit.approved.done", lang, who=person.name, time=when)
        else:
            _ask_change(store, assignment_id, person, note.strip(), "mail_link")
            message = text("visit.change.done", lang)
    except Refused as exc:
        return _page(request, viewer, {"error": _refused_message(exc, lang)}, status_code=409)
    # The link is used up: the visit page itself is for the signed-in ordering party (it asks to sign in).
    return render(
        request,
        "message.html",
        {
            "status_code": 200,
            "heading": message,
            "lines": [],
            "link": {"href": f"/portal/visits/{assignment_id}", "label": text("visit.follow_page", lang)},
        },
    )


# -- a local contact's read-only link -----------------------------------------------------------------------------
@router.get("/follow/{token}", response_class=HTMLResponse)
def follow_page(request: Request, token: str) -> Response:
    return _page(request, _follow_viewer(_store(request), token))


@router.get("/follow/{token}/live")
def follow_live(request: Request, token: str) -> Response:
    return _live(request, _follow_viewer(_store(request), token))


@router.get("/follow/{token}/photos/{event_id}")
def follow_photo(request: Request, token: str, event_id: str) -> Response:
    viewer = _follow_viewer(_store(request), token)
    return _log_photo(_store(request), viewer.assignment_id, event_id)


@router.get("/follow/{token}/engineers/{engineer_id}/photo")
def follow_engineer_photo(request: Request, token: str, engineer_id: str) -> Response:
    viewer = _follow_viewer(_store(request), token)
    return _engineer_photo(_store(request), viewer.assignment_id, engineer_id)
