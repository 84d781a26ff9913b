"""The desk's page of one assignment (`/desk/assignments/{id}`): the request in full, the rule results and
missing prerequisites, the team, status and bill, the visit's events, the audit trail, links to the
candidates and travel pages, and the desk actions the store already has as forms with CSRF: an approval given by
phone with who gave it (its route: phone_approval.py), cancel with a reason, close, the overtime review. Every
action is recorded in the audit trail with the signed-in dispatcher."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api_client.events import CancelEvent, CloseEvent, ReviewOvertimeEvent, VisitEvent
from api_client.rules.lifecycle import Refused
from api_client.rules.prerequisites import prerequisites
from api_client.texts import bill_line, bill_notes, refusal, text

from ... import accounts, audit
from ...db import AssignmentRow
from ...store import DISPATCHER, NotFound, Store
from ..csrf import CSRF
from ..pages import language, render
from ..sessions import DeskPage, WebSession
from . import trail

router = APIRouter(prefix="/desk/assignments", dependencies=[CSRF], include_in_schema=False)


def _store(request: Request) -> Store:
    return request.app.state.store


def page(
    request: Request, assignment_id: str, *, error: str = "", status_code: int = 200, approver: str = ""
) -> Response:
    store = _store(request)
    assignment = store.assignment(assignment_id, DISPATCHER)
    events = store.events(assignment_id, DISPATCHER)
    entries = audit.trail(store, assignment_id)
    who = trail.names(store, [e.actor for e in events] + [a.actor for a in entries])
    company = None
    with store.sessions() as s:
        row = s.get(AssignmentRow, assignment_id)
        company_id = row.company_id if row is not None else None
    if company_id:
        try:
            company = accounts.company(store, company_id)
        except NotFound:
            company = None
    lang = language(request)
    bill_lines = []
    if assignment.bill is not None:
        b, r = assignment.bill, assignment.request
        for line in b.lines:  # the service's English lines, read in the reader's language from their codes
            code = "unable" if line.code == "reserved" and assignment.status.value == "unable_to_enter" else line.code
            words = bill_line(
                code,
                lang,
                skill=r.skill_level.value,
                engineer_count=r.engineer_count,
                charged_hours=b.charged_hours,
                overtime_minutes=b.overtime_minutes,
                overtime_billed_minutes=b.overtime_billed_minutes,
            )
            bill_lines.append((words, line.amount))
    values: dict[str, Any] = {
        "a": assignment,
        "bill_lines": bill_lines,
        "bill_notes": bill_notes(assignment.bill, lang) if assignment.bill is not None else [],
        "r": assignment.request,
        "findings": prerequisites(assignment.request, expedited=assignment.expedited),
        "events": events,
        "audit": entries,
        "who": who,
        "company": company,
        "error": error,
        "approver": approver,
        "done": request.query_params.get("done") == "1",
    }
    return render(request, "desk/visit.html", values, status_code=status_code)


@router.get("/{assignment_id}", response_class=HTMLResponse)
def visit_page(request: Request, assignment_id: str, session: DeskPage) -> Response:
    return page(request, assignment_id)


def _act(
    request: Request,
    session: WebSession,
    assignment_id: str,
    make_event: Callable[[], VisitEvent],
    action: str,
    detail: dict[str, Any],
) -> Response:
    store = _store(request)
    store.assignment(assignment_id, DISPATCHER)  # 404 before anything else
    try:
        event = make_event()  # the event's own model checks the typed text (lengths, NUL, invalid Unicode)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))} — {e['type']} — {e['msg']}" for e in exc.errors())
        return page(request, assignment_id, error=problems, status_code=422)
    try:
        store.dispatcher_action(event)
    except Refused as refused:
        lang = language(request)
        reason = refusal(refused.code, lang)
        return page(request, assignment_id, error=text("desk.visit.refused", lang, reason=reason), status_code=409)
    audit.record(store, session.actor, action, assignment_id, detail)
    return RedirectResponse(f"/desk/assignments/{assignment_id}?done=1", status_code=303)


def _required(request: Request, assignment_id: str, field: str, label_key: str) -> Response:
    lang = language(request)
    message = text("desk.visit.field_required", lang, field=text(label_key, lang))
    return page(request, assignment_id, error=f"{field} — {message}", status_code=422)


@router.post("/{assignment_id}/cancel", response_class=HTMLResponse)
def cancel(
    request: Request,
    assignment_id: str,
    session: DeskPage,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    why = reason.strip()
    if not why:
        return _required(request, assignment_id, "reason", "desk.visit.cancel.reason")
    now = _store(request).clock()

    def event() -> VisitEvent:
        return CancelEvent(assignment_id=assignment_id, device_time=now, reason=why)

    return _act(request, session, assignment_id, event, "cancel", {"reason": why})


@router.post("/{assignment_id}/close", response_class=HTMLResponse)
def close(request: Request, assignment_id: str, session: DeskPage) -> Response:
    now = _store(request).clock()

    def event() -> VisitEvent:
        return CloseEvent(assignment_id=assignment_id, device_time=now)

    return _act(request, session, assignment_id, event, "close", {})


@router.post("/{assignment_id}/overtime-review", response_class=HTMLResponse)
def overtime_review(
    request: Request,
    assignment_id: str,
    session: DeskPage,
    decision: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if decision not in ("accept", "decline"):
        return _required(request, assignment_id, "decision", "desk.visit.overtime")
    accept = decision == "accept"
    now = _store(request).clock()

    def event() -> VisitEvent:
        return ReviewOvertimeEvent(assignment_id=assignment_id, device_time=now, accept=accept, note=note.strip())

    detail = {"decision": "accepted" if accept else "declined", "note": note.strip()}
    return _act(request, session, assignment_id, event, "review_overtime", detail)
