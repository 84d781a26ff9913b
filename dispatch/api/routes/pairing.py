"""The app's side of the desk's engineer pages: redeeming a pairing code for a token, and a travel booking's PDF.

`POST /v1/pairing` is the one unauthenticated write: the code is its credential. Wrong, used or expired codes
count as failed authentication per client address (`PAIRING_FAILURES`, `PAIRING_WINDOW_S`); past the limit the
address gets 429 with Retry-After and its codes are not checked at all.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response

from api_client.wire import EngineerCreated, PairingIn

from ... import audit, pairing, travel
from ..auth_limit import FailedAuthLimiter
from ..deps import Caller, StoreDep

router = APIRouter(tags=["engineers"])
PAIRING_FAILURES = 10
PAIRING_WINDOW_S = 15 * 60
_lock = threading.Lock()


def _limiter(request: Request) -> FailedAuthLimiter:
    with _lock:
        found = getattr(request.app.state, "pairing_limiter", None)
        if found is None:
            found = request.app.state.pairing_limiter = FailedAuthLimiter(PAIRING_FAILURES, PAIRING_WINDOW_S)
        return found


@router.post(
    "/v1/pairing",
    responses={401: {"description": "Wrong, used or expired code"}, 429: {"description": "Too many wrong codes"}},
)
def redeem_pairing(body: PairingIn, request: Request, store: StoreDep) -> EngineerCreated:
    """A new phone signs in with the code the desk shows: the answer carries a fresh token (shown once); the
    engineer's previous token — the old phone — is refused from now on."""
    limiter = _limiter(request)
    client = request.client.host if request.client else "unknown"
    if (wait := limiter.retry_after(client)) is not None:
        raise HTTPException(
            429, f"Too many wrong codes from your address; try again in {wait} s.", headers={"Retry-After": str(wait)}
        )
    paired = pairing.redeem(store, body.code)
    if paired is None:
        limiter.failed(client)
        raise HTTPException(401, "This pairing code does not work (wrong, used or expired).")
    audit.record(store, f"engineer:{paired.engineer.id}", "phone_paired", None, {"engineer": paired.engineer.id})
    return paired


@router.get(
    "/v1/assignments/{assignment_id}/travel/{booking_id}/attachment",
    responses={200: {"content": {"application/pdf": {}}}, 404: {}},
)
def travel_attachment(assignment_id: str, booking_id: str, who: Caller, store: StoreDep) -> Response:
    """A booking's PDF (ticket, voucher): for the engineer it was booked for, and the desk; 404 for anyone else."""
    name, pdf = travel.attachment(store, assignment_id, booking_id, who)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
