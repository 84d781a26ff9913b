"""The pages of "Request a visit", for both areas: the portal (a client's person who may request) and the desk
(a dispatcher entering a request a client phoned in). Thin routes over `request_form` (the form's rules) and a
drafts table (everything typed is kept server-side; every post answers 303 to the draft's page, which
re-renders from the draft — so a reload never re-posts and a mistake loses nothing).

    /<area>/requests/new                      GET a blank form · POST the first save (makes the draft)
    /<area>/requests/drafts/{id}              GET the draft · POST save / add or remove a row / upload / send
    /<area>/requests/drafts/{id}/confirm      the expedite fee, confirmed before sending
    /<area>/requests/drafts/{id}/documents/{doc}   an uploaded document, back to its uploader
    /<area>/requests/{assignment id}/sent     the confirmation (Class 4: the number to call now)
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from api_client.clients import Company
from api_client.documents import MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, DocumentRef
from api_client.rate_card import RateCard
from api_client.texts import Language

from .. import audit
from ..accounts import companies, dispatcher, rate_card_of
from ..accounts import company as load_company
from ..accounts import person as load_person
from ..api.routes.documents import document_response
from ..db import AssignmentRow, DocumentRow, RequestDraftRow
from ..documents import (
    DocumentRefused,
    add_document,
    count_on_draft,
    draft_document,
    draft_documents,
    remove_from_draft,
)
from ..principal import SYSTEM
from ..settings import DEMO_EMERGENCY_PHONE
from ..store import NotFound, Store
from . import request_form as rf
from .pages import language, render
from .sessions import WebSession

UPLOAD_ERRORS = "_upload_errors"  # kept in the draft until the next post, so the page can say what was refused


class AlreadySent(Exception):
    """The draft became an assignment meanwhile (another tab, a double click): nothing more is created."""


@dataclass(frozen=True)
class Area:
    name: str  # portal | desk

    @property
    def base(self) -> str:
        return f"/{self.name}/requests"

    @property
    def desk(self) -> bool:
        return self.name == "desk"


def _store(request: Request) -> Store:
    return request.app.state.store


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def may_request(session: WebSession) -> None:
    if session.kind == "client" and not session.may_request:
        raise HTTPException(403, "Your account may not request visits: ask your company's eCorpOne contact.")


def _company(store: Store, company_id: str | None) -> Company:
    if not company_id:
        raise HTTPException(404, "Not found")
    try:
        return load_company(store, company_id[:40])
    except NotFound as exc:
        raise HTTPException(404, "Not found") from exc


def _draft(store: Store, draft_id: str, session: WebSession) -> RequestDraftRow:
    """The draft, only for whoever started it (another person's or company's draft does not exist for them)."""
    with store.sessions() as s:
        row = s.get(RequestDraftRow, draft_id[:40])
    if row is None or row.owner != session.actor:
        raise HTTPException(404, "Not found")
    return row


def _new_fields(store: Store, session: WebSession, company: Company, lang: Language) -> dict[str, str]:
    if session.kind == "client" and session.person_id:
        p = load_person(store, session.person_id)
        return rf.default_fields(company, lang, p.name, p.email, p.phone or "")
    return rf.default_fields(company, lang)


# -- pages ----------------------------------------------------------------------------------------------------
def blank_form(request: Request, area: Area, session: WebSession, company_id: str | None) -> Response:
    may_request(session)
    store = _store(request)
    company = _company(store, company_id)
    fields = _new_fields(store, session, company, language(request))
    return _form_page(request, area, session, company, None, fields, {}, [])


def choose_company(request: Request, session: WebSession) -> Response:
    """The desk picks whose request it is taking by phone."""
    return render(request, "request/choose_company.html", {"area": "desk", "companies": companies(_store(request))})


def draft_page(request: Request, area: Area, session: WebSession, draft_id: str) -> Response:
    may_request(session)
    store = _store(request)
    draft = _draft(store, draft_id, session)
    if draft.assignment_id:
        return _see_other(f"{area.base}/{draft.assignment_id}/sent")
    company = _company(store, draft.company_id)
    fields = dict(draft.fields)
    upload_errors = fields.pop(UPLOAD_ERRORS, [])
    documents = draft_documents(store, draft.id)
    errors: dict[str, list[str]] = {}
    if draft.show_errors:
        errors = rf.check(
            fields, rf.retainer_covers(company, fields), documents, language(request), desk=area.desk
        ).errors
    return _form_page(request, area, session, company, draft, fields, errors, upload_errors, documents)


def _form_page(
    request: Request,
    area: Area,
    session: WebSession,
    company: Company,
    draft: RequestDraftRow | None,
    fields: dict[str, str],
    errors: dict[str, list[str]],
    upload_errors: list[list[str]],
    documents: list[DocumentRef] | None = None,
) -> Response:
    store = _store(request)
    documents = documents if documents is not None else []
    settings = request.app.state.settings
    card = rate_card_of(store, company.id)
    action = f"{area.base}/drafts/{draft.id}" if draft else f"{area.base}/new"
    if draft is None and area.desk:
        action += f"?company={company.id}"
    values: dict[str, Any] = {
        "area": area.name,
        "form_action": action,
        "draft": draft,
        "company": company,
        "fields": fields,
        "errors": errors,
        "error_count": sum(len(v) for v in errors.values()),
        "unplaced": sorted((k, v) for k, v in errors.items() if k not in rf.placed(fields)),
        "documents": documents,
        "upload_errors": upload_errors,
        "zones": rf.ZONES,
        "max_rows": rf.MAX_ROWS,
        "pins": {
            i: rf.maps_pin(fields.get(f"locations.{i}.maps_url", "")) for i in range(rf.count(fields, "locations"))
        },
        "card": card,
        "emergency_phone": settings.emergency_phone,
        "emergency_is_demo": settings.emergency_phone == DEMO_EMERGENCY_PHONE,
        "max_documents": MAX_DOCUMENTS,
        "file_size": file_size,
        "max_document_mb": MAX_DOCUMENT_BYTES // 1_000_000,
    }
    return render(request, "request/form.html", values)


async def post_form(
    request: Request, area: Area, session: WebSession, draft_id: str | None, company_id: str | None
) -> Response:
    """Save what was posted (the whole form: it is the draft), then do what the pressed button asks."""
    may_request(session)
    store = _store(request)
    form = await request.form()
    fields = rf.read_form(form)
    action = form.get("action")
    action = action if isinstance(action, str) else "save"
    show_errors = action == "send"
    if draft_id is None:
        company = _company(store, company_id if area.desk else session.company_id)
        draft = _create_draft(store, session.actor, company.id, fields, show_errors)
        changed = False
    else:
        draft = _draft(store, draft_id, session)
        if draft.assignment_id:
            return _see_other(f"{area.base}/{draft.assignment_id}/sent")
        company = _company(store, draft.company_id)
        show_errors = show_errors or draft.show_errors
        changed = True
    if rf.is_row_action(action):
        fields, changed = rf.apply_row_action(fields, action), True
    if action.startswith("remove_document:"):
        remove_from_draft(store, draft.id, action.partition(":")[2])
    uploads = [f for f in form.getlist("documents") if isinstance(f, UploadFile) and f.filename]
    upload_errors = await _store_uploads(store, draft.id, session, fields.get("document_kind", "other"), uploads)
    if changed or upload_errors:  # a new draft was stored with these fields already
        _save_draft(store, draft.id, {**fields, UPLOAD_ERRORS: upload_errors}, show_errors)
    page = f"{area.base}/drafts/{draft.id}"
    if action != "send" or upload_errors:
        anchor = "#documents" if uploads or action.startswith("remove_document:") else ""
        if rf.is_row_action(action):
            anchor = "#" + _anchor(action)
        return _see_other(page + anchor)
    checked = _check(request, area, company, draft.id, fields)
    if not checked.ok:
        return _see_other(page + "#errors")
    assert checked.request is not None
    if rf.expedite_due(checked.request, store.clock(), rate_card_of(store, company.id), company) is not None:
        return _see_other(page + "/confirm")
    return _send(request, area, session, draft.id, company, fields, checked)


def _anchor(action: str) -> str:
    verb, _, target = action.partition(":")
    if verb == "remove":
        target = target.rpartition(".")[0]
    return "rows-" + target.replace(".", "-")


def _check(request: Request, area: Area, company: Company, draft_id: str, fields: dict[str, str]) -> rf.Checked:
    store = _store(request)
    documents = draft_documents(store, draft_id)
    retainer = rf.retainer_covers(company, fields)
    notify = list(company.notify_emails)
    session = request.state.web_session
    if session is not None and session.person_id:  # the person who asked hears of it too
        notify.append(load_person(store, session.person_id).email)
    return rf.check(fields, retainer, documents, language(request), desk=area.desk, notify=notify)


async def check_field(request: Request, area: Area, session: WebSession) -> Response:
    """htmx's per-field check as a person leaves a field: the same validator on the form as it stands, answered
    with that field's error slot only (nothing is saved; the post of the form remains the record). Without
    JavaScript this never runs, and the errors come with "send"."""
    may_request(session)
    form = await request.form()
    fields = rf.read_form(form)
    name = rf.checked_name(request.headers.get("HX-Trigger-Name", ""))
    if name is None:
        return Response(status_code=204)
    checked = rf.check(fields, False, [], language(request), desk=area.desk)
    return render(request, "request/check.html", {"names": [name], "errors": checked.errors, "fields": fields})


def confirm_page(request: Request, area: Area, session: WebSession, draft_id: str) -> Response:
    """Before an expedited request without a retainer is sent: the fee, in the reader's money format."""
    may_request(session)
    store = _store(request)
    draft = _draft(store, draft_id, session)
    if draft.assignment_id:
        return _see_other(f"{area.base}/{draft.assignment_id}/sent")
    company = _company(store, draft.company_id)
    fields = {k: v for k, v in draft.fields.items() if k != UPLOAD_ERRORS}
    checked = _check(request, area, company, draft.id, fields)
    if not checked.ok:
        return _see_other(f"{area.base}/drafts/{draft.id}#errors")
    assert checked.request is not None
    card: RateCard = rate_card_of(store, company.id)
    expedite = rf.expedite_due(checked.request, store.clock(), card, company)
    settings = request.app.state.settings
    return render(
        request,
        "request/confirm.html",
        {
            "area": area.name,
            "draft": draft,
            "req": checked.request,
            "expedite": expedite,
            "card": card,
            "emergency_phone": settings.emergency_phone,
            "emergency_is_demo": settings.emergency_phone == DEMO_EMERGENCY_PHONE,
            "back": f"{area.base}/drafts/{draft.id}",
        },
    )


