"""Badges: the engineer's signed QR, and the public /verify page site security opens with any phone camera."""

from __future__ import annotations

import html
from datetime import datetime

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import HTMLResponse

from api_client.rules.lifecycle import Refused, Role, Status
from api_client.texts import site_datetime, text
from api_client.wire import Assignment, Badge

from ...badge import BadgeCheck, BadgeKeys, BadgeStatus, claims_for, sign, standing, verify
from ...principal import SYSTEM
from ...store import Store
from ..deps import BadgeKeysDep, Caller, SettingsDep, StoreDep
from .report_check import FONT_CSS

router = APIRouter(tags=["badges"])


@router.get("/v1/assignments/{assignment_id}/badge", responses={409: {"description": "Not approved, or cancelled"}})
def get_badge(
    assignment_id: str,
    who: Caller,
    store: StoreDep,
    settings: SettingsDep,
    keys: BadgeKeysDep,
    engineer_id: str | None = None,
) -> Badge:
    """The caller's badge for this assignment (the dispatcher names the engineer). None before approval:
    without approval no engineer is sent, so none may be admitted."""
    a = store.assignment(assignment_id, who)
    eid = who.engineer_id if who.role is Role.engineer else engineer_id
    engineer = next((e for e in a.engineers if e.id == eid), None)
    if engineer is None:
        raise HTTPException(404, "No such engineer on this assignment's team.")
    if a.status in {Status.requested, Status.proposed}:
        raise Refused("not_approved", "No badge before the ordering party approves the visit.")
    if a.status is Status.cancelled:
        raise Refused("cancelled", "The visit was cancelled: no badge.")
    claims = claims_for(engineer.id, a.id, a.request, store.token_generation(engineer.id) or "")
    token = sign(claims, keys)
    return Badge(
        token=token,
        verify_url=f"{settings.public_base_url.rstrip('/')}/verify/{token}",
        valid_from=claims.valid_from,
        valid_until=claims.valid_until,
        engineer=engineer,
        assignment_id=a.id,
        title=a.request.title,
        site=a.request.locations[0].name,
        client_company=a.request.ordering_party.company,
    )


def check_badge(
    token: str, store: Store, keys: BadgeKeys, now: datetime | None = None
) -> tuple[BadgeCheck, Assignment | None]:
    """The signature, the window, then what the stored visit says now (cancelled, team, token, date)."""
    check = verify(token, keys, now or store.clock())
    if check.claims is None:
        return check, None
    try:
        a: Assignment | None = store.assignment(check.claims.assignment_id, SYSTEM)
    except LookupError:
        a = None
    generation = store.token_generation(check.claims.engineer_id)
    return standing(check, a, generation), a


_COLOUR = {
    BadgeStatus.genuine: "#1b7a35",
    BadgeStatus.expired: "#b35c00",
    BadgeStatus.not_yet_valid: "#b35c00",
    BadgeStatus.other_date: "#b00020",
    BadgeStatus.revoked: "#b00020",
    BadgeStatus.forged: "#b00020",
}


def _both(key: str) -> str:
    """Site security may read either language: the label in English / Japanese, from the catalog."""
    return f"{text(key, 'en')} / {text(key, 'ja')}"


@router.get("/verify/{token}", response_class=HTMLResponse, include_in_schema=False)
def verify_page(token: str, store: StoreDep, keys: BadgeKeysDep) -> HTMLResponse:
    check, a = check_badge(token, store, keys)
    colour = _COLOUR[check.status]
    en, ja = text(f"badge.{check.status.value}", "en"), text(f"badge.{check.status.value}", "ja")
    rows, tz = "", "UTC"
    photo = ""
    reason = f'<p class="reason">{html.escape(check.reason)}</p>' if check.reason else ""
    if check.shows_holder and check.claims is not None:  # a badge that is not genuine lends no name or face
        c = check.claims
        engineer = next((e for e in a.engineers if e.id == c.engineer_id), None) if a else None
        tz = a.request.site_timezone if a else "UTC"
        if engineer is not None and a is not None:
            if engineer.has_photo:
                photo = f'<img src="/verify/{html.escape(token)}/photo" alt="photo" class="photo">'
            rows = "".join(
                f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                for k, v in [
                    (
                        _both("badge.label.engineer"),
                        engineer.name + (f"（{engineer.name_ja}）" if engineer.name_ja else ""),
                    ),
                    (_both("badge.label.company"), engineer.company),
                    (_both("badge.label.skill"), _both(f"skill.{engineer.skill_level.value}")),
                    (
                        _both("badge.label.for"),
                        f"{a.request.ordering_party.company} — {a.request.locations[0].name}",
                    ),
                    (
                        _both("badge.label.valid"),
                        f"{site_datetime(c.valid_from, tz, 'en', year=True)} → "
                        f"{site_datetime(c.valid_until, tz, 'en', year=True)}",
                    ),
                ]
            )
    checked = text("badge.label.checked", "en", time=site_datetime(store.clock(), tz, "en", year=True))
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>eCorpOne badge check</title>
<style>{FONT_CSS}body{{margin:0;background:#f5f6f8}}
.banner{{background:{colour};color:#fff;padding:24px 16px;font-size:22px;font-weight:700}}
.banner small{{display:block;font-size:16px;font-weight:400;margin-top:4px}}
.card{{background:#fff;margin:16px;padding:16px;border-radius:12px}}
.photo{{width:160px;border-radius:8px;display:block;margin-bottom:12px}}
th{{text-align:left;color:#555;font-weight:400;padding:4px 12px 4px 0;vertical-align:top}}td{{padding:4px 0}}
.reason{{color:#555;margin:0 0 8px}}footer{{color:#777;font-size:12px;margin:16px}}</style></head>
<body><div class="banner" id="status" data-status="{check.status.value}">{en}<small>{ja}</small></div>
<div class="card">{reason}{photo}<table>{rows}</table></div>
<footer>eCorpOne Field · {html.escape(checked)}</footer></body></html>"""
    return HTMLResponse(page, status_code=200 if check.status is BadgeStatus.genuine else 403)


@router.get("/verify/{token}/photo", include_in_schema=False)
def verify_photo(token: str, store: StoreDep, keys: BadgeKeysDep) -> Response:
    check, _ = check_badge(token, store, keys)
    if not check.shows_holder or check.claims is None:
        raise HTTPException(404, "Not found")
    photo = store.engineer_photo(check.claims.engineer_id)
    if photo is None:
        raise HTTPException(404, "Not found")
    return Response(
        photo,
        media_type="image/png" if photo.startswith(b"\x89PNG") else "image/jpeg",
        headers={"Cache-Control": "no-store"},
    )
