"""Engineer badges: an HMAC-SHA256-signed token, tied to engineer + assignment + the visit's site date,
valid for a window around the visit. Site security scans the QR and opens /verify/<token> on any phone.

Token format: ``<key id>.<base64url(JSON claims)>.<base64url(HMAC-SHA256(key, "<key id>.<claims>"))>``.
HMAC is enough here: only the dispatch service issues and verifies badges, so no public key needs to leave it.

Keys last and rotate (see `BadgeKeys`): the key id names the key that signed, so a badge cached on a phone keeps
verifying after a restart, on another instance, and during a rotation while its key is still listed.

A good signature is not enough: `standing()` checks the badge against the stored visit — cancelled, engineer no
longer on the team, engineer's device token replaced (lost phone), not approved, or signed for another date —
and any of these reads REVOKED / OTHER DATE at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Status
from api_client.wire import Assignment

log = logging.getLogger(__name__)

BEFORE_VISIT = timedelta(hours=3)  # arriving early for security checks is normal
AFTER_VISIT = timedelta(hours=4)  # covers overtime beyond the reservation
VERIFY_GRACE = timedelta(minutes=15)  # a badge scanned just past its window still reads "expired", not "forged"
MAX_TOKEN_CHARS = 2000  # a real token is ~350 characters; anything longer is not ours
_NOT_APPROVED = frozenset({Status.requested, Status.proposed})


class BadgeStatus(StrEnum):
    genuine = "genuine"
    expired = "expired"
    not_yet_valid = "not_yet_valid"
    other_date = "other_date"
    revoked = "revoked"
    forged = "forged"


@dataclass(frozen=True)
class BadgeClaims:
    engineer_id: str
    assignment_id: str
    site_date: str  # ISO date of the visit in the site's time zone
    not_before: int  # epoch seconds
    expires: int
    token_generation: str = ""  # which of the engineer's device tokens was current at issue (rotation revokes)

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
    reason: str = ""

    @property
    def shows_holder(self) -> bool:
        """Only a genuine badge shows the holder's name and photo: anything else must not lend them credit."""
        return self.status is BadgeStatus.genuine


# -- keys -------------------------------------------------------------------------------------------------------
def key_id(secret: str) -> str:
    """A short public name for a key, derived from it (so operators only ever handle the secrets)."""
    return _b64(hashlib.sha256(b"field-badge-key-id:" + secret.encode()).digest())[:8]


@dataclass(frozen=True)
class BadgeKeys:
    """The signing key first, then older keys that still verify (during a rotation)."""

    secrets: tuple[str, ...]
    by_id: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.secrets:
            raise ValueError("at least one badge key is needed")
        object.__setattr__(self, "by_id", {key_id(s): s for s in self.secrets})

    @classmethod
    def of(cls, current: str, previous: Sequence[str] = ()) -> BadgeKeys:
        return cls(tuple(dict.fromkeys([current, *previous])))

    @property
    def signing(self) -> tuple[str, str]:
        return key_id(self.secrets[0]), self.secrets[0]


class BadgeKeyMissing(RuntimeError):
    """The service cannot start: badges need a lasting key and none is configured."""


def load_keys(secret: str | None, previous: Sequence[str], key_file: Path | None) -> BadgeKeys:
    """Configured secret wins; otherwise the key file (one secret per line, the signing key first), created once
    with a fresh key when missing — and said so, because every instance must then share that file."""
    if secret:
        return BadgeKeys.of(secret, previous)
    if key_file is None:
        raise BadgeKeyMissing(
            "No badge key: set FIELD_DISPATCH_BADGE_SECRET (the same on every instance; at least 32 characters), "
            "or FIELD_DISPATCH_BADGE_KEY_FILE. Without a lasting key every restart would turn valid badges "
            "into 'NOT GENUINE'."
        )
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another instance created it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(32) + "\n")
            message = f"Created a badge signing key in {key_file} (kept across restarts; share it with every instance)"
            log.warning(message)
            print(message, flush=True)
    lines = [ln.strip() for ln in key_file.read_text(encoding="utf-8").splitlines()]
    found = [ln for ln in lines if ln and not ln.startswith("#")]
    if not found:
        raise BadgeKeyMissing(f"The badge key file {key_file} holds no key.")
    return BadgeKeys.of(found[0], [*found[1:], *previous])