def post_confirm(request: Request, area: Area, session: WebSession, draft_id: str) -> Response:
    may_request(session)
    store = _store(request)
    draft = _draft(store, draft_id, session)
    if draft.assignment_id:
        return _see_other(f"{area.base}/{draft.assignment_id}/sent")
    company = _company(store, draft.company_id)
    fields = {k: v for k, v in draft.fields.items() if k != UPLOAD_ERRORS}
    return _send(request, area, session, draft.id, company, fields)


def _send(
    request: Request,
    area: Area,
    session: WebSession,
    draft_id: str,
    company: Company,
    fields: dict[str, str],
    checked: rf.Checked | None = None,
) -> Response:
    """Create the assignment once: the draft is claimed first, so a double click or a second tab cannot send the
    same request twice. The new request reaches the desk's intake on the live bus (Class 4 with its alarm)."""
    store = _store(request)
    checked = checked or _check(request, area, company, draft_id, fields)
    if not checked.ok or checked.request is None:
        return _see_other(f"{area.base}/drafts/{draft_id}#errors")
    caller = fields.get("caller_name", "").strip()[:200] if area.desk else None
    detail: dict[str, Any] = {"company": company.id, "urgency": checked.request.urgency, "draft": draft_id}
    if caller:
        detail["caller"] = caller

    def claim_draft(s: Session, assignment_id: str) -> None:
        """In the creating transaction: the draft is claimed only if not sent yet (a double click or a second tab
        cannot send it twice), its documents move to the assignment, and the audit entry is written."""
        claimed = s.execute(
            update(RequestDraftRow)
            .where(RequestDraftRow.id == draft_id, RequestDraftRow.assignment_id.is_(None))
            .values(assignment_id=assignment_id)
        ).rowcount
        if claimed != 1:
            raise AlreadySent(draft_id)
        s.execute(
            update(DocumentRow)
            .where(DocumentRow.draft_id == draft_id, DocumentRow.assignment_id.is_(None))
            .values(assignment_id=assignment_id)
        )
        action = "request_by_phone" if area.desk else "request"
        audit.record(store, session.actor, action, assignment_id, detail, session=s)

    try:
        created = store.create_assignment(
            checked.request,
            company_id=company.id,
            requested_by=session.person_id,
            requested_by_phone=caller,
            also=claim_draft,
        )
    except AlreadySent:
        return _see_other(f"{area.base}/drafts/{draft_id}")
    return _see_other(f"{area.base}/{created.id}/sent")


