from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import AwareDatetime, TypeAdapter

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
from api_client.summary import AssignmentSummary
from api_client.wire import ApproveIn, Assignment, BillOut, CancelIn, OvertimeReviewIn, ProposeIn

from ... import travel
from ...store import AssignmentQuery
from ..deps import Caller, Dispatcher, StoreDep
from ..paging import (
    DEFAULT_PAGE,
    GZIP_ABOVE_BYTES,
    MAX_PAGE,
    PageCache,
    etag,
    make_cursor,
    make_since,
    not_modified,
    read_cursor,
    read_since,
)

router = APIRouter(prefix="/v1/assignments", tags=["assignments"])
_CONFLICT = {
    409: {"description": "The lifecycle rules refuse this now; the body says why"},
    503: {"description": "The database is busy or restarting: nothing was recorded, try again (Retry-After)"},
}


@router.post("", status_code=201)
def create_assignment(body: ServiceRequest, _: Dispatcher, store: StoreDep) -> Assignment:
    return store.create_assignment(body)


@dataclass(frozen=True)
class ListParams:
    limit: int
    page: AssignmentQuery  # asks for one more than `limit`: it tells whether a next page exists


async def list_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page")] = DEFAULT_PAGE,
    cursor: Annotated[str | None, Query(max_length=200, description="From the previous page's X-Next-Cursor")] = None,
    start_from: Annotated[AwareDatetime | None, Query(alias="from", description="Visits starting at or after")] = None,
    start_to: Annotated[AwareDatetime | None, Query(alias="to", description="Visits starting before")] = None,
    status: Annotated[list[Status] | None, Query(max_length=len(Status), description="Repeat for several")] = None,
    since: Annotated[
        str | None, Query(max_length=200, description="From an earlier answer's X-Since: only what changed since")
    ] = None,
) -> ListParams:
    return ListParams(
        limit,
        AssignmentQuery(
            limit=limit + 1,
            start_from=start_from,
            start_to=start_to,
            statuses=tuple(s.value for s in status or ()),
            after=read_cursor(cursor) if cursor else None,
            changed_since=read_since(since) if since else None,
        ),
    )


ListQuery = Annotated[ListParams, Depends(list_params)]
IfNoneMatch = Annotated[
    str | None, Header(max_length=2000, description="An earlier answer's ETag: 304 if the page is unchanged")
]
_LIST = {304: {"description": "Not modified: the page is as it was in the answer whose ETag was sent (If-None-Match)"}}
_SUMMARIES = TypeAdapter(list[AssignmentSummary])
_FULL = TypeAdapter(list[Assignment])
_ONE = TypeAdapter(Assignment)


def _full_page(
    request: Request,
    items: list[Assignment],
    params: ListParams,
    read_at: datetime,
    kind: str,
    if_none_match: str | None,
) -> Response:
    """A page in full as JSON bytes with its validators; 304 (no body at all) when the device already has it."""
    next_cursor = None
    if len(items) > params.limit:
        items = items[: params.limit]
        next_cursor = make_cursor(items[-1].request.visit_start, items[-1].id)
    tag = etag(kind, ((a.id, a.version) for a in items), next_cursor)
    headers = _headers(request, read_at, next_cursor, tag)
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    return Response(_FULL.dump_json(items), media_type="application/json", headers=headers)


def _built(request: Request) -> PageCache:
    """This service's built list pages (one cache per app: ids are unique within a database, not across)."""
    state = request.app.state
    if not hasattr(state, "list_pages"):
        state.list_pages = PageCache()
    return state.list_pages


def _headers(request: Request, read_at: datetime, next_cursor: str | None, tag: str) -> dict[str, str]:
    headers = {"Cache-Control": "private, no-cache", "X-Since": make_since(read_at), "ETag": tag}
    if next_cursor:
        headers["X-Next-Cursor"] = next_cursor
        headers["Link"] = f'<{request.url.include_query_params(cursor=next_cursor)}>; rel="next"'
    return headers


@router.get("", response_model=list[Assignment], responses=_LIST)
def list_assignments(
    request: Request, who: Caller, store: StoreDep, params: ListQuery, if_none_match: IfNoneMatch = None
) -> Response:
    """Assignments in full, in visit order, one page at a time (the caller's own, for an engineer). When more
    follow, the answer carries `X-Next-Cursor` and a `Link: <...>; rel="next"` header. `since` (an earlier
    answer's `X-Since`) keeps only the assignments changed after it: a device re-syncs what changed, in full."""
    read_at = store.clock()  # before the read: a change after it comes with the next `since`
    items = store.assignments(who, params.page)
    travel.attach(store, items, who)  # tickets and hotels: an engineer's own only
    return _full_page(request, items, params, read_at, f"full:{store.card_key}", if_none_match)


@router.get("/summaries", response_model=list[AssignmentSummary], responses=_LIST)
def list_summaries(
    request: Request, who: Caller, store: StoreDep, params: ListQuery, if_none_match: IfNoneMatch = None
) -> Response:
    """The list screen's lines: the same pages, filters and `since` as the full list, one compact line per
    assignment with its `version` (a device fetches in full only what it holds at another version). `ETag` on
    every answer; `If-None-Match` with it answers 304 when the page has not changed."""
    read_at = store.clock()
    # The page's ids and versions name its bytes (PageCache): an answer built before is sent again as it was.
    _, next_cursor, tag = _lines(store.summary_keys(who, params.page), params.limit)
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers=_headers(request, read_at, next_cursor, tag))
    gzip_ok = "gzip" in request.headers.get("accept-encoding", "")
    if (built := _built(request).get((tag, gzip_ok))) is None:
        lines, next_cursor, tag = _lines(store.summaries(who, params.page), params.limit)  # may be newer than keys
        body = _SUMMARIES.dump_json(lines)
        zipped = gzip_ok and len(body) >= GZIP_ABOVE_BYTES
        built = (gzip.compress(body, compresslevel=5) if zipped else body, zipped)
        _built(request).put((tag, gzip_ok), built)
    headers = _headers(request, read_at, next_cursor, tag)
    if built[1]:  # compressed here once, not by the middleware on every answer
        headers.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(built[0], media_type="application/json", headers=headers)


def _lines(found: list[Any], limit: int) -> tuple[list[Any], str | None, str]:
    """A page of lines (or of their keys), its next cursor and its ETag."""
    next_cursor = make_cursor(found[limit - 1].visit_start, found[limit - 1].id) if len(found) > limit else None
    found = found[:limit]
    return found, next_cursor, etag("summary", ((line.id, line.version) for line in found), next_cursor)


@router.get("/{assignment_id}", response_model=Assignment)
def get_assignment(assignment_id: str, who: Caller, store: StoreDep) -> Response:
    found = store.assignment(assignment_id, who)
    travel.attach(store, [found], who)
    return Response(_ONE.dump_json(found), media_type="application/json")


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
