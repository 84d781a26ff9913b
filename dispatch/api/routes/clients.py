"""Client companies and their people, for the dispatcher token (scripts; the desk has pages for it)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from api_client.clients import Company, CompanyIn, Person, PersonIn

from ... import accounts
from ..deps import Dispatcher, StoreDep

router = APIRouter(prefix="/v1/clients", tags=["clients"])
_CONFLICT = {409: {"description": "The email address already belongs to another person"}}


@router.post("", status_code=201)
def add_company(body: CompanyIn, _: Dispatcher, store: StoreDep) -> Company:
    return accounts.add_company(store, body)


@router.get("")
def list_companies(_: Dispatcher, store: StoreDep) -> list[Company]:
    return accounts.companies(store)


@router.get("/{company_id}")
def get_company(company_id: str, _: Dispatcher, store: StoreDep) -> Company:
    return accounts.company(store, company_id)


@router.put("/{company_id}")
def update_company(company_id: str, body: CompanyIn, _: Dispatcher, store: StoreDep) -> Company:
    return accounts.update_company(store, company_id, body)


@router.get("/{company_id}/people")
def list_people(company_id: str, _: Dispatcher, store: StoreDep) -> list[Person]:
    accounts.company(store, company_id)  # 404 for an unknown company, not an empty list
    return accounts.people(store, company_id)


@router.post("/{company_id}/people", status_code=201, responses=_CONFLICT)
def add_person(company_id: str, body: PersonIn, _: Dispatcher, store: StoreDep) -> Person:
    if body.company_id != company_id:
        raise HTTPException(422, "company_id: must match the company in the path")
    try:
        return accounts.add_person(store, body)
    except accounts.Conflict as exc:
        raise HTTPException(409, str(exc)) from exc
