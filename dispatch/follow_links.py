"""Read-only links to a visit's live page, one per local contact and visit.

A long random token (256 bits) per (visit, location, contact); made when the visit is approved (mailed to the
contacts who have an address) or when the ordering party opens the visit page (shown there to share). The link
opens the live page without any decision on it, and stops working 14 days after the visit start.

    links = ensure(store, assignment)            # idempotent: the same tokens every time
    found = resolve(store, token)                # FollowLinkRow, or None when unknown or expired
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api_client.wire import Assignment

from .db import FollowLinkRow
from .store import Store

VALID_AFTER_VISIT = timedelta(days=14)  # README "Limits"
MAX_TOKEN_CHARS = 64


@dataclass(frozen=True)
class FollowLink:
    token: str
    location_id: str
    contact_index: int
    contact_name: str
    email: str | None
    site: str


def ensure(store: Store, a: Assignment) -> list[FollowLink]:
    """The links for every local contact of the visit (created on first use; a concurrent creation is reused)."""
    for _attempt in range(3):
        try:
            return _ensure(store, a)
        except IntegrityError:  # another worker or page made one at the same time: read again
            continue
    return _ensure(store, a)


def _wanted(a: Assignment) -> set[tuple[str, int]]:
    return {(loc.id, i) for loc in a.request.locations for i in range(len(loc.local_contacts))}


def _ensure(store: Store, a: Assignment) -> list[FollowLink]:
    with store.sessions() as s:  # made once: every later page view only reads
        found = {
            (r.location_id, r.contact_index)
            for r in s.scalars(select(FollowLinkRow).where(FollowLinkRow.assignment_id == a.id))
        }
    writing = store.writing() if _wanted(a) - found else store.sessions()
    now = store.clock()
    out: list[FollowLink] = []
    with writing as s:
        rows = {
            (r.location_id, r.contact_index): r
            for r in s.scalars(select(FollowLinkRow).where(FollowLinkRow.assignment_id == a.id))
        }
        for location in a.request.locations:
            for index, contact in enumerate(location.local_contacts):
                row = rows.get((location.id, index))
                if row is None:
                    row = FollowLinkRow(
                        token=secrets.token_urlsafe(32),
                        assignment_id=a.id,
                        location_id=location.id,
                        contact_index=index,
                        contact_name=contact.name,
                        created_at=now,
                        expires_at=a.request.visit_start + VALID_AFTER_VISIT,
                    )
                    s.add(row)
                out.append(FollowLink(row.token, location.id, index, contact.name, contact.email, location.name))
    return out


def resolve(store: Store, token: str) -> FollowLinkRow | None:
    if not token or len(token) > MAX_TOKEN_CHARS or not token.isprintable():
        return None
    with store.sessions() as s:
        row = s.get(FollowLinkRow, token)
        if row is None or row.expires_at <= store.clock():
            return None
        return row
