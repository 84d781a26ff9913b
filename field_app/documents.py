"""The documents uploaded with a request (instructions, NDA, floor plans), kept on the device for offline reading.

After each pull the sync fetches the documents of the engineer's assignments that the device does not hold yet
(by id and SHA-256: a changed document is fetched again), checks each against its SHA-256, and stores the bytes
in the device store's database — so a floor plan opens in a basement with no signal. Documents of assignments
no longer on the device are dropped.

    cache = DocumentCache(store)
    await fetch_documents(client, cache)                  # in Syncer.sync_once, after the pull
    cache.content("DOC-1") -> bytes | None                # offline
    path = cache.file("DOC-1", folder)                    # written once, for the platform's viewer
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from api_client._base import parse_response
from api_client.documents import EXTENSIONS, DocumentRef, safe_name
from api_client.errors import APIStatusError

from .device_store import DeviceStore

if TYPE_CHECKING:  # the HTTP client loads with the sync, not before the first frame
    from api_client.client import AsyncDispatchClient

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    assignment_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_assignment ON documents (assignment_id);
"""


class DocumentCache:
    """A table of its own in the device store's SQLite file (the store itself is left as it is)."""

    def __init__(self, store: DeviceStore) -> None:
        self.store = store
        with store.transaction() as db:  # executescript would commit the open transaction: one statement each
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)

    def held(self) -> dict[str, str]:
        """Document id -> SHA-256 of what the device holds."""
        with self.store.transaction() as db:
            return {r["id"]: r["sha256"] for r in db.execute("SELECT id, sha256 FROM documents")}

    def put(self, assignment_id: str, ref: DocumentRef, body: bytes) -> None:
        with self.store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO documents (id, assignment_id, name, content_type, sha256, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (ref.id, assignment_id, ref.name, ref.content_type, ref.sha256, body),
            )

    def listed(self) -> list[tuple[str, DocumentRef]]:
        """(assignment id, document) for every document the device's copies of its assignments name — read
        from the stored JSON by SQLite, without parsing every assignment on every sync."""
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT a.id AS assignment_id, d.value AS ref FROM assignments a, json_each(a.body, '$.documents') d"
            ).fetchall()
        return [(r["assignment_id"], parse_response(DocumentRef, r["ref"])) for r in rows]

    def drop_unlisted(self) -> None:
        """Documents of assignments no longer on the device go with them."""
        with self.store.transaction() as db:
            db.execute("DELETE FROM documents WHERE assignment_id NOT IN (SELECT id FROM assignments)")

    def keep_only(self, assignment_ids: Sequence[str]) -> None:
        marks = ", ".join("?" * len(assignment_ids))
        with self.store.transaction() as db:
            db.execute(f"DELETE FROM documents WHERE assignment_id NOT IN ({marks})", tuple(assignment_ids))

    def content(self, document_id: str) -> bytes | None:
        with self.store.transaction() as db:
            row = db.execute("SELECT body FROM documents WHERE id = ?", (document_id,)).fetchone()
        return None if row is None else bytes(row["body"])

    def file(self, document_id: str, folder: Path) -> Path | None:
        """The document as a file in `folder` (the app's storage), for the platform's viewer; None if not held."""
        with self.store.transaction() as db:
            row = db.execute(
                "SELECT name, content_type, sha256, body FROM documents WHERE id = ?", (document_id,)
            ).fetchone()
        if row is None:
            return None
        name = safe_name(row["name"])
        if not name.lower().endswith(EXTENSIONS.get(row["content_type"], "")):
            name += EXTENSIONS.get(row["content_type"], "")
        path = folder / row["sha256"][:16] / name  # the hash keeps two documents of one name apart
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(row["body"]))
        return path


async def fetch_documents(client: AsyncDispatchClient, cache: DocumentCache) -> int:
    """After a pull: fetch what the device's assignments name and the device lacks; returns how many were stored.
    A document that fails (or whose bytes do not match its SHA-256) is tried again at the next sync, never kept
    half-way. Reads the device's copies, so it works whatever the pull fetched in full this time."""
    held, stored = cache.held(), 0
    for assignment_id, ref in cache.listed():
        if held.get(ref.id) == ref.sha256:
            continue
        try:
            body = await client.document(assignment_id, ref.id)
        except APIStatusError:
            continue
        if hashlib.sha256(body).hexdigest() != ref.sha256:
            continue
        cache.put(assignment_id, ref, body)
        held[ref.id] = ref.sha256
        stored += 1
    cache.drop_unlisted()
    return stored
