"""Cursor pagination: the cursor is the (visit_start, id) of the last item sent, so pages stay stable while
assignments are added, and the database seeks to it by index instead of counting an offset."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from fastapi.exceptions import RequestValidationError

DEFAULT_PAGE = 100
MAX_PAGE = 200


def make_cursor(visit_start: datetime, assignment_id: str) -> str:
    raw = json.dumps([visit_start.isoformat(), assignment_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        at, assignment_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        when = datetime.fromisoformat(at)
        if when.tzinfo is None or not isinstance(assignment_id, str):
            raise ValueError
    except (ValueError, TypeError, binascii.Error) as exc:
        raise RequestValidationError(
            [{"loc": ("query", "cursor"), "type": "cursor", "msg": "not a cursor this service gave out"}]
        ) from exc
    return when, assignment_id
