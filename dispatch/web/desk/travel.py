"""Travel & accommodation for an assignment: tickets and hotels per engineer of the team, entered in the site's
local time (stored UTC), each with an optional PDF; add and remove. The engineer gets them with the
assignment (only their own) and the PDF on the phone (dispatch/travel.py). Audited with the dispatcher."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api_client import texts
from api_client.texts import Language
from api_client.wire import Assignment

from ... import audit, travel
from ...principal import DISPATCHER
from ...store import NotFound
from ..csrf import CSRF
from ..pages import language, render
from ..sessions import DeskPage

router = APIRouter(prefix="/desk/assignments", dependencies=[CSRF], include_in_schema=False)
_LIMITS = {"what": 200, "from_place": 200, "to_place": 200, "hotel_name": 200, "address": 500, "confirmation": 100}
_MB = travel.MAX_PDF_BYTES // (1024 * 1024)


def _page(
    request: Request,
    a: Assignment,
    *,
    errors: dict[str, str] | None = None,
    raw: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    lang = language(request)
    store = request.app.state.store
    names = {e.id: (e.name_ja if lang == "ja" and e.name_ja else e.name) for e in a.engineers}
    done = {"added": "desk.travel.added", "removed": "desk.travel.removed"}.get(request.query_params.get("done", ""))
    return render(
        request,
        "desk/travel.html",
        {
            "a": a,
            "bookings": travel.bookings(store, a.id),
            "names": names,
            "kinds": travel.KINDS,
            "errors": errors or {},
            "raw": raw or {},
            "mb": _MB,
            "zone": a.request.local_start().tzname(),
            "notice": texts.text(done, lang) if done else "",
            "default_start": a.request.local_start().strftime("%Y-%m-%dT%H:%M"),
        },
        status_code=status_code,
    )


@router.get("/{assignment_id}/travel", response_class=HTMLResponse)
def travel_page(request: Request, assignment_id: str, session: DeskPage) -> Response:
    return _page(request, request.app.state.store.assignment(assignment_id, DISPATCHER))


def _local(value: str, tz: ZoneInfo) -> datetime | None:
    """A `datetime-local` value (site time) as an aware datetime; None if it is not one."""
    try:
        parsed = datetime.fromisoformat(value.strip()[:16])
    except ValueError:
        return None
    if parsed.tzinfo is not None or not 2000 <= parsed.year <= 2100:
        return None
    return parsed.replace(tzinfo=tz)


def _booking(raw: dict[str, Any], a: Assignment, lang: Language) -> tuple[travel.BookingIn | None, dict[str, str]]:
    errors: dict[str, str] = {}
    text = {k: " ".join(str(raw.get(k) or "").split()) for k in _LIMITS}
    for k, limit in _LIMITS.items():
        if len(text[k]) > limit:
            errors[k] = texts.text("desk.eng.error.too_long", lang, field=k, limit=limit)
    kind = str(raw.get("kind") or "")
    if kind not in travel.KINDS:
        errors["kind"] = texts.text("desk.travel.error.kind", lang)
    engineer_id = str(raw.get("engineer_id") or "")
    if engineer_id not in {e.id for e in a.engineers}:
        errors["engineer_id"] = texts.text("desk.travel.error.engineer", lang)
    tz = ZoneInfo(a.request.site_timezone)
    starts = _local(str(raw.get("starts_at") or ""), tz)
    if starts is None:
        errors["starts_at"] = texts.text("desk.travel.error.when", lang)
    ends = None
    if str(raw.get("ends_at") or "").strip():
        ends = _local(str(raw["ends_at"]), tz)
        if ends is None:
            errors["ends_at"] = texts.text("desk.travel.error.when", lang).replace("starts_at", "ends_at")
        elif starts is not None and ends <= starts:
            errors["ends_at"] = texts.text("desk.travel.error.order", lang)
    if kind == "hotel" and not text["hotel_name"]:
        errors["hotel_name"] = texts.text("desk.travel.error.hotel", lang)
    if kind in {"train", "flight", "bus"} and not (text["from_place"] and text["to_place"]):
        errors["from_place"] = texts.text("desk.travel.error.route", lang)
    if errors or starts is None:
        return None, errors
    return (
        travel.BookingIn(
            assignment_id=a.id,
            engineer_id=engineer_id,
            kind=kind,
            what=text["what"],
            from_place=text["from_place"],
            to_place=text["to_place"],
            hotel_name=text["hotel_name"],
            address=text["address"],
            starts_at=starts,
            ends_at=ends,
            confirmation=text["confirmation"],
        ),
        errors,
    )


async def _pdf(upload: UploadFile | None, lang: Language, errors: dict[str, str]) -> tuple[bytes | None, str]:
    """The attached PDF, checked by its bytes and size (read up to the limit + 1 byte)."""
    if upload is None or not upload.filename:
        return None, ""
    data = await upload.read(travel.MAX_PDF_BYTES + 1)
    if len(data) > travel.MAX_PDF_BYTES:
        errors["attachment"] = texts.text("desk.travel.error.pdf_size", lang, mb=_MB)
        return None, ""
    if not data.startswith(b"%PDF-"):
        errors["attachment"] = texts.text("desk.travel.error.pdf_type", lang)
        return None, ""
    name = "".join(ch for ch in upload.filename.rsplit("/", 1)[-1] if ch.isprintable())[:200] or "ticket.pdf"
    return data, name


@router.post("/{assignment_id}/travel", response_class=HTMLResponse)
async def add_booking(
    request: Request,
    assignment_id: str,
    session: DeskPage,
    attachment: Annotated[UploadFile | None, File()] = None,
) -> Response:
    store = request.app.state.store
    a = store.assignment(assignment_id, DISPATCHER)
    lang = language(request)
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    data, errors = _booking(raw, a, lang)
    pdf, name = await _pdf(attachment, lang, errors)
    if data is None or errors:
        return _page(request, a, errors=errors, raw=raw, status_code=422)
    try:
        booking = travel.add(store, travel.BookingIn(**{**data.__dict__, "attachment_name": name}), pdf, session.actor)
    except travel.TooMany:
        errors["engineer_id"] = texts.text("desk.travel.error.count", lang, limit=travel.MAX_PER_ENGINEER)
        return _page(request, a, errors=errors, raw=raw, status_code=422)
    audit.record(
        store,
        session.actor,
        "travel_add",
        a.id,
        {"by": session.name, "booking": booking.id, "engineer": booking.engineer_id, "kind": booking.kind},
    )
    if store.live is not None:  # the board and the visit page re-read
        store.live.publish(a.id, "travel")
    return RedirectResponse(f"/desk/assignments/{a.id}/travel?done=added", status_code=303)


@router.post("/{assignment_id}/travel/{booking_id}/remove")
def remove_booking(request: Request, assignment_id: str, booking_id: str, session: DeskPage) -> Response:
    store = request.app.state.store
    store.assignment(assignment_id, DISPATCHER)
    if not travel.remove(store, assignment_id, booking_id):
        raise NotFound(booking_id)
    audit.record(store, session.actor, "travel_remove", assignment_id, {"by": session.name, "booking": booking_id})
    if store.live is not None:
        store.live.publish(assignment_id, "travel")
    return RedirectResponse(f"/desk/assignments/{assignment_id}/travel?done=removed", status_code=303)


@router.get("/{assignment_id}/travel/{booking_id}/attachment")
def booking_attachment(request: Request, assignment_id: str, booking_id: str, session: DeskPage) -> Response:
    name, pdf = travel.attachment(request.app.state.store, assignment_id, booking_id, DISPATCHER)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