def sent_page(request: Request, area: Area, session: WebSession, assignment_id: str) -> Response:
    store = _store(request)
    with store.sessions() as s:
        row = s.get(AssignmentRow, assignment_id[:40])
        if row is None or (session.kind == "client" and row.company_id != session.company_id):
            raise HTTPException(404, "Not found")
        caller = row.requested_by_phone
    settings = request.app.state.settings
    assignment = store.assignment(row.id, SYSTEM)
    return render(
        request,
        "request/sent.html",
        {
            "area": area.name,
            "a": assignment,
            "caller": caller,
            "emergency_phone": settings.emergency_phone,
            "emergency_is_demo": settings.emergency_phone == DEMO_EMERGENCY_PHONE,
        },
    )


def draft_document_file(request: Request, session: WebSession, draft_id: str, document_id: str) -> Response:
    store = _store(request)
    draft = _draft(store, draft_id, session)
    row = draft_document(store, draft.id, document_id)
    if row is None:
        raise HTTPException(404, "Not found")
    return document_response(row.content, row.name, row.content_type, row.sha256)


def file_size(size: int) -> str:
    """1 234 567 -> '1.2 MB', 45 678 -> '46 kB', 512 -> '512 B' (decimal units, as file managers show)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{round(size / 1000)} kB" if size >= 1000 else f"{size} B"


# -- drafts and uploads ---------------------------------------------------------------------------------------
def _create_draft(
    store: Store, owner: str, company_id: str, fields: dict[str, str], show_errors: bool
) -> RequestDraftRow:
    now = store.clock()
    row = RequestDraftRow(
        id=f"DR-{secrets.token_hex(8).upper()}",
        owner=owner,
        company_id=company_id,
        fields=fields,
        show_errors=show_errors,
        assignment_id=None,
        created_at=now,
        updated_at=now,
    )
    with store.writing() as s:
        s.add(row)
    return row


def _save_draft(store: Store, draft_id: str, fields: dict[str, Any], show_errors: bool) -> None:
    with store.writing() as s:
        s.execute(
            update(RequestDraftRow)
            .where(RequestDraftRow.id == draft_id)
            .values(fields=fields, show_errors=show_errors, updated_at=store.clock())
        )


async def _store_uploads(
    store: Store, draft_id: str, session: WebSession, kind: str, uploads: list[UploadFile]
) -> list[list[str]]:
    """Each file checked before it is read into memory or stored: the count, then the size the upload
    declares, then at most MAX+1 bytes read, then the type from its first bytes. Refusals are (name, rule)."""
    refused: list[list[str]] = []
    if not uploads:
        return refused
    already = count_on_draft(store, draft_id)
    for upload in uploads:
        name = (upload.filename or "document")[:200]
        if already >= MAX_DOCUMENTS:
            refused.append([name, "too_many"])
            continue
        if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
            refused.append([name, "too_large"])
            continue
        content = await upload.read(MAX_DOCUMENT_BYTES + 1)
        try:
            add_document(store, content, name, kind, session.actor, draft_id=draft_id)
        except DocumentRefused as exc:
            refused.append([name, exc.rule])
            continue
        already += 1
    return refused


_FORM_PATH = re.compile(r"/(portal|desk)/requests/(?:new|drafts/([A-Za-z0-9-]{1,40}))")


def keep_typed(
    store: Store, path: str, query_company: str | None, form: FormData, kind: str, subject_id: str
) -> str | None:
    """A request form posted after its person's session expired (`subject_id`, proved by the form's token): the
    typed fields are saved to the draft (a new one for a first save) and its page is returned, to come back to
    after signing in again. Only saved, never sent; files chosen in that post are not kept (chosen again)."""
    found = _FORM_PATH.fullmatch(path)
    if found is None or (found.group(1) == "desk") != (kind == "dispatcher"):
        return None
    area, draft_id = Area(found.group(1)), found.group(2)
    if kind == "client":
        try:
            person = load_person(store, subject_id)
        except NotFound:
            return None
        if not person.active or not person.may_request:
            return None
        owner, company_id = f"person:{person.id}", person.company_id
    else:
        desk = dispatcher(store, subject_id)
        if desk is None or not desk.active:
            return None
        owner, company_id = f"dispatcher:{desk.id}", query_company
    fields = rf.read_form(form)
    if draft_id is None:
        if not company_id:
            return None
        try:
            load_company(store, company_id[:40])
        except NotFound:
            return None
        draft_id = _create_draft(store, owner, company_id[:40], fields, False).id
    else:
        with store.sessions() as s:
            row = s.get(RequestDraftRow, draft_id)
        if row is None or row.owner != owner or row.assignment_id:
            return None
        _save_draft(store, row.id, fields, row.show_errors)
    return f"{area.base}/drafts/{draft_id}"


def drafts_of(store: Store, owner: str, limit: int = 20) -> list[RequestDraftRow]:
    """Unsent drafts of one person, newest first (for a "continue" link)."""
    with store.sessions() as s:
        query = (
            select(RequestDraftRow)
            .where(RequestDraftRow.owner == owner, RequestDraftRow.assignment_id.is_(None))
            .order_by(RequestDraftRow.updated_at.desc())
            .limit(limit)
        )
        return list(s.scalars(query))
