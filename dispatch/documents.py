"""Documents uploaded with a request: checked (count, size, type by content) before anything is stored, kept
on the draft while the form is being filled, then on the assignment it becomes (Store.create_assignment).

    doc = add_document(store, content, "plan.pdf", "floor_plan", "person:P-1", draft_id="DR-1")
    draft_documents(store, "DR-1") -> [DocumentRef, ...]
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, func, select, update

from api_client.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    DocumentKind,
    DocumentRef,
    safe_name,
    sniff,
)

from .db import AssignmentRow, DocumentRow
from .store import Store


class DocumentRefused(ValueError):
    """The upload breaks a limit or is not an accepted type; `rule` names which (a catalog key suffix)."""

    def __init__(self, rule: str, name: str) -> None:
        super().__init__(f"{name}: {rule}")
        self.rule = rule
        self.name = name


def _ref(row: DocumentRow) -> DocumentRef:
    return DocumentRef(
        id=row.id,
        name=row.name,
        kind=DocumentKind(row.kind),
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
    )


def check_upload(content: bytes, name: str, already: int) -> str:
    """The sniffed content type, or DocumentRefused (too many, too large, empty, not PDF/PNG/JPEG)."""
    if already >= MAX_DOCUMENTS:
        raise DocumentRefused("too_many", name)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused("too_large", name)
    if not content:
        raise DocumentRefused("empty", name)
    content_type = sniff(content[:16])
    if content_type is None:
        raise DocumentRefused("type", name)
    return content_type


def count_on_draft(store: Store, draft_id: str) -> int:
    with store.sessions() as s:
        return int(s.scalar(select(func.count()).where(DocumentRow.draft_id == draft_id)) or 0)


def add_document(
    store: Store,
    content: bytes,
    name: str,
    kind: str,
    uploaded_by: str,
    *,
    draft_id: str | None = None,
    assignment_id: str | None = None,
) -> DocumentRef:
    """Check and store one document on a draft (or directly on an assignment)."""
    name = safe_name(name)
    already = count_on_draft(store, draft_id) if draft_id else 0
    content_type = check_upload(content, name, already)
    row = DocumentRow(
        id=f"DOC-{secrets.token_hex(6).upper()}",
        draft_id=draft_id,
        assignment_id=assignment_id,
        kind=kind if kind in DocumentKind.__members__ else DocumentKind.other.value,
        name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=uploaded_by,
        uploaded_at=store.clock(),
    )
    with store.writing() as s:
        s.add(row)
        if assignment_id is not None:  # a changed assignment: a device's next pull sees the new document
            s.execute(
                update(AssignmentRow)
                .where(AssignmentRow.id == assignment_id)
                .values(version=AssignmentRow.version + 1, updated_at=row.uploaded_at)
            )
    return _ref(row)


def draft_documents(store: Store, draft_id: str) -> list[DocumentRef]:
    with store.sessions() as s:
        rows = s.scalars(
            select(DocumentRow)
            .where(DocumentRow.draft_id == draft_id)
            .order_by(DocumentRow.uploaded_at, DocumentRow.id)
        )
        return [_ref(r) for r in rows]


def draft_document(store: Store, draft_id: str, document_id: str) -> DocumentRow | None:
    with store.sessions() as s:
        row = s.get(DocumentRow, document_id[:40])
        return row if row is not None and row.draft_id == draft_id else None


def remove_from_draft(store: Store, draft_id: str, document_id: str) -> None:
    """Only while the draft is not sent: a sent request's documents belong to the assignment."""
    with store.writing() as s:
        s.execute(
            delete(DocumentRow).where(
                DocumentRow.id == document_id[:40],
                DocumentRow.draft_id == draft_id,
                DocumentRow.assignment_id.is_(None),
            )
        )
