from datetime import UTC, datetime, timedelta

from api_client.request import ServiceRequest
from dispatch.badge import VERIFY_GRACE, BadgeStatus, claims_for, sign, verify
from tests.factories import request_data

SECRET = "s" * 32


def _token():
    req = ServiceRequest.model_validate(request_data(visit_start="2026-12-01T01:00:00Z", reserved_hours=2))
    claims = claims_for("ENG-1", "ASG-1", req)
    return claims, sign(claims, SECRET)


def test_badge_is_valid_from_three_hours_before_to_four_after_the_reservation():
    claims, token = _token()
    assert claims.valid_from == datetime(2026, 11, 30, 22, 0, tzinfo=UTC)
    assert claims.valid_until == datetime(2026, 12, 1, 7, 0, tzinfo=UTC) and claims.site_date == "2026-12-01"
    assert verify(token, SECRET, claims.valid_from + timedelta(hours=1)).status is BadgeStatus.genuine


def test_short_grace_then_expired():
    claims, token = _token()
    assert verify(token, SECRET, claims.valid_until + VERIFY_GRACE).status is BadgeStatus.genuine
    assert verify(token, SECRET, claims.valid_until + VERIFY_GRACE + timedelta(seconds=1)).status is BadgeStatus.expired
    assert verify(token, SECRET, claims.valid_from - timedelta(hours=1)).status is BadgeStatus.not_yet_valid


def test_wrong_key_or_edited_claims_are_forged():
    claims, token = _token()
    now = claims.valid_from + timedelta(hours=1)
    assert verify(token, "another-secret-of-32-characters!", now).status is BadgeStatus.forged
    kid, payload, mac = token.split(".")
    assert (
        verify(f"{kid}.{payload[:-1] + ('A' if payload[-1] != 'A' else 'B')}.{mac}", SECRET, now).status
        is BadgeStatus.forged
    )
    assert verify("garbage", SECRET, now).status is BadgeStatus.forged
