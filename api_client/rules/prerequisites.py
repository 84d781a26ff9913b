"""What the desk checks on a request before sending anyone: the seed's prerequisites and the rules that apply.

A request that reached the store already passed validation; these are the facts the dispatcher must see at a
glance (intake queue, the assignment's desk page): what is missing on the client's side, what was forced, and
which contract rules will apply. Each finding is a code (text `desk.prereq.<code>`) with its values.

    prerequisites(request, expedited=True) -> [Finding("devices_not_confirmed", "bad"), ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..request import PaperworkStatus, ServiceRequest


class Severity(StrEnum):
    bad = "bad"  # a prerequisite is missing: the visit may end as "unable to enter"
    warn = "warn"  # allowed, but someone must act or was recorded forcing it
    info = "info"  # a rule that applies (fee, default reservation, assistance)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    values: dict[str, str] = field(default_factory=dict)


_NOT_READY = {PaperworkStatus.to_prepare, PaperworkStatus.sent}


def prerequisites(request: ServiceRequest, *, expedited: bool) -> list[Finding]:
    """Missing prerequisites first (bad, then warn), then the rules that apply (info)."""
    found: list[Finding] = []
    if not request.devices_on_site_confirmed:
        found.append(Finding("devices_not_confirmed", Severity.bad))
    without = [loc.name for loc in request.locations if not loc.local_contacts]
    if without:
        override = request.local_contact_override
        if override is None:  # cannot be stored (the validator refuses it); kept for imports of old data
            found.append(Finding("no_local_contact", Severity.bad, {"sites": ", ".join(without)}))
        else:
            values = {"sites": ", ".join(without), "who": override.forced_by, "why": override.reason}
            found.append(Finding("local_contact_forced", Severity.warn, values))
    pending = [p.name for p in request.paperwork if p.status in _NOT_READY]
    if pending:
        found.append(Finding("paperwork_not_ready", Severity.warn, {"names": ", ".join(pending)}))
    if request.travel.required:
        found.append(Finding("travel_required", Severity.warn))
    if expedited:
        code = "expedited_retainer" if request.retainer_sla else "expedite_fee"
        found.append(Finding(code, Severity.info))
    if request.reservation_defaulted:
        found.append(Finding("default_reservation", Severity.info))
    if request.assistance_required and not request.assistance_provided:
        found.append(Finding("assistance_to_record", Severity.info))
    return found
