"""Pairing a new phone: the desk shows a short one-time code (and a QR of it); the app's sign-in screen redeems
it for a fresh bearer token. Redeeming rotates the engineer's token, so the old phone is signed out at once
(and the badges issued under it are revoked: a badge names its token generation).

- The code's shape is api_client/pairing.py (the app reads it too): 8 characters without look-alikes,
  31^8 ≈ 8.5·10^11 values, typed as XXXX-XXXX; spaces, dashes and case are ignored.
- Only its SHA-256 is stored; it works once, for `LIFETIME` of the service's clock; a new code for the same
  engineer replaces any unused one.
- The API route that redeems it is unauthenticated and rate-limited per client address (dispatch/api/routes/
  pairing.py), so guessing is hopeless.

    code, expires = issue(store, "ENG-1", "dispatcher:D-1")
    redeem(store, "ABCD-EFGH") -> EngineerCreated | None
"""

from __future__ import annotations

import base64
import io
import secrets
from datetime import datetime, timedelta

import qrcode
from qrcode.image.pure import PyPNGImage
from sqlalchemy import delete

from api_client.pairing import ALPHABET, CODE_LENGTH, display, normalise
from api_client.pairing import link as pairing_link
from api_client.wire import EngineerCreated

from .accounts import digest
from .db import EngineerRow, PairingCodeRow
from .store import NotFound, Store, _engineer, _key, token_digest

__all__ = ["LIFETIME", "issue", "pairing_link", "qr_data_uri", "redeem"]
LIFETIME = timedelta(minutes=10)


def issue(store: Store, engineer_id: str, created_by: str) -> tuple[str, datetime]:
    """A fresh code for this engineer (shown once, as XXXX-XXXX) and when it stops working."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    now = store.clock()
    with store.writing() as s:
        if s.get(EngineerRow, _key(engineer_id)) is None:
            raise NotFound(engineer_id)
        s.execute(delete(PairingCodeRow).where(PairingCodeRow.engineer_id == engineer_id))
        s.add(
            PairingCodeRow(
                sha256=digest(code),
                engineer_id=engineer_id,
                created_by=created_by,
                created_at=now,
                expires_at=now + LIFETIME,
            )
        )
    return display(code), now + LIFETIME


def redeem(store: Store, code: str) -> EngineerCreated | None:
    """The engineer's new token for a good code (used up now), or None for a wrong, used or expired one."""
    key = normalise(code)
    if len(key) != CODE_LENGTH:
        return None
    now = store.clock()
    with store.writing() as s:
        row = s.get(PairingCodeRow, digest(key))
        if row is None or row.used_at is not None or row.expires_at <= now:
            return None
        engineer = s.get(EngineerRow, row.engineer_id)
        if engineer is None:
            return None
        row.used_at = now
        token = secrets.token_urlsafe(24)
        engineer.token_sha256 = token_digest(token)
        return EngineerCreated(engineer=_engineer(engineer), token=token)


def qr_data_uri(text: str) -> str:
    """The QR as a data: URI for an <img> (the pages' CSP allows data: images, nothing from elsewhere)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=3)
    qr.add_data(text)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(image_factory=PyPNGImage).save(buf)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
