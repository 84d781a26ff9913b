"""Images that arrive inside events and registrations (log photos, signature PNGs, ID photos)."""

from __future__ import annotations

import base64
import binascii

from api_client.rules.refusal import Refused


def decode_image(data: str | None, field: str) -> bytes | None:
    if data is None:
        return None
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused("invalid", f"{field}: must be base64-encoded image data") from exc
