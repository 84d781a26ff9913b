"""The desk's start page. (A first version: the desk's own pages — intake, board — replace it.)"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from ...db import AssignmentRow
from ..csrf import CSRF
from ..pages import render
from ..sessions import DeskPage

router = APIRouter(prefix="/desk", dependencies=[CSRF], include_in_schema=False)
PAGE_SIZE = 200


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: DeskPage) -> Response:
    store = request.app.state.store
    with store.sessions() as s:
        rows = s.execute(
            select(AssignmentRow.id, AssignmentRow.status, AssignmentRow.visit_start)
            .order_by(AssignmentRow.visit_start.desc())
            .limit(PAGE_SIZE)
        ).all()
    return render(request, "desk/home.html", {"visits": rows})
