"""The compact list: one line per assignment, what the app's list screen shows — and the `version` that tells
a device whether the full copy it holds is still the server's (`GET /v1/assignments/summaries`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ._base import ResponseModel
from .request import ServiceRequest
from .rules.lifecycle import Status


class RequestSummary(ResponseModel):
    """The part of a service request the list shows. A request never changes after creation, so the service
    stores this beside it once and never parses the whole request to list it."""

    title: str
    company: str = Field(description="The ordering party's company")
    site_timezone: str
    urgency: int
    sites: list[str] = Field(default_factory=list, description="Location names, in the request's order")


class AssignmentSummary(RequestSummary):
    id: str
    version: int = Field(description="Counts the assignment's changes: a held copy with another version is stale")
    updated_at: datetime
    status: Status
    expedited: bool
    visit_start: datetime


def request_summary(request: ServiceRequest) -> RequestSummary:
    return RequestSummary(
        title=request.title,
        company=request.ordering_party.company,
        site_timezone=request.site_timezone,
        urgency=request.urgency,
        sites=[location.name for location in request.locations],
    )
