"""The audit trail: who did what at the desk and on the portal, shown on each assignment.

Visit events already carry their actor; this records the actions around them (proposing, an approval taken by
phone, a client asking for a change, editing a client, pairing a phone) with the named person who did them.

    record(store, "dispatcher:D-1A2B", "propose", assignment_id, {"engineers": ["ENG-1", "ENG-2"]})
    trail(store, assignment_id) -> [AuditEntry(at, actor, action, detail), ...] oldest first
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import AuditRow
from .store import Store

MAX_DETAIL_CHARS = 4000  # a note longer than this is cut, never refused: the action itself is what matters


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    assignment_id: str | None
    detail: dict[str, Any]


def record(
    store: Store,
    actor: str,
    action: str,
    assignment_id: str | None = None,
    detail: dict[str, Any] | None = None,
    *,
    session: Session | None = None,
) -> None:
    """Write one entry — inside the caller's transaction when `session` is given (so the entry and the change
    commit together), otherwise in its own."""
    detail = {k: (v[:MAX_DETAIL_CHARS] if isinstance(v, str) else v) for k, v in (detail or {}).items()}
    row = AuditRow(at=store.clock(), actor=actor, action=action, assignment_id=assignment_id, detail=detail)
    if session is not None:
        session.add(row)
        return
    with store.writing() as s:
        s.add(row)


def trail(store: Store, assignment_id: str) -> list[AuditEntry]:
    with store.sessions() as s:
        rows = s.scalars(select(AuditRow).where(AuditRow.assignment_id == assignment_id).order_by(AuditRow.id))
        return [AuditEntry(r.at, r.actor, r.action, r.assignment_id, r.detail or {}) for r in rows]


def recent(store: Store, limit: int = 200) -> list[AuditEntry]:
    with store.sessions() as s:
        rows = s.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))
        return [AuditEntry(r.at, r.actor, r.action, r.assignment_id, r.detail or {}) for r in rows]
