"""Badges as site security and an attacker meet them: keys that last and rotate, revocation, the site date,
and pages that lend a bad badge neither a name nor a face."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from api_client import DispatchClient
from api_client.errors import ConflictError
from api_client.request import ServiceRequest
from dispatch.api.guards import RedactBadgeTokens
from dispatch.badge import (
    BadgeKeyMissing,
    BadgeKeys,
    BadgeStatus,
    claims_for,
    load_keys,
    sign,
    verify,
)
from tests.abuse.conftest import Crew, make_crew, visit_now
from tests.conftest import DISPATCHER_TOKEN, start_service
from tests.factories import request_data

OLD, NEW = "o" * 32, "n" * 32


def _claims(now):
    request = ServiceRequest.model_validate(visit_now(now))
    return claims_for("ENG-1", "ASG-1", request, "gen-1")


# -- keys: unit level, with an explicit now --------------------------------------------------------------------
def test_a_badge_signed_with_the_old_key_verifies_during_a_rotation_and_not_after():
    from datetime import UTC, datetime

    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    claims = _claims(now)
    old_badge = sign(claims, BadgeKeys.of(OLD))
    rotating = BadgeKeys.of(NEW, [OLD])
    assert verify(old_badge, rotating, now).status is BadgeStatus.genuine
    assert sign(claims, rotating).split(".")[0] != old_badge.split(".")[0]  # new badges carry the new key id
    assert verify(sign(claims, rotating), BadgeKeys.of(NEW), now).status is BadgeStatus.genuine
    assert verify(old_badge, BadgeKeys.of(NEW), now).status is BadgeStatus.forged  # old key retired


def test_expired_not_yet_valid_and_forged_at_a_chosen_now():
    from datetime import UTC, datetime

    now = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # late evening: the window crosses midnight
    claims = _claims(now)
    token = sign(claims, OLD)
    assert verify(token, OLD, now).status is BadgeStatus.genuine
    assert verify(token, OLD, now + timedelta(days=1)).status is BadgeStatus.expired
    assert verify(token, OLD, now - timedelta(days=1)).status is BadgeStatus.not_yet_valid
    assert verify(token, NEW, now).status is BadgeStatus.forged
    assert verify("x" * 5000, OLD, now).status is BadgeStatus.forged
    assert verify(token + ".extra", OLD, now).status is BadgeStatus.forged


def test_key_file_is_created_once_and_reused(tmp_path: Path, capsys):
    key_file = tmp_path / "keys" / "badge-keys"
    first = load_keys(None, [], key_file)
    assert "Created a badge signing key" in capsys.readouterr().out
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert load_keys(None, [], key_file) == first  # a restart keeps the key
    assert "Created" not in capsys.readouterr().out
    key_file.write_text(f"{NEW}\n{key_file.read_text()}")  # rotation: new key first, old one still verifies
    rotated = load_keys(None, [], key_file)
    assert rotated.secrets == (NEW, first.secrets[0])


def test_no_secret_and_no_key_file_refuses_to_start():
    with pytest.raises(BadgeKeyMissing, match="FIELD_DISPATCH_BADGE_SECRET"):
        load_keys(None, [], None)


# -- live: what site security sees ---------------------------------------------------------------------------
def _badge(crew: Crew, engineer_token: str, job: str):
    return _badge_at(crew.service.url, engineer_token, job)


def _badge_at(url: str, engineer_token: str, job: str):
    with DispatchClient(url, engineer_token, max_retries=0) as c:
        return c.badge(job)


def _page(url: str) -> httpx.Response:
    return httpx.get(url, timeout=10)


def _shows_nobody(page: httpx.Response, crew: Crew) -> None:
    assert page.status_code == 403
    assert "Alice" not in page.text and "<img" not in page.text


def test_genuine_badge_page_shows_name_and_photo_with_security_headers(crew: Crew):
    badge = _badge(crew, crew.a_token, crew.a_job)
    page = _page(badge.verify_url)
    assert page.status_code == 200 and 'data-status="genuine"' in page.text and "Alice Abe" in page.text
    h = page.headers
    assert "frame-ancestors 'none'" in h["content-security-policy"] and "script-src" not in h["content-security-policy"]
    assert h["x-frame-options"] == "DENY" and h["cache-control"] == "no-store"
    assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"
    photo = _page(badge.verify_url + "/photo")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"


def test_cancelling_the_visit_revokes_the_badge_at_once(crew: Crew):
    badge = _badge(crew, crew.a_token, crew.a_job)
    with crew.dispatcher() as d:
        d.cancel(crew.a_job, "client postponed")
    page = _page(badge.verify_url)
    assert 'data-status="revoked"' in page.text and "REVOKED" in page.text
    _shows_nobody(page, crew)
    assert _page(badge.verify_url + "/photo").status_code == 404
    with pytest.raises(ConflictError):
        _badge(crew, crew.a_token, crew.a_job)


def test_rotating_the_engineers_token_revokes_the_badge(crew: Crew):
    badge = _badge(crew, crew.a_token, crew.a_job)
    with crew.dispatcher() as d:
        fresh = d.rotate_token(crew.a_id)
    page = _page(badge.verify_url)
    assert 'data-status="revoked"' in page.text
    _shows_nobody(page, crew)
    assert _page(badge.verify_url + "/photo").status_code == 404
    renewed = _badge(crew, fresh.token, crew.a_job)  # the new phone gets a badge that is genuine again
    assert 'data-status="genuine"' in _page(renewed.verify_url).text


def test_an_engineer_no_longer_on_the_team_is_revoked(crew: Crew):
    # B is not on A's visit: a validly signed badge naming B for it (e.g. issued before a re-proposal) is revoked.
    store = crew.service.store
    keys = crew.service.server.config.app.state.badge_keys
    request = store.assignment(crew.a_job, _dispatcher_principal()).request
    token = sign(claims_for(crew.b_id, crew.a_job, request, store.token_generation(crew.b_id) or ""), keys)
    page = _page(f"{crew.service.url}/verify/{token}")
    assert 'data-status="revoked"' in page.text and "Bob" not in page.text


def test_no_badge_before_approval(abuse_service):
    with DispatchClient(abuse_service.url, DISPATCHER_TOKEN) as d:
        from api_client.wire import EngineerIn

        e = d.add_engineer(EngineerIn(name="Cy Cho", phone="+81 90-1234-0003"))
        job = d.create_assignment(request_data())
        d.propose(job.id, [e.engineer.id])
        with pytest.raises(ConflictError) as refused:
            d.badge(job.id, engineer_id=e.engineer.id)
    assert refused.value.status_code == 409


def test_a_badge_signed_for_another_date_reads_other_date(crew: Crew):
    store = crew.service.store
    keys = crew.service.server.config.app.state.badge_keys
    request = store.assignment(crew.a_job, _dispatcher_principal()).request
    good = claims_for(crew.a_id, crew.a_job, request, store.token_generation(crew.a_id) or "")
    tomorrow = (request.local_start().date() + timedelta(days=1)).isoformat()
    token = sign(replace(good, site_date=tomorrow), keys)  # inside its window, but for another day
    page = _page(f"{crew.service.url}/verify/{token}")
    assert 'data-status="other_date"' in page.text
    _shows_nobody(page, crew)
    assert _page(f"{crew.service.url}/verify/{token}/photo").status_code == 404


def test_expired_and_forged_pages_show_no_name_and_no_photo(crew: Crew):
    store = crew.service.store
    keys = crew.service.server.config.app.state.badge_keys
    request = store.assignment(crew.a_job, _dispatcher_principal()).request
    good = claims_for(crew.a_id, crew.a_job, request, store.token_generation(crew.a_id) or "")
    day = 86_400
    expired = sign(replace(good, not_before=good.not_before - 2 * day, expires=good.expires - 2 * day), keys)
    page = _page(f"{crew.service.url}/verify/{expired}")
    assert 'data-status="expired"' in page.text
    _shows_nobody(page, crew)
    assert _page(f"{crew.service.url}/verify/{expired}/photo").status_code == 404
    genuine = _badge(crew, crew.a_token, crew.a_job).token
    kid, payload, mac = genuine.split(".")
    for forged in (f"{kid}.{payload}.{mac[:-2]}AA", f"{kid}.{payload[:-2]}xx.{mac}", "garbage", "a.b.c"):
        page = _page(f"{crew.service.url}/verify/{forged}")
        assert 'data-status="forged"' in page.text
        _shows_nobody(page, crew)
        assert _page(f"{crew.service.url}/verify/{forged}/photo").status_code == 404


def test_badges_survive_a_restart_and_two_instances_verify_each_other(tmp_path: Path):
    db = tmp_path / "shared.sqlite3"
    first = start_service(db, mail_spool_dir=tmp_path / "mail")
    try:
        crew = make_crew(first)
        badge = _badge(crew, crew.a_token, crew.a_job)
        second = start_service(db, mail_spool_dir=tmp_path / "mail")  # another instance on the same data
        try:
            other = badge.verify_url.replace(first.url, second.url)
            assert 'data-status="genuine"' in _page(other).text
            theirs = _badge_at(second.url, crew.a_token, crew.a_job)  # issued by the second instance
            assert 'data-status="genuine"' in _page(theirs.verify_url.replace(second.url, first.url)).text
        finally:
            second.stop()
    finally:
        first.stop()
    restarted = start_service(db, mail_spool_dir=tmp_path / "mail")
    try:
        assert 'data-status="genuine"' in _page(badge.verify_url.replace(first.url, restarted.url)).text
    finally:
        restarted.stop()


def test_a_badge_from_an_instance_with_another_key_is_forged(crew: Crew, tmp_path: Path):
    stranger = start_service(tmp_path / "elsewhere" / "other.sqlite3", mail_spool_dir=tmp_path / "mail2")
    try:
        other = make_crew(stranger)
        badge = _badge(other, other.a_token, other.a_job)
    finally:
        stranger.stop()
    token = badge.verify_url.rsplit("/", 1)[1]
    page = _page(f"{crew.service.url}/verify/{token}")
    assert 'data-status="forged"' in page.text
    _shows_nobody(page, crew)


def test_badge_tokens_never_reach_the_access_log(crew: Crew):
    badge = _badge(crew, crew.a_token, crew.a_job)
    token = badge.token
    access = logging.getLogger("uvicorn.access")
    assert any(isinstance(f, RedactBadgeTokens) for f in access.filters)
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler, level = Keep(), access.level
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        _page(badge.verify_url)
        _page(badge.verify_url + "/photo")
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    assert any("/verify/<badge>" in line for line in lines), lines
    assert not any(token in line or token.split(".")[1] in line for line in lines)


def _dispatcher_principal():
    from api_client.rules.lifecycle import Role
    from dispatch.store import Principal

    return Principal(Role.dispatcher)