def _keys(keys: BadgeKeys | str) -> BadgeKeys:
    return BadgeKeys.of(keys) if isinstance(keys, str) else keys


# -- claims, signing, verifying ---------------------------------------------------------------------------------
def window(request: ServiceRequest) -> tuple[datetime, datetime]:
    start = request.visit_start_utc()
    end = request.reservation_end()
    return start - BEFORE_VISIT, end + AFTER_VISIT


def token_generation(token_sha256: str) -> str:
    """Names the engineer's current device token without revealing anything usable about it."""
    return hashlib.sha256(b"field-badge-generation:" + token_sha256.encode()).hexdigest()[:16]


def claims_for(engineer_id: str, assignment_id: str, request: ServiceRequest, generation: str = "") -> BadgeClaims:
    start, end = window(request)
    return BadgeClaims(
        engineer_id,
        assignment_id,
        request.local_start().date().isoformat(),
        int(start.timestamp()),
        int(end.timestamp()),
        generation,
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def sign(claims: BadgeClaims, keys: BadgeKeys | str) -> str:
    kid, secret = _keys(keys).signing
    payload = _b64(json.dumps(asdict(claims), separators=(",", ":"), sort_keys=True).encode())
    return f"{kid}.{payload}.{_mac(secret, f'{kid}.{payload}')}"


def _signed_claims(token: str, keys: BadgeKeys) -> BadgeClaims | None:
    if len(token) > MAX_TOKEN_CHARS:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    kid, payload, mac = parts
    secret = keys.by_id.get(kid)
    if secret is None or not payload or not mac or not hmac.compare_digest(_mac(secret, f"{kid}.{payload}"), mac):
        return None
    try:
        return BadgeClaims(**json.loads(_unb64(payload)))
    except (ValueError, TypeError):
        return None


def verify(token: str, keys: BadgeKeys | str, now: datetime | None = None) -> BadgeCheck:
    """The signature and the validity window only; `standing()` adds what the stored visit says."""
    now = now or datetime.now(UTC)
    claims = _signed_claims(token, _keys(keys))
    if claims is None:
        return BadgeCheck(BadgeStatus.forged, None, "not signed by eCorpOne")
    if now < claims.valid_from - VERIFY_GRACE:
        return BadgeCheck(BadgeStatus.not_yet_valid, claims, "before its validity window")
    if now > claims.valid_until + VERIFY_GRACE:
        return BadgeCheck(BadgeStatus.expired, claims, "after its validity window")
    return BadgeCheck(BadgeStatus.genuine, claims)


def standing(check: BadgeCheck, assignment: Assignment | None, current_generation: str | None) -> BadgeCheck:
    """Revocation and the site date, from the visit as stored now (`current_generation`: the engineer's
    current device-token generation, None if the engineer no longer exists)."""
    c = check.claims
    if c is None:
        return check

    def revoked(reason: str) -> BadgeCheck:
        return BadgeCheck(BadgeStatus.revoked, c, reason)

    if assignment is None or current_generation is None:
        return revoked("the visit or the engineer no longer exists")
    if assignment.status is Status.cancelled:
        return revoked("the visit was cancelled")
    if assignment.status in _NOT_APPROVED:
        return revoked("the visit is not approved")
    if all(e.id != c.engineer_id for e in assignment.engineers):
        return revoked("the engineer is no longer on the visit's team")
    if c.token_generation != current_generation:
        return revoked("the engineer's device was replaced (token rotated)")
    if c.site_date != assignment.request.local_start().date().isoformat():
        return BadgeCheck(BadgeStatus.other_date, c, f"signed for {c.site_date}, not the visit's date")
    return check
