"""The ordering party's start page: the company's visits, newest first, each a link to its live page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from ...db import AssignmentRow
from ..csrf import CSRF
from ..pages import render
from ..sessions import ClientPage

router = APIRouter(prefix="/portal", dependencies=[CSRF], include_in_schema=False)
PAGE_SIZE = 100


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: ClientPage) -> Response:
    store = request.app.state.store
    with store.sessions() as s:
        rows = s.execute(
            select(AssignmentRow.id, AssignmentRow.status, AssignmentRow.visit_start, AssignmentRow.summary)
            .where(AssignmentRow.company_id == session.company_id)
            .order_by(AssignmentRow.visit_start.desc())
            .limit(PAGE_SIZE)
        ).all()
    # The list line's part of the request is stored with the row (title, site zone); an older row has none.
    visits = [
        {"id": r.id, "status": r.status, "start": r.visit_start, **(r.summary or {"title": "", "site_timezone": "UTC"})}
        for r in rows
    ]
    return render(request, "portal/home.html", {"visits": visits})
