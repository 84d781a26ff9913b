"""The service request: what the ordering party must supply (DOMAIN.md), validated by the seed's rules.

Every rule failure is a pydantic error located at the field it concerns, with a message that states the
rule, so the HTTP API, the CLI import and the app show the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ._base import Instant, RequestModel, RuleViolations
from .contacts import PhoneNumberError, normalise_phone
from .maps import MapsUrlError, parse_maps_url
from .texts import Language

DEFAULT_RESERVED_HOURS = Decimal(2)
DEFAULT_GRACE_MINUTES = 30
MINIMUM_CHARGED_HOURS = Decimal(2)


class SkillLevel(StrEnum):
    entry = "entry"
    senior = "senior"
    specialist = "specialist"

    @property
    def rank(self) -> int:
        return {"entry": 0, "senior": 1, "specialist": 2}[self.value]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _phone(value: str) -> str:
    try:
        return normalise_phone(value)
    except PhoneNumberError as exc:
        raise PydanticCustomError("phone", "phone {why}", {"why": str(exc)}) from exc


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError("email", "email must look like name@example.com")
    return value.lower()


Phone = Annotated[str, AfterValidator(_phone)]
Email = Annotated[str, AfterValidator(_email)]
NonEmpty = Annotated[str, Field(min_length=1, max_length=500)]


class Contact(RequestModel):
    """A person to reach: phone (with country code), e-mail and/or WhatsApp — at least one."""

    name: NonEmpty
    role: str = Field(default="", max_length=200)
    phone: Phone | None = None
    email: Email | None = None
    whatsapp: Phone | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if not (self.phone or self.email or self.whatsapp):
            raise PydanticCustomError("contact_reachable", "a contact needs at least one of phone, email or whatsapp")
        return self


class LocalContact(Contact):
    """The person on site. The seed requires name and phone number for every location."""

    phone: Phone  # type: ignore[assignment]  # required here, optional on Contact


class Location(RequestModel):
    id: str = Field(default="", max_length=40, pattern=r"^[A-Za-z0-9_-]*$")
    name: NonEmpty
    address: NonEmpty
    maps_url: str = Field(min_length=1, max_length=2000)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    floor: str = Field(default="", max_length=100)
    access_notes: str = Field(default="", max_length=4000)
    local_contacts: list[LocalContact] = Field(default_factory=list, max_length=20)

    @field_validator("maps_url")
    @classmethod
    def _maps(cls, value: str) -> str:
        try:
            return parse_maps_url(value).url  # http is stored upgraded to https
        except MapsUrlError as exc:
            raise PydanticCustomError("maps_url", "Google Maps URL {why}", {"why": str(exc)}) from exc

    @model_validator(mode="after")
    def _coordinates(self) -> Self:
        # Coordinates given explicitly win; otherwise take the pin from the URL when it has one.
        if (self.latitude is None) != (self.longitude is None):
            raise PydanticCustomError("coordinates_pair", "latitude and longitude must be given together")
        if self.latitude is None:
            point = parse_maps_url(self.maps_url)
            self.latitude, self.longitude = point.latitude, point.longitude
        return self


class OrderingParty(RequestModel):
    company: NonEmpty
    engineer: Contact = Field(description="The project-management (ordering) company's engineer")
    notify_emails: list[Email] = Field(default_factory=list, max_length=10)


class Item(RequestModel):
    name: NonEmpty
    quantity: int = Field(default=1, ge=1, le=1000)
    requested: bool = Field(
        default=True, description="True: asked for by the client; False: eCorpOne standard equipment"
    )
    note: str = Field(default="", max_length=500)


class PaperworkStatus(StrEnum):
    to_prepare = "to_prepare"
    sent = "sent"
    accepted = "accepted"
    not_needed = "not_needed"


class Paperwork(RequestModel):
    name: NonEmpty
    status: PaperworkStatus = PaperworkStatus.to_prepare
    note: str = Field(default="", max_length=500)


class WorkStep(RequestModel):
    title: NonEmpty
    detail: str = Field(default="", max_length=4000)
    confirm_before: str = Field(default="", max_length=500, description="Confirmation needed before the step")
    confirm_after: str = Field(default="", max_length=500, description="Confirmation needed after the step")
    documents: list[str] = Field(default_factory=list, max_length=20)


class WorkDescription(RequestModel):
    summary: NonEmpty
    target_hardware: str = Field(default="", max_length=1000)
    steps: list[WorkStep] = Field(default_factory=list, max_length=100)
    documents: list[str] = Field(default_factory=list, max_length=50)
    instructions_provided: bool = Field(default=False, description="Well-written instruction documents are provided")
    simple: bool = Field(default=False, description="The work is very simple (no customer assistance needed)")


class Travel(RequestModel):
    required: bool = False
    tickets: list[str] = Field(default_factory=list, max_length=20)
    accommodation: str = Field(default="", max_length=1000)


class LocalContactOverride(RequestModel):
    """The customer forces a visit without a local contact: who decided, and why."""

    forced_by: NonEmpty
    reason: NonEmpty


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk (~10 ms): once per process is enough.
    return frozenset(available_timezones())


_ZONE_MESSAGE = "site_timezone must be an IANA time zone such as Asia/Tokyo"


def _timezone(value: str) -> str:
    # ZoneInfo alone also accepts files such as "localtime" or "posixrules"; the key list does not.
    if value not in _known_zones():
        raise PydanticCustomError("timezone", _ZONE_MESSAGE)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PydanticCustomError("timezone", _ZONE_MESSAGE) from exc
    return value


@dataclass(frozen=True)
class _Facts:
    """What the seed's rules look at; None where that part of the input did not parse (the rule is skipped)."""

    reserved_hours: Decimal | None = None
    languages: list[str] | None = None
    locations: list[tuple[str, str, bool]] | None = None  # (id, name, has a local contact)
    override: bool | None = None
    skill_level: SkillLevel | None = None
    assistance_provided: bool | None = None
    instructions_provided: bool | None = None

    @classmethod
    def of(cls, r: ServiceRequest) -> _Facts:
        return cls(
            r.reserved_hours if not r.reservation_defaulted else None,
            list(r.languages),
            [(loc.id, loc.name, bool(loc.local_contacts)) for loc in r.locations],
            r.local_contact_override is not None,
            r.skill_level,
            r.assistance_provided,
            r.work.instructions_provided,
        )

    @classmethod
    def of_raw(cls, raw: dict[str, Any]) -> _Facts:
        work = raw.get("work") if isinstance(raw.get("work"), dict) else {}
        locations = None
        if isinstance(raw.get("locations"), list) and all(isinstance(x, dict) for x in raw["locations"]):
            locations = [
                (
                    _parsed(str, loc.get("id", "")) or "",
                    _parsed(str, loc.get("name", "")) or f"#{i + 1}",
                    bool(loc.get("local_contacts")),
                )
                for i, loc in enumerate(raw["locations"])
            ]
        return cls(
            _parsed(Decimal, raw.get("reserved_hours")),
            _parsed(list[str], raw.get("languages")),
            locations,
            raw.get("local_contact_override") is not None,
            _parsed(SkillLevel, raw.get("skill_level", SkillLevel.senior.value)),
            _parsed(bool, raw.get("assistance_provided", False)),
            _parsed(bool, work.get("instructions_provided", False)),
        )


