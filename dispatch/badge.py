"""Engineer badges: an HMAC-SHA256-signed token, tied to engineer + assignment + the visit's site date,
valid for a window around the visit. Site security scans the QR and opens /verify/<token> on any phone.

Token format: base64url(JSON claims) "." base64url(HMAC-SHA256(secret, first part)). HMAC is enough here:
only the dispatch service issues and verifies badges, so no public key needs to leave it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from api_client.request import ServiceRequest

BEFORE_VISIT = timedelta(hours=3)  # arriving early for security checks is normal
AFTER_VISIT = timedelta(hours=4)  # covers overtime beyond the reservation
VERIFY_GRACE = timedelta(minutes=15)  # a badge scanned just past its window still reads "expired", not "forged"


class BadgeStatus(StrEnum):
    genuine = "genuine"
    expired = "expired"
    not_yet_valid = "not_yet_valid"
    forged = "forged"


@dataclass(frozen=True)
class BadgeClaims:
    engineer_id: str
    assignment_id: str
    site_date: str  # ISO date of the visit in the site's time zone
    not_before: int  # epoch seconds
    expires: int

    @property
    def valid_from(self) -> datetime:
        return datetime.fromtimestamp(self.not_before, UTC)

    @property
    def valid_until(self) -> datetime:
        return datetime.fromtimestamp(self.expires, UTC)


@dataclass(frozen=True)
class BadgeCheck:
    status: BadgeStatus
    claims: BadgeClaims | None


def window(request: ServiceRequest) -> tuple[datetime, datetime]:
    start = request.visit_start_utc()
    end = request.reservation_end()
    return start - BEFORE_VISIT, end + AFTER_VISIT


def claims_for(engineer_id: str, assignment_id: str, request: ServiceRequest) -> BadgeClaims:
    start, end = window(request)
    return BadgeClaims(
        engineer_id,
        assignment_id,
        request.local_start().date().isoformat(),
        int(start.timestamp()),
        int(end.timestamp()),
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def sign(claims: BadgeClaims, secret: str) -> str:
    payload = _b64(json.dumps(asdict(claims), separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_mac(secret, payload)}"


def verify(token: str, secret: str, now: datetime | None = None) -> BadgeCheck:
    now = now or datetime.now(UTC)
    payload, _, mac = token.partition(".")
    if not payload or not mac or not hmac.compare_digest(_mac(secret, payload), mac):
        return BadgeCheck(BadgeStatus.forged, None)
    try:
        claims = BadgeClaims(**json.loads(_unb64(payload)))
    except (ValueError, TypeError):
        return BadgeCheck(BadgeStatus.forged, None)
    if now < claims.valid_from - VERIFY_GRACE:
        return BadgeCheck(BadgeStatus.not_yet_valid, claims)
    if now > claims.valid_until + VERIFY_GRACE:
        return BadgeCheck(BadgeStatus.expired, claims)
    return BadgeCheck(BadgeStatus.genuine, claims)
