"""Accounts of the web pages: client companies and their people, the desk's dispatchers, one-time links and
browser sessions.

Secrets are kept only as digests: a one-time link's token and a session id as SHA-256 (they are long random
values, so a fast hash is enough), a dispatcher's password as argon2 (argon2-cffi: salted, memory-hard, with
its parameters in the hash so they can be raised later).

    company = add_company(store, CompanyIn(name_en="Acme"))
    person = add_person(store, PersonIn(company_id=company.id, name="Aoi", email="aoi@acme.example"))
    token = issue_link(store, "sign_in", person.id, minutes=15)     # mailed; only its digest is stored
    consume_link(store, token, "sign_in") == person.id              # once; None when used, expired or unknown
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update

from api_client.clients import Company, CompanyIn, Person, PersonIn
from api_client.rate_card import RateCard

from .db import CompanyRow, DispatcherRow, PersonRow, SignInLinkRow
from .store import NotFound, Store

_hasher = PasswordHasher()  # argon2id with the library's current defaults (RFC 9106 low-memory profile)
# Verifying against this hash when the address is unknown costs the same as a real check, so the answer time
# does not tell which addresses have accounts.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

LINK_MINUTES = {"sign_in": 15}  # a purpose not listed here lasts DEFAULT_LINK_MINUTES
DEFAULT_LINK_MINUTES = 60 * 24
MIN_PASSWORD_CHARS = 12


class Conflict(ValueError):
    """The change would break a uniqueness rule (an email already used); names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4).upper()}"


# -- companies -----------------------------------------------------------------------------------------
def _company(row: CompanyRow) -> Company:
    return Company.model_validate(
        {
            "id": row.id,
            "name_en": row.name_en,
            "name_ja": row.name_ja,
            "language": row.language,
            "notify_emails": row.notify_emails or [],
            "retainer": row.retainer,
            "rate_card": row.rate_card,
            "show_log_photos": row.show_log_photos is not False,
        }
    )


def _company_fields(data: CompanyIn) -> dict[str, object]:
    dumped = data.model_dump(mode="json")
    keys = ("name_en", "name_ja", "language", "notify_emails", "retainer", "rate_card", "show_log_photos")
    return {k: dumped[k] for k in keys}


def add_company(store: Store, data: CompanyIn) -> Company:
    row = CompanyRow(id=_new_id("CO"), created_at=store.clock(), **_company_fields(data))
    with store.writing() as s:
        s.add(row)
    return _company(row)


def update_company(store: Store, company_id: str, data: CompanyIn) -> Company:
    with store.writing() as s:
        row = s.get(CompanyRow, company_id)
        if row is None:
            raise NotFound(company_id)
        for key, value in _company_fields(data).items():
            setattr(row, key, value)
        return _company(row)


def company(store: Store, company_id: str) -> Company:
    with store.sessions() as s:
        row = s.get(CompanyRow, company_id)
        if row is None:
            raise NotFound(company_id)
        return _company(row)


def companies(store: Store) -> list[Company]:
    with store.sessions() as s:
        return [_company(r) for r in s.scalars(select(CompanyRow).order_by(CompanyRow.name_en, CompanyRow.id))]


def rate_card_of(store: Store, company_id: str | None) -> RateCard:
    """The company's contract card, or the service's default."""
    if company_id is not None:
        found = company(store, company_id).rate_card
        if found is not None:
            return found
    return store.card


# -- people --------------------------------------------------------------------------------------------
def _person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        company_id=row.company_id,
        name=row.name,
        email=row.email,
        phone=row.phone,
        may_request=row.may_request,
        may_approve=row.may_approve,
        language=row.language,
        active=row.active,
    )


def add_person(store: Store, data: PersonIn) -> Person:
    email = data.email.lower()
    with store.writing() as s:
        if s.get(CompanyRow, data.company_id) is None:
            raise NotFound(data.company_id)
        if s.scalar(select(PersonRow.id).where(PersonRow.email == email)) is not None:
            raise Conflict("email", f"email: {email} already belongs to a person")
        row = PersonRow(
            id=_new_id("P"),
            company_id=data.company_id,
            name=data.name,
            email=email,
            phone=data.phone,
            may_request=data.may_request,
            may_approve=data.may_approve,
            language=data.language,
            active=True,
            created_at=store.clock(),
        )
        s.add(row)
    return _person(row)


def update_person(store: Store, person_id: str, data: PersonIn, *, active: bool = True) -> Person:
    email = data.email.lower()
    with store.writing() as s:
        row = s.get(PersonRow, person_id)
        if row is None or s.get(CompanyRow, data.company_id) is None:
            raise NotFound(person_id)
        clash = s.scalar(select(PersonRow.id).where(PersonRow.email == email, PersonRow.id != person_id))
        if clash is not None:
            raise Conflict("email", f"email: {email} already belongs to a person")
        row.company_id, row.name, row.email, row.phone = data.company_id, data.name, email, data.phone
        row.may_request, row.may_approve, row.language, row.active = (
            data.may_request,
            data.may_approve,
            data.language,
            active,
        )
        return _person(row)