def _parsed(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    try:
        return TypeAdapter(kind).validate_python(value)
    except ValidationError:
        return None


def _seed_rules(f: _Facts, problems: RuleViolations) -> None:
    """The seed's cross-field rules, each run on what it needs when that parsed."""
    if f.reserved_hours is not None and (f.reserved_hours * 4) % 1:
        problems.add(
            ("reserved_hours",),
            "quarter_hours",
            "reserved_hours must be a multiple of 0.25 (15 minutes)",
            str(f.reserved_hours),
        )
    if f.languages is not None and len(set(f.languages)) != len(f.languages):
        problems.add(("languages",), "unique", "languages must not repeat", f.languages)
    if f.override is False and f.locations is not None:
        for i, (_, name, has_contact) in enumerate(f.locations):
            if not has_contact:
                problems.add(
                    ("locations", i, "local_contacts"),
                    "local_contact_required",
                    f"location {name!r} needs a local contact with name and phone: eCorpOne does not "
                    "send engineers without one unless local_contact_override records who forced it and why",
                )
    if f.skill_level is SkillLevel.entry and f.assistance_provided is False and f.instructions_provided is False:
        problems.add(
            ("skill_level",),
            "entry_needs_assistance",
            "entry-level engineers need assistance on site (assistance_provided) unless well-written "
            "instruction documents are provided (work.instructions_provided)",
            f.skill_level.value,
        )
    if f.locations is not None:
        ids = [loc_id for loc_id, _, _ in f.locations if loc_id]
        if len(set(ids)) != len(ids):
            problems.add(("locations",), "unique_ids", "location ids must be unique", ids)


class ServiceRequest(RequestModel):
    """What the ordering party supplies. Defaults follow the seed: 2 h + 30 min grace, senior level."""

    title: NonEmpty
    reference: str = Field(default="", max_length=100, description="The ordering party's own reference")
    ordering_party: OrderingParty
    visit_start: Instant
    site_timezone: Annotated[str, AfterValidator(_timezone)]
    requested_at: Instant | None = Field(
        default=None, description="When the ordering party asked; the server's receipt time if omitted"
    )
    reserved_hours: Decimal | None = Field(default=None, gt=0, le=24, decimal_places=2)
    grace_minutes: int | None = Field(default=None, ge=0, le=240)
    reservation_defaulted: bool = False
    urgency: int = Field(default=1, ge=1, le=4, description="1 routine ... 4 visit immediately")
    skill_level: SkillLevel = SkillLevel.senior
    engineer_count: int = Field(default=1, ge=1, le=20)
    assistance_provided: bool = Field(default=False, description="The customer assists the engineer on site")
    languages: list[Language] = Field(min_length=1, max_length=2)
    locations: list[Location] = Field(min_length=1, max_length=20)
    local_contact_override: LocalContactOverride | None = None
    items: list[Item] = Field(default_factory=list, max_length=100)
    paperwork: list[Paperwork] = Field(default_factory=list, max_length=50)
    work: WorkDescription
    travel: Travel = Field(default_factory=Travel)
    devices_on_site_confirmed: bool = Field(
        description="The ordering party confirms the devices needed have arrived at the site"
    )
    retainer_sla: bool = Field(default=False, description="A valid retainer agreement with defined SLAs")
    notes: str = Field(default="", max_length=4000)

    @model_validator(mode="after")
    def _defaults(self) -> Self:
        self._apply_reservation_default()
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _every_mistake(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> ServiceRequest:
        """Field errors and the seed's rules are reported together: when some fields do not parse, each rule
        still runs on the fields it needs that did parse (a bad phone must not hide a missing local contact)."""
        try:
            request = handler(data)
        except ValidationError as exc:
            problems = RuleViolations("ServiceRequest")
            if isinstance(data, dict):
                _seed_rules(_Facts.of_raw(data), problems)
            if not problems:
                raise
            problems.raise_with(exc)
            raise
        problems = RuleViolations("ServiceRequest")
        _seed_rules(_Facts.of(request), problems)
        problems.raise_if_any()
        return request

    def _apply_reservation_default(self) -> None:
        # Reading (DOMAIN.md): the 30-min grace belongs to the default reservation only; an explicit
        # reservation has no grace unless the contract gives one (grace_minutes).
        if self.reserved_hours is None:
            self.reserved_hours = DEFAULT_RESERVED_HOURS
            self.grace_minutes = DEFAULT_GRACE_MINUTES if self.grace_minutes is None else self.grace_minutes
            self.reservation_defaulted = True
        elif self.grace_minutes is None:
            self.grace_minutes = 0
        for i, loc in enumerate(self.locations):
            if not loc.id:
                loc.id = f"L{i + 1}"

    # -- derived facts the app and the server both use --------------------------------------------
    @property
    def reserved(self) -> Decimal:
        assert self.reserved_hours is not None  # filled by the validator
        return self.reserved_hours

    @property
    def grace(self) -> int:
        return self.grace_minutes or 0

    @property
    def assistance_required(self) -> bool:
        """Customer assistance is recorded unless the work is very simple and senior+ is on site; an entry-level
        visit with well-written instructions needs none either (the seed's exception to its assistance rule)."""
        if self.skill_level is SkillLevel.entry:
            return not self.work.instructions_provided
        return not self.work.simple

    def location(self, location_id: str | None) -> Location:
        if location_id is None:
            return self.locations[0]
        for loc in self.locations:
            if loc.id == location_id:
                return loc
        raise KeyError(location_id)

    def local_start(self) -> datetime:
        return self.visit_start.astimezone(ZoneInfo(self.site_timezone))

    def visit_start_utc(self) -> datetime:
        return self.visit_start.astimezone(UTC)

    def reservation_end(self) -> datetime:
        """When the reserved time (+ grace) ends if the visit starts on time: the calendar's and the badge's end."""
        return self.visit_start_utc() + timedelta(hours=float(self.reserved), minutes=self.grace)
