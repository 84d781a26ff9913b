from __future__ import annotations

from fastapi import APIRouter

from api_client.events import EventBatch, EventBatchResult

from ..deps import Caller, StoreDep

router = APIRouter(prefix="/v1/events", tags=["events"])


@router.post("/batch")
def post_events(body: EventBatch, who: Caller, store: StoreDep) -> EventBatchResult:
    """Deliver visit events in order. Always 200 with one result per event: `applied`, `duplicate`
    (this id was seen before; `original` says what it got then), `rejected` with the rule's code and reason
    (final), or — nothing recorded, send it again later — `retry` (transient) or `error` (the server failed on
    this event; logged). Events are applied by assignment, each assignment's under a lock in one transaction."""
    return EventBatchResult(results=store.ingest(body.events, who, sent_at=body.sent_at))
