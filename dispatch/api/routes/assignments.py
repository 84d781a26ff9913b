from __future__ import annotations

from fastapi import APIRouter

from api_client.events import ApproveEvent, CancelEvent, CloseEvent, ProposeEvent, RecordedEvent
from api_client.request import ServiceRequest
from api_client.wire import ApproveIn, Assignment, BillOut, CancelIn, ProposeIn

from ..deps import Caller, Dispatcher, StoreDep

router = APIRouter(prefix="/v1/assignments", tags=["assignments"])
_CONFLICT = {
    409: {"description": "The lifecycle rules refuse this now; the body says why"},
    503: {"description": "The database is busy or restarting: nothing was recorded, try again (Retry-After)"},
}


@router.post("", status_code=201)
def create_assignment(body: ServiceRequest, _: Dispatcher, store: StoreDep) -> Assignment:
    return store.create_assignment(body)


@router.get("")
def list_assignments(who: Caller, store: StoreDep) -> list[Assignment]:
    return store.assignments(who)


@router.get("/{assignment_id}")
def get_assignment(assignment_id: str, who: Caller, store: StoreDep) -> Assignment:
    return store.assignment(assignment_id, who)


@router.get("/{assignment_id}/bill")
def get_bill(assignment_id: str, who: Caller, store: StoreDep) -> BillOut:
    return store.bill(assignment_id, who)


@router.get("/{assignment_id}/events")
def get_events(assignment_id: str, who: Caller, store: StoreDep) -> list[RecordedEvent]:
    return store.events(assignment_id, who)


@router.post("/{assignment_id}/propose", responses=_CONFLICT)
def propose(assignment_id: str, body: ProposeIn, _: Dispatcher, store: StoreDep) -> Assignment:
    return store.dispatcher_action(
        ProposeEvent(assignment_id=assignment_id, device_time=store.clock(), engineer_ids=body.engineer_ids)
    )


@router.post("/{assignment_id}/approve", responses=_CONFLICT)
def approve(assignment_id: str, body: ApproveIn, _: Dispatcher, store: StoreDep) -> Assignment:
    """Record the ordering party's approval: the SLA clock starts; engineers may now be sent."""
    return store.dispatcher_action(
        ApproveEvent(assignment_id=assignment_id, device_time=store.clock(), approved_by=body.approved_by)
    )


@router.post("/{assignment_id}/cancel", responses=_CONFLICT)
def cancel(assignment_id: str, body: CancelIn, _: Dispatcher, store: StoreDep) -> Assignment:
    return store.dispatcher_action(
        CancelEvent(assignment_id=assignment_id, device_time=store.clock(), reason=body.reason)
    )


@router.post("/{assignment_id}/close", responses=_CONFLICT)
def close(assignment_id: str, _: Dispatcher, store: StoreDep) -> Assignment:
    return store.dispatcher_action(CloseEvent(assignment_id=assignment_id, device_time=store.clock()))