def person(store: Store, person_id: str) -> Person:
    with store.sessions() as s:
        row = s.get(PersonRow, person_id)
        if row is None:
            raise NotFound(person_id)
        return _person(row)


def person_by_email(store: Store, email: str) -> Person | None:
    with store.sessions() as s:
        row = s.scalar(select(PersonRow).where(PersonRow.email == email.strip().lower()))
        return None if row is None else _person(row)


def people(store: Store, company_id: str) -> list[Person]:
    with store.sessions() as s:
        query = select(PersonRow).where(PersonRow.company_id == company_id).order_by(PersonRow.name)
        return [_person(r) for r in s.scalars(query)]


def approvers(store: Store, company_id: str) -> list[Person]:
    return [p for p in people(store, company_id) if p.may_approve and p.active]


# -- dispatchers ---------------------------------------------------------------------------------------
def add_dispatcher(
    store: Store, name: str, email: str, password: str, *, is_admin: bool = False, language: str = "en"
) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"password: at least {MIN_PASSWORD_CHARS} characters")
    if not name.strip():
        raise ValueError("name: required")
    email = email.strip().lower()
    if "@" not in email:
        raise ValueError("email: not an email address")
    with store.writing() as s:
        if s.scalar(select(DispatcherRow.id).where(DispatcherRow.email == email)) is not None:
            raise Conflict("email", f"email: {email} already belongs to a dispatcher")
        row = DispatcherRow(
            id=_new_id("D"),
            name=name.strip(),
            email=email,
            password_hash=_hasher.hash(password),
            is_admin=is_admin,
            active=True,
            language=language if language in ("en", "ja") else "en",
            created_at=store.clock(),
        )
        s.add(row)
        return row.id


def verify_dispatcher_password(store: Store, email: str, password: str) -> DispatcherRow | None:
    """The active dispatcher with this address and password, or None (same work either way)."""
    with store.sessions() as s:
        row = s.scalar(select(DispatcherRow).where(DispatcherRow.email == email.strip().lower()))
    try:
        _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(row.password_hash):  # parameters raised since: store the stronger hash
        with store.writing() as s:
            s.execute(
                update(DispatcherRow).where(DispatcherRow.id == row.id).values(password_hash=_hasher.hash(password))
            )
    return row


def dispatcher(store: Store, dispatcher_id: str) -> DispatcherRow | None:
    with store.sessions() as s:
        return s.get(DispatcherRow, dispatcher_id)


def dispatchers(store: Store) -> list[DispatcherRow]:
    with store.sessions() as s:
        return list(s.scalars(select(DispatcherRow).order_by(DispatcherRow.name)))


def dispatcher_count(store: Store) -> int:
    with store.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(DispatcherRow)) or 0)


def set_dispatcher_active(store: Store, dispatcher_id: str, active: bool) -> None:
    with store.writing() as s:
        row = s.get(DispatcherRow, dispatcher_id)
        if row is None:
            raise NotFound(dispatcher_id)
        row.active = active


# -- one-time links ------------------------------------------------------------------------------------
def issue_link(store: Store, purpose: str, subject_id: str, minutes: int | None = None) -> str:
    """A new single-use token for `purpose` (e.g. "sign_in", "decide_proposal"); put it in a URL and mail it."""
    token = secrets.token_urlsafe(32)
    now = store.clock()
    ttl = minutes if minutes is not None else LINK_MINUTES.get(purpose, DEFAULT_LINK_MINUTES)
    with store.writing() as s:
        s.add(
            SignInLinkRow(
                sha256=digest(token),
                purpose=purpose,
                subject_id=subject_id,
                created_at=now,
                expires_at=now + timedelta(minutes=ttl),
                used_at=None,
            )
        )
    return token


def peek_link(store: Store, token: str, purpose: str) -> str | None:
    """Whose link this is, if it is still usable — without using it (for the confirm page a GET shows)."""
    if len(token) > 200:
        return None
    with store.sessions() as s:
        row = s.get(SignInLinkRow, digest(token))
        if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= store.clock():
            return None
        return row.subject_id


def consume_link(store: Store, token: str, purpose: str) -> str | None:
    """Use the link once: its subject, or None when unknown, for another purpose, used or expired. The update
    is conditional on `used_at IS NULL`, so two simultaneous uses cannot both succeed."""
    if len(token) > 200:
        return None
    now = store.clock()
    with store.writing() as s:
        row = s.get(SignInLinkRow, digest(token))
        if row is None or row.purpose != purpose or row.expires_at <= now:
            return None
        done = s.execute(
            update(SignInLinkRow)
            .where(SignInLinkRow.sha256 == row.sha256, SignInLinkRow.used_at.is_(None))
            .values(used_at=now)
        )
        return row.subject_id if done.rowcount == 1 else None
