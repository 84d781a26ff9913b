"""Record an approval the client gave by phone: one route and one form (`templates/desk/_phone_approval.html`),
offered on the assignment's page and on its candidates page (right after proposing, the client often says yes on
the same call). An `ApproveEvent` naming who gave it goes through the store's dispatcher path, so the lifecycle
still decides (only a proposed visit; the SLA clock starts at the service's time); the audit entry names who
typed it. A mistake is shown on the page the form was sent from, with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api_client.events import ApproveEvent
from api_client.rules.lifecycle import Refused
from api_client.texts import text

from ... import audit
from ...principal import DISPATCHER
from ..csrf import CSRF
from ..pages import language
from ..sessions import DeskPage
from . import candidates, visit

router = APIRouter(prefix="/desk/assignments", dependencies=[CSRF], include_in_schema=False)
MAX_APPROVER_CHARS = 200

# The pages that offer the form: how each shows a mistake, and where each returns after the approval.
_PAGES: dict[str, tuple[Callable[..., Response], str]] = {
    "visit": (visit.page, "/desk/assignments/{id}?done=1"),
    "candidates": (candidates.page, "/desk/assignments/{id}/candidates?done=approved"),
}


@router.post("/{assignment_id}/approve-by-phone", response_class=HTMLResponse)
def approve_by_phone(
    request: Request,
    assignment_id: str,
    session: DeskPage,
    approved_by: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "visit",
) -> Response:
    store = request.app.state.store
    store.assignment(assignment_id, DISPATCHER)  # NotFound: the 404 page, before anything else
    show, done = _PAGES.get(back, _PAGES["visit"])
    lang = language(request)
    name = " ".join(approved_by.split())
    typed = approved_by[:MAX_APPROVER_CHARS]
    if not name or len(name) > MAX_APPROVER_CHARS:
        error = text("desk.cand.phone.by_missing", lang)
        return show(request, assignment_id, error=error, status_code=422, approver=typed)
    try:  # the event's own model checks the text (NUL, invalid Unicode)
        event = ApproveEvent(assignment_id=assignment_id, device_time=store.clock(), approved_by=name)
    except ValidationError as exc:
        error = "; ".join(f"approved_by — {e['type']} — {e['msg']}" for e in exc.errors())
        return show(request, assignment_id, error=error, status_code=422, approver="")
    try:
        store.dispatcher_action(event)
    except Refused as exc:
        error = candidates.refused_text(exc, lang)
        return show(request, assignment_id, error=error, status_code=409, approver=name)
    detail = {"by": session.name, "approved_by": name, "event": str(event.id)}
    audit.record(store, session.actor, "approve_by_phone", assignment_id, detail)
    return RedirectResponse(done.format(id=assignment_id), status_code=303)
