"""The desk's client pages (`/desk/clients`): companies (names EN/JA, language, notify addresses, retainer SLA)
and their people (may request / may approve), and the contract's rate card uploaded as JSON and validated by
the same model the service bills with (`api_client.rate_card.RateCard`). A mistake is shown on the page with
its field and rule, and nothing already saved is lost. Every change is in the audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api_client.clients import Company, CompanyIn, PersonIn
from api_client.rate_card import RateCard
from api_client.texts import text

from ... import accounts, audit
from ...store import NotFound, Store
from ..csrf import CSRF
from ..pages import language, render
from ..sessions import DeskPage, end_sessions_of

router = APIRouter(prefix="/desk/clients", dependencies=[CSRF], include_in_schema=False)
MAX_RATE_CARD_BYTES = 64_000  # a rate card is a few hundred bytes: README "Limits"


@dataclass(frozen=True)
class Problem:
    field: str  # dotted path, e.g. "hourly_rates.senior"
    rule: str  # pydantic's error type, e.g. "greater_than_equal"
    message: str

    @property
    def top(self) -> str:
        return self.field.split(".")[0]


def problems_of(exc: ValidationError) -> list[Problem]:
    return [
        Problem(".".join(str(p) for p in e["loc"]) or "(body)", e["type"], e["msg"].removeprefix("Value error, "))
        for e in exc.errors(include_url=False)
    ]


def _key(value: str) -> str:
    """An id from the path before it reaches the database (NUL, control characters, over-long: not found)."""
    if len(value) > 40 or not value.isprintable():
        raise NotFound(value[:40].encode("unicode_escape").decode())
    return value


def _store(request: Request) -> Store:
    return request.app.state.store


def _company_data(form: dict[str, str], rate_card: RateCard | None) -> dict[str, Any]:
    retainer_fields = (form.get("retainer_from", ""), form.get("retainer_until", ""), form.get("retainer_minutes", ""))
    retainer = None
    if any(f.strip() for f in retainer_fields):
        retainer = {
            "valid_from": retainer_fields[0].strip() or None,
            "valid_until": retainer_fields[1].strip() or None,
            "response_minutes": retainer_fields[2].strip() or None,
        }
    return {
        "name_en": form.get("name_en", "").strip(),
        "name_ja": form.get("name_ja", "").strip(),
        "language": form.get("language", "en"),
        "notify_emails": [line.strip() for line in form.get("notify_emails", "").splitlines() if line.strip()],
        "retainer": retainer,
        "rate_card": None if rate_card is None else rate_card.model_dump(mode="json"),
    }


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _list_page(request: Request, **values: Any) -> Response:
    status_code = values.pop("status_code", 200)
    companies = accounts.companies(_store(request))
    return render(request, "desk/clients.html", {"companies": companies, **values}, status_code=status_code)


def _company_page(request: Request, company: Company, **values: Any) -> Response:
    status_code = values.pop("status_code", 200)
    store = _store(request)
    people = accounts.people(store, company.id)
    values = {
        "company": company,
        "people": people,
        "default_card": store.card,
        "saved": request.query_params.get("saved") == "1",
        "max_rate_card_bytes": MAX_RATE_CARD_BYTES,
        **values,
    }
    return render(request, "desk/client.html", values, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def clients(request: Request, session: DeskPage) -> Response:
    return _list_page(request)


@router.post("", response_class=HTMLResponse)
async def create_client(request: Request, session: DeskPage) -> Response:
    form = await _form(request)
    try:
        data = CompanyIn.model_validate(_company_data(form, None))
    except ValidationError as exc:
        return _list_page(request, problems=problems_of(exc), form=form, status_code=422)
    company = accounts.add_company(_store(request), data)
    audit.record(_store(request), session.actor, "company_create", None, {"company": company.id})
    return RedirectResponse(f"/desk/clients/{company.id}?saved=1", status_code=303)


@router.get("/{company_id}", response_class=HTMLResponse)
def client_page(request: Request, company_id: str, session: DeskPage) -> Response:
    return _company_page(request, accounts.company(_store(request), _key(company_id)))


@router.post("/{company_id}", response_class=HTMLResponse)
async def update_client(request: Request, company_id: str, session: DeskPage) -> Response:
    store = _store(request)
    company = accounts.company(store, _key(company_id))
    form = await _form(request)
    try:
        data = CompanyIn.model_validate(_company_data(form, company.rate_card))
    except ValidationError as exc:
        return _company_page(request, company, problems=problems_of(exc), form=form, status_code=422)
    accounts.update_company(store, company.id, data)
    audit.record(store, session.actor, "company_update", None, {"company": company.id})
    return RedirectResponse(f"/desk/clients/{company.id}?saved=1", status_code=303)


@router.post("/{company_id}/rate-card", response_class=HTMLResponse)
async def upload_rate_card(
    request: Request,
    company_id: str,
    session: DeskPage,
    card_file: Annotated[UploadFile | None, File()] = None,
    card_json: Annotated[str, Form(max_length=MAX_RATE_CARD_BYTES)] = "",
) -> Response:
    store = _store(request)
    company = accounts.company(store, _key(company_id))
    lang = language(request)
    raw = card_json.encode()
    if card_file is not None and card_file.filename:
        raw = await card_file.read(MAX_RATE_CARD_BYTES + 1)
    card_problems: list[Problem] = []
    if len(raw) > MAX_RATE_CARD_BYTES:
        rule = text("desk.clients.rate_card.too_large", lang, n=MAX_RATE_CARD_BYTES)
        card_problems = [Problem("(file)", "too_large", rule)]
    elif not raw.strip():
        card_problems = [Problem("(file)", "missing", text("desk.clients.rate_card.empty", lang))]
    else:
        try:
            card = RateCard.model_validate(json.loads(raw))
        except (ValueError, UnicodeDecodeError) as exc:
            if isinstance(exc, ValidationError):
                card_problems = problems_of(exc)
            else:
                why = text("desk.clients.rate_card.not_json", lang, why=str(exc)[:200])
                card_problems = [Problem("(file)", "json_invalid", why)]
    if card_problems:
        return _company_page(request, company, card_problems=card_problems, status_code=422)
    data = CompanyIn.model_validate({**company.model_dump(mode="json", exclude={"id"}), "rate_card": card})
    accounts.update_company(store, company.id, data)
    audit.record(store, session.actor, "rate_card_upload", None, {"company": company.id, "label": card.label})
    return RedirectResponse(f"/desk/clients/{company.id}?saved=1", status_code=303)


@router.post("/{company_id}/rate-card/remove", response_class=HTMLResponse)
def remove_rate_card(request: Request, company_id: str, session: DeskPage) -> Response:
    store = _store(request)
    company = accounts.company(store, _key(company_id))
    data = CompanyIn.model_validate({**company.model_dump(mode="json", exclude={"id"}), "rate_card": None})
    accounts.update_company(store, company.id, data)
    audit.record(store, session.actor, "rate_card_remove", None, {"company": company.id})
    return RedirectResponse(f"/desk/clients/{company.id}?saved=1", status_code=303)


def _person_data(company_id: str, form: dict[str, str]) -> dict[str, Any]:
    return {
        "company_id": company_id,
        "name": form.get("name", "").strip(),
        "email": form.get("email", "").strip(),
        "phone": form.get("phone", "").strip() or None,
        "may_request": form.get("may_request") == "on",
        "may_approve": form.get("may_approve") == "on",
        "language": form.get("language", "en"),
    }


@router.post("/{company_id}/people", response_class=HTMLResponse)
async def add_person(request: Request, company_id: str, session: DeskPage) -> Response:
    store = _store(request)
    company = accounts.company(store, _key(company_id))
    form = await _form(request)
    try:
        person = accounts.add_person(store, PersonIn.model_validate(_person_data(company.id, form)))
    except ValidationError as exc:
        return _company_page(request, company, person_problems=problems_of(exc), person_form=form, status_code=422)
    except accounts.Conflict as exc:
        found = [Problem(exc.field, "unique", str(exc))]
        return _company_page(request, company, person_problems=found, person_form=form, status_code=409)
    audit.record(store, session.actor, "person_add", None, {"company": company.id, "person": person.id})
    return RedirectResponse(f"/desk/clients/{company.id}?saved=1", status_code=303)


@router.post("/{company_id}/people/{person_id}", response_class=HTMLResponse)
async def update_person(request: Request, company_id: str, person_id: str, session: DeskPage) -> Response:
    store = _store(request)
    company = accounts.company(store, _key(company_id))
    person = accounts.person(store, _key(person_id))
    if person.company_id != company.id:
        raise NotFound(person_id)
    form = await _form(request)
    active = form.get("active") == "on"
    try:
        accounts.update_person(store, person.id, PersonIn.model_validate(_person_data(company.id, form)), active=active)
    except ValidationError as exc:
        return _company_page(request, company, person_problems=problems_of(exc), status_code=422)
    except accounts.Conflict as exc:
        return _company_page(
            request, company, person_problems=[Problem(exc.field, "unique", str(exc))], status_code=409
        )
    if not active:
        end_sessions_of(store, person.id)
    audit.record(store, session.actor, "person_update", None, {"person": person.id, "active": active})
    return RedirectResponse(f"/desk/clients/{company.id}?saved=1", status_code=303)
