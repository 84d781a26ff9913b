"""Client companies and their people: who may order visits and approve engineers (the web portal's accounts).

RetainerSLA(valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31), response_minutes=240).covers(t)
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from ._base import RequestModel, ResponseModel
from .rate_card import RateCard
from .request import Email, Language, Phone

# A retainer's dates are contract dates, read in Japan where the contracts are signed (README "Clients").
CONTRACT_ZONE = ZoneInfo("Asia/Tokyo")


class RetainerSLA(RequestModel):
    """A retainer agreement with defined service levels: no expedite fee while it is valid."""

    valid_from: date
    valid_until: date = Field(description="Last day it is valid (inclusive)")
    response_minutes: int = Field(ge=15, le=7 * 24 * 60, description="Promised time from approval to arrival")

    @model_validator(mode="after")
    def _ordered(self) -> RetainerSLA:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until: must not be before valid_from")
        return self

    def covers(self, at: datetime) -> bool:
        day = at.astimezone(CONTRACT_ZONE).date()
        return self.valid_from <= day <= self.valid_until


class CompanyIn(RequestModel):
    name_en: str = Field(min_length=1, max_length=200)
    name_ja: str = Field(default="", max_length=200)
    language: Language = "en"
    notify_emails: list[Email] = Field(default_factory=list, max_length=20)
    retainer: RetainerSLA | None = None
    rate_card: RateCard | None = Field(default=None, description="The contract's rate card; none: the default")
    show_log_photos: bool = Field(default=True, description="Work-log photos on the live visit page")


class Company(ResponseModel):
    id: str
    name_en: str
    name_ja: str = ""
    language: str = "en"
    notify_emails: list[str] = Field(default_factory=list)
    retainer: RetainerSLA | None = None
    rate_card: RateCard | None = None
    show_log_photos: bool = True

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en


class PersonIn(RequestModel):
    company_id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    email: Email
    phone: Phone | None = None
    may_request: bool = True
    may_approve: bool = False
    language: Language = "en"


class Person(ResponseModel):
    id: str
    company_id: str
    name: str
    email: str
    phone: str | None = None
    may_request: bool = True
    may_approve: bool = False
    language: str = "en"
    active: bool = True
