"""Documents the ordering party uploads with a request (instructions, NDA, floor plans) and how they travel.

The type is decided by the file's first bytes, never by its name or the browser's word for it: a file called
`plan.pdf` that is really an executable is refused. Only what a phone can open without risk is accepted —
PDF, PNG, JPEG. The limits are the README's "Limits" rows; the service checks them before storing anything.

    sniff(b"%PDF-1.7...") -> "application/pdf"       sniff(b"MZ...") -> None
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from ._base import ResponseModel

MAX_DOCUMENT_BYTES = 8_000_000  # one file (a scanned floor plan fits; a video does not)
MAX_DOCUMENTS = 10  # per request
MAX_DOCUMENT_NAME = 200

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


class DocumentKind(StrEnum):
    instructions = "instructions"
    nda = "nda"
    floor_plan = "floor_plan"
    other = "other"


def sniff(head: bytes) -> str | None:
    """The content type these first bytes prove, or None when the file is none of the accepted types."""
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def safe_name(name: str) -> str:
    """A file name fit to show and to save: the last path part, printable, at most MAX_DOCUMENT_NAME chars."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return cleaned[:MAX_DOCUMENT_NAME] or "document"


class DocumentRef(ResponseModel):
    """A document attached to an assignment; its bytes are at GET /v1/assignments/{id}/documents/{doc id}."""

    id: str
    name: str
    kind: DocumentKind = DocumentKind.other
    content_type: str
    size: int = Field(ge=0)
    sha256: str
