""" "Request a visit" at the desk: a dispatcher enters a request a client phoned in, on the client's behalf, with
the caller's name (see web/request_pages.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .. import request_pages as pages
from ..csrf import CSRF
from ..sessions import DeskPage

router = APIRouter(prefix="/desk/requests", dependencies=[CSRF], include_in_schema=False)
AREA = pages.Area("desk")


@router.get("/new", response_class=HTMLResponse)
def new(request: Request, session: DeskPage, company: str = "") -> Response:
    """`?company=<id>`: whose request this is; without it, the list of companies to choose from."""
    if not company:
        return pages.choose_company(request, session)
    return pages.blank_form(request, AREA, session, company)


@router.post("/new")
async def first_save(request: Request, session: DeskPage, company: str = "") -> Response:
    return await pages.post_form(request, AREA, session, None, company)


@router.post("/check", response_class=HTMLResponse)
async def check(request: Request, session: DeskPage) -> Response:
    return await pages.check_field(request, AREA, session)


@router.get("/drafts/{draft_id}", response_class=HTMLResponse)
def draft(request: Request, draft_id: str, session: DeskPage) -> Response:
    return pages.draft_page(request, AREA, session, draft_id)


@router.post("/drafts/{draft_id}")
async def save(request: Request, draft_id: str, session: DeskPage) -> Response:
    return await pages.post_form(request, AREA, session, draft_id, None)


@router.get("/drafts/{draft_id}/confirm", response_class=HTMLResponse)
def confirm(request: Request, draft_id: str, session: DeskPage) -> Response:
    return pages.confirm_page(request, AREA, session, draft_id)


@router.post("/drafts/{draft_id}/confirm")
def send(request: Request, draft_id: str, session: DeskPage) -> Response:
    return pages.post_confirm(request, AREA, session, draft_id)


@router.get("/drafts/{draft_id}/documents/{document_id}")
def document(request: Request, draft_id: str, document_id: str, session: DeskPage) -> Response:
    return pages.draft_document_file(request, session, draft_id, document_id)


@router.get("/{assignment_id}/sent", response_class=HTMLResponse)
def sent(request: Request, assignment_id: str, session: DeskPage) -> Response:
    return pages.sent_page(request, AREA, session, assignment_id)
