"""A device with assignments in any state, without a server: for the screens' view models as tables.

Times are relative to the suite's clock (tests/clock.py), never the wall clock or a time of day.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from api_client.events import UnableReason
from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.request import ServiceRequest, SkillLevel
from api_client.rules.lifecycle import Arrival, LateNotice, LogEntry, Status, VisitState
from api_client.wire import Assignment, Engineer
from field_app.device_store import DeviceStore
from field_app.state import AppState
from tests.clock import clock
from tests.factories import request_data

NOW = clock().replace(microsecond=0)
ME = Engineer(id="ENG-ME", name="Kenji Sato", company="eCorpOne", skill_level=SkillLevel.senior)
MATE = Engineer(id="ENG-MATE", name="Emily Carter", company="eCorpOne", skill_level=SkillLevel.specialist)


def two_sites() -> list[dict[str, Any]]:
    first = request_data()["locations"][0]
    return [{**first, "id": "A", "name": "Site A"}, {**first, "id": "B", "name": "Site B"}]


def request(**overrides: Any) -> ServiceRequest:
    data = request_data(visit_start=(NOW - timedelta(minutes=30)).isoformat(), **overrides)
    data["requested_at"] = (NOW - timedelta(days=3)).isoformat()
    return ServiceRequest.model_validate(data)


def visit(status: Status, **fields: Any) -> VisitState:
    """The server's copy of a visit in `status`, with the facts that status implies (approved, arrived...)."""
    facts: dict[str, Any] = {"engineer_ids": [ME.id, MATE.id]}
    if status not in (Status.requested, Status.proposed):
        facts |= {"approved_at": NOW - timedelta(days=1), "approved_by": "Pat Lee"}
    if status in (Status.working, Status.signed_off, Status.closed):
        facts |= {
            "arrivals": [arrival(ME)],
            "work_started_at": NOW - timedelta(minutes=20),
            "assisted_by": "Ken Ito",
        }
    if status in (Status.signed_off, Status.closed):
        facts |= {"signed_off_at": NOW - timedelta(minutes=5), "signer_name": "Ken Ito", "ended_at": NOW}
    if status is Status.unable_to_enter:
        facts |= {"unable_reason": UnableReason.no_access, "ended_at": NOW}
    return VisitState(status=status, **(facts | fields))


def arrival(who: Engineer, location_id: str = "L1", check: str = "verified") -> Arrival:
    return Arrival(engineer_id=who.id, location_id=location_id, at=NOW - timedelta(minutes=25), check=check)


def late(who: Engineer, minutes: int) -> LateNotice:
    return LateNotice(engineer_id=who.id, at=NOW - timedelta(hours=1), expected_at=NOW + timedelta(minutes=minutes))


def log_entry(text: str) -> LogEntry:
    return LogEntry(event_id="E1", at=NOW - timedelta(minutes=10), author=ME.id, text=text)


def assignment(v: VisitState, r: ServiceRequest | None = None, aid: str = "ASG-1") -> Assignment:
    return Assignment(
        id=aid,
        request=r or request(),
        status=v.status,
        expedited=False,
        requested_at=NOW - timedelta(days=3),
        created_at=NOW - timedelta(days=3),
        updated_at=NOW,
        engineers=[ME, MATE],
        visit=v,
    )


def device(path: Path, *assignments: Assignment) -> AppState:
    """The view state of a device signed in as ME that last synced these assignments."""
    store = DeviceStore(path)
    store.replace_assignments(list(assignments), NOW)
    store.save_rate_card(EXAMPLE_RATE_CARD)
    store.put("engineer", ME.model_dump_json())
    state = AppState(store=store, clock=lambda: NOW)
    state.load_local()
    return state
