from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import AwareDatetime

from api_client.events import (
    ApproveEvent,
    CancelEvent,
    CloseEvent,
    ProposeEvent,
    RecordedEvent,
    ReviewOvertimeEvent,
)
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Status
from api_client.wire import ApproveIn, Assignment, BillOut, CancelIn, OvertimeReviewIn, ProposeIn

from ... import travel
from ...store import AssignmentQuery
from ..deps import Caller, Dispatcher, StoreDep
from ..paging import DEFAULT_PAGE, MAX_PAGE, make_cursor, read_cursor

router = APIRouter(prefix="/v1/assignments", tags=["assignments"])
_CONFLICT = {
    409: {"description": "The lifecycle rules refuse this now; the body says why"},
    503: {"description": "The database is busy or restarting: nothing was recorded, try again (Retry-After)"},
}


@router.post("", status_code=201)
def create_assignment(body: ServiceRequest, _: Dispatcher, store: StoreDep) -> Assignment:
    return store.create_assignment(body)


@router.get("")
def list_assignments(
    request: Request,
    response: Response,
    who: Caller,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page")] = DEFAULT_PAGE,
    cursor: Annotated[str | None, Query(max_length=200, description="From the previous page's X-Next-Cursor")] = None,
    start_from: Annotated[AwareDatetime | None, Query(alias="from", description="Visits starting at or after")] = None,
    start_to: Annotated[AwareDatetime | None, Query(alias="to", description="Visits starting before")] = None,
    status: Annotated[list[Status] | None, Query(max_length=len(Status), description="Repeat for several")] = None,
) -> list[Assignment]:
    """Assignments in visit order, one page at a time (the caller's own, for an engineer). When more follow,
    the answer carries `X-Next-Cursor` and a `Link: <...>; rel="next"` header."""
    page = AssignmentQuery(
        limit=limit + 1,  # one more tells whether a next page exists
        start_from=start_from,
        start_to=start_to,
        statuses=tuple(s.value for s in status or ()),
        after=read_cursor(cursor) if cursor else None,
    )
    items = store.assignments(who, page)
    if len(items) > limit:
        items = items[:limit]
        next_cursor = make_cursor(items[-1].request.visit_start, items[-1].id)
        response.headers["X-Next-Cursor"] = next_cursor
        response.headers["Link"] = f'<{request.url.include_query_params(cursor=next_cursor)}>; rel="next"'
    travel.attach(store, items, who)  # tickets and hotels: an engineer's own only
    return items


@router.get("/{assignment_id}")
def get_assignment(assignment_id: str, who: Caller, store: StoreDep) -> Assignment:
    found = store.assignment(assignment_id, who)
    travel.attach(store, [found], who)
    return found


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


@router.post("/{assignment_id}/overtime-review", responses=_CONFLICT)
def review_overtime(assignment_id: str, body: OvertimeReviewIn, _: Dispatcher, store: StoreDep) -> Assignment:
    """Release (accept) or drop (decline) the overtime held above the rate card's review threshold."""
    return store.dispatcher_action(
        ReviewOvertimeEvent(assignment_id=assignment_id, device_time=store.clock(), accept=body.accept, note=body.note)
    )
