"""The badge QR as a PNG, in pure Python (qrcode + pypng): no Pillow needed in the phone bundle."""

from __future__ import annotations

import base64
import io
from functools import lru_cache


def qr_png(text: str, box_size: int = 10) -> bytes:
    import qrcode  # loaded with the badge, not with the app's first frame
    from qrcode.image.pure import PyPNGImage

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=3)
    qr.add_data(text)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(image_factory=PyPNGImage).save(buf)
    return buf.getvalue()


@lru_cache(maxsize=16)  # the badge screen re-renders; a QR takes ~45 ms to draw and a badge's URL never changes
def qr_base64(text: str) -> str:
    return base64.b64encode(qr_png(text)).decode()
