from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from api_client.wire import Notification, ServiceReport

from ...report import signature_png
from ..deps import Caller, StoreDep

router = APIRouter(prefix="/v1/assignments", tags=["reports"])


@router.get("/{assignment_id}/report")
def get_report(assignment_id: str, who: Caller, store: StoreDep) -> ServiceReport:
    row = store.report(assignment_id, who)
    if row is None:
        raise HTTPException(404, "No service report yet: it is made when the client signs off.")
    return ServiceReport(
        assignment_id=assignment_id,
        sha256=row.sha256,
        created_at=row.created_at,
        pdf_url=f"/v1/assignments/{assignment_id}/report.pdf",
    )


@router.get("/{assignment_id}/report.pdf", responses={200: {"content": {"application/pdf": {}}}})
def get_report_pdf(assignment_id: str, who: Caller, store: StoreDep) -> Response:
    row = store.report(assignment_id, who)
    if row is None:
        raise HTTPException(404, "No service report yet: it is made when the client signs off.")
    return Response(
        row.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="service-report-{assignment_id}.pdf"',
            "X-Content-SHA256": row.sha256,
        },
    )


@router.get("/{assignment_id}/notifications")
def get_notifications(assignment_id: str, who: Caller, store: StoreDep) -> list[Notification]:
    return store.notifications(assignment_id, who)


@router.get("/{assignment_id}/signature.png", responses={200: {"content": {"image/png": {}}}})
def get_signature(assignment_id: str, who: Caller, store: StoreDep) -> Response:
    """The client's signature drawn from the strokes captured on the device (the strokes are the record)."""
    strokes = next(
        (
            e.data.get("strokes")
            for e in store.events(assignment_id, who)
            if e.kind == "sign_off" and e.outcome == "applied"
        ),
        None,
    )
    if not strokes:
        raise HTTPException(404, "Not signed off yet.")
    return Response(signature_png(strokes), media_type="image/png")
