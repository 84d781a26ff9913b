"""Wire models for the service's resources other than requests and events."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import Field

from ._base import RequestModel, ResponseModel
from .documents import DocumentRef
from .request import Email, Language, Phone, ServiceRequest, SkillLevel
from .rules.billing import Bill
from .rules.lifecycle import Status, VisitState


class EngineerIn(RequestModel):
    name: str = Field(min_length=1, max_length=200)
    name_ja: str = Field(default="", max_length=200)
    company: str = Field(default="eCorpOne", min_length=1, max_length=200)
    skill_level: SkillLevel = SkillLevel.senior
    phone: Phone | None = None
    email: Email | None = None
    languages: list[Language] = Field(
        default_factory=lambda: ["en"], min_length=1, max_length=2, description="Languages the engineer works in"
    )
    photo_base64: str | None = Field(default=None, max_length=2_000_000, description="ID photo, JPEG/PNG")


class Engineer(ResponseModel):
    id: str
    name: str
    name_ja: str = ""
    company: str
    skill_level: SkillLevel
    phone: str | None = None
    email: str | None = None
    languages: list[str] = Field(default_factory=list)
    has_photo: bool = False


class EngineerCreated(ResponseModel):
    engineer: Engineer
    token: str = Field(description="Shown once: the engineer's bearer token")


class Me(ResponseModel):
    role: str
    engineer: Engineer | None = None


class BillLineOut(ResponseModel):
    code: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal


class BillNoteOut(ResponseModel):
    code: str  # catalog key bill.note.<code>
    values: dict[str, int | str] = Field(default_factory=dict)


class BillOut(ResponseModel):
    currency: str
    rate_card_label: str
    lines: list[BillLineOut]
    total: Decimal
    charged_hours: Decimal
    on_site_minutes: int | None
    overtime_minutes: int
    overtime_billed_minutes: int
    notes: list[str] = Field(default_factory=list)  # English (readers of earlier releases)
    overtime_held_minutes: int = 0
    note_codes: list[BillNoteOut] = Field(default_factory=list)  # the same notes, for each reader's language

    @classmethod
    def of(cls, b: Bill) -> BillOut:
        return cls.model_validate(b, from_attributes=True)


class TravelBooking(ResponseModel):
    """A ticket or a hotel the desk booked for one engineer (an engineer's assignment carries only their own)."""

    id: str
    engineer_id: str
    kind: str = Field(description="train | flight | bus | hotel | car")
    what: str = ""
    from_place: str = ""
    to_place: str = ""
    hotel_name: str = ""
    address: str = ""
    starts_at: datetime
    ends_at: datetime | None = None
    confirmation: str = ""
    has_attachment: bool = False
    attachment_name: str = ""


class Assignment(ResponseModel):
    id: str
    request: ServiceRequest
    status: Status
    expedited: bool
    documents: list[DocumentRef] = Field(
        default_factory=list, description="Uploaded with the request (the bytes: GET .../documents/{id})"
    )
    requested_at: datetime
    created_at: datetime
    updated_at: datetime
    version: int = Field(default=0, description="Counts the assignment's changes (as in the list's summaries)")
    engineers: list[Engineer] = Field(default_factory=list)
    visit: VisitState
    bill: BillOut | None = None
    travel: list[TravelBooking] = Field(default_factory=list, description="Tickets and hotels (the engineer's own)")


class PairingIn(RequestModel):
    code: str = Field(min_length=1, max_length=40, description="The one-time code the desk shows")


class ApproveIn(RequestModel):
    approved_by: str = Field(min_length=1, max_length=200)


class ProposeIn(RequestModel):
    engineer_ids: list[str] = Field(min_length=1, max_length=20)


class OvertimeReviewIn(RequestModel):
    accept: bool = Field(description="true: bill the held overtime; false: bill only up to the threshold")
    note: str = Field(default="", max_length=2000)


class CancelIn(RequestModel):
    reason: str = Field(min_length=1, max_length=2000)


class Badge(ResponseModel):
    """The engineer's photo-ID badge for one assignment; the QR encodes `verify_url`."""

    token: str
    verify_url: str
    valid_from: datetime
    valid_until: datetime
    engineer: Engineer
    assignment_id: str
    title: str
    site: str
    client_company: str


class ServiceReport(ResponseModel):
    assignment_id: str
    sha256: str = Field(description="SHA-256 of the signed content, printed on the PDF")
    created_at: datetime
    pdf_url: str


class Notification(ResponseModel):
    kind: str
    to: list[str]
    subject: str
    status: str
    error: str = ""
    created_at: datetime
