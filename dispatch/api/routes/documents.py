"""The documents uploaded with a request, for the assignment's engineers and the desk (others: 404)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response

from ..deps import Caller, StoreDep

router = APIRouter(prefix="/v1/assignments", tags=["documents"])


def document_response(content: bytes, name: str, content_type: str, sha256: str) -> Response:
    """The file as sent to a device or a browser: its sniffed type, never rendered as a page of ours."""
    return Response(
        content,
        media_type=content_type,
        headers={
            # RFC 6266: an ASCII fallback and the real (Japanese) name percent-encoded.
            "Content-Disposition": f"inline; filename=\"document\"; filename*=UTF-8''{quote(name)}",
            "X-Content-SHA256": sha256,
            "Content-Security-Policy": "sandbox",
        },
    )


@router.get(
    "/{assignment_id}/documents/{document_id}",
    responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}}},
)
def get_document(assignment_id: str, document_id: str, who: Caller, store: StoreDep) -> Response:
    """A document's bytes (PDF, PNG or JPEG, as checked on upload); `X-Content-SHA256` is its hash."""
    row = store.document(assignment_id, document_id, who)
    return document_response(row.content, row.name, row.content_type, row.sha256)
