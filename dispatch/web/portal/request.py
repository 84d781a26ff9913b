""" "Request a visit" on the portal: a person of the client company who may request (see web/request_pages.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .. import request_pages as pages
from ..csrf import CSRF
from ..sessions import ClientPage

router = APIRouter(prefix="/portal/requests", dependencies=[CSRF], include_in_schema=False)
AREA = pages.Area("portal")


@router.get("/new", response_class=HTMLResponse)
def new(request: Request, session: ClientPage) -> Response:
    return pages.blank_form(request, AREA, session, session.company_id)


@router.post("/new")
async def first_save(request: Request, session: ClientPage) -> Response:
    return await pages.post_form(request, AREA, session, None, session.company_id)


@router.post("/check", response_class=HTMLResponse)
async def check(request: Request, session: ClientPage) -> Response:
    return await pages.check_field(request, AREA, session)


@router.get("/drafts/{draft_id}", response_class=HTMLResponse)
def draft(request: Request, draft_id: str, session: ClientPage) -> Response:
    return pages.draft_page(request, AREA, session, draft_id)


@router.post("/drafts/{draft_id}")
async def save(request: Request, draft_id: str, session: ClientPage) -> Response:
    return await pages.post_form(request, AREA, session, draft_id, session.company_id)


@router.get("/drafts/{draft_id}/confirm", response_class=HTMLResponse)
def confirm(request: Request, draft_id: str, session: ClientPage) -> Response:
    return pages.confirm_page(request, AREA, session, draft_id)


@router.post("/drafts/{draft_id}/confirm")
def send(request: Request, draft_id: str, session: ClientPage) -> Response:
    return pages.post_confirm(request, AREA, session, draft_id)


@router.get("/drafts/{draft_id}/documents/{document_id}")
def document(request: Request, draft_id: str, document_id: str, session: ClientPage) -> Response:
    return pages.draft_document_file(request, session, draft_id, document_id)


@router.get("/{assignment_id}/sent", response_class=HTMLResponse)
def sent(request: Request, assignment_id: str, session: ClientPage) -> Response:
    return pages.sent_page(request, AREA, session, assignment_id)
