"""Engineers at the desk: the list (and adding one), each profile (names EN/JA, ID photo, skill, languages,
phone / email / WhatsApp, base location, working hours, days off), pairing a new phone by a one-time code or
QR, and the lost-phone button. Every change is audited with the dispatcher who made it."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api_client import texts
from api_client.contacts import PhoneNumberError, display_phone, normalise_phone
from api_client.maps import MapsUrlError, parse_maps_url
from api_client.request import SkillLevel
from api_client.texts import Language
from api_client.wire import EngineerIn

from ... import audit, engineer_profiles, pairing
from ...engineer_profiles import Profile, ProfileIn
from ...store import NotFound
from ..csrf import CSRF
from ..pages import language, render
from ..sessions import DeskPage

router = APIRouter(prefix="/desk/engineers", dependencies=[CSRF], include_in_schema=False)

MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_DAYS_OFF = 100
MAX_NAME = 200
MAX_ADDRESS = 500
MAX_MAPS = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PAIR = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_ZONES_SHOWN = ("Asia/Tokyo", "Asia/Seoul", "Asia/Singapore", "Asia/Shanghai", "Europe/London", "America/New_York")


def _photo_kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


class _Form:
    """The profile form as posted: each field checked, each mistake named by its field, in the reader's
    language; nothing is written unless every field is right."""

    def __init__(self, raw: dict[str, Any], lang: Language) -> None:
        self.raw, self.lang = raw, lang
        self.errors: dict[str, str] = {}

    def _t(self, key: str, **kw: object) -> str:
        return texts.text(key, self.lang, **kw)

    def text(self, name: str, limit: int, *, required: bool = False) -> str:
        value = " ".join(str(self.raw.get(name) or "").split())
        if required and not value:
            self.errors[name] = self._t("desk.eng.error.required", field=name)
        elif len(value) > limit:
            self.errors[name] = self._t("desk.eng.error.too_long", field=name, limit=limit)
        return value[:limit]

    def phone(self, name: str) -> str | None:
        value = str(self.raw.get(name) or "").strip()
        if not value:
            return None
        try:
            return normalise_phone(value[:40])
        except PhoneNumberError as exc:
            self.errors[name] = self._t("desk.eng.error.phone", field=name, message=str(exc))
            return None

    def email(self) -> str | None:
        value = str(self.raw.get("email") or "").strip()
        if not value:
            return None
        if len(value) > 320 or not _EMAIL.match(value):
            self.errors["email"] = self._t("desk.eng.error.email", field="email")
            return None
        return value.lower()

    def skill(self) -> SkillLevel:
        try:
            return SkillLevel(str(self.raw.get("skill_level") or "senior"))
        except ValueError:
            self.errors["skill_level"] = self._t("desk.eng.error.required", field="skill_level")
            return SkillLevel.senior

    def languages(self, chosen: list[str]) -> list[str]:
        found = [x for x in dict.fromkeys(chosen) if x in texts.LANGUAGES]
        if not found:
            self.errors["languages"] = self._t("desk.eng.error.language")
        return found


def _profile_in(
    raw: dict[str, Any], languages: list[str], weekly: list[str], lang: Language
) -> tuple[ProfileIn, dict[str, str]]:
    f = _Form(raw, lang)
    name = f.text("name", MAX_NAME, required=True)
    name_ja = f.text("name_ja", MAX_NAME)
    skill = f.skill()
    langs = f.languages(languages)
    phone, whatsapp, email = f.phone("phone"), f.phone("whatsapp"), f.email()
    address = f.text("base_address", MAX_ADDRESS)
    maps = str(raw.get("base_maps") or "").strip()
    lat = lng = None
    maps_url = ""
    if len(maps) > MAX_MAPS:
        f.errors["base_maps"] = texts.text("desk.eng.error.too_long", lang, field="base_maps", limit=MAX_MAPS)
    elif maps and (m := _PAIR.match(maps)):
        lat, lng = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            f.errors["base_maps"] = texts.text("desk.eng.error.maps", lang, message=maps)
            lat = lng = None
    elif maps:
        try:
            point = parse_maps_url(maps)
        except MapsUrlError as exc:
            f.errors["base_maps"] = texts.text("desk.eng.error.maps", lang, message=str(exc))
        else:
            if not point.has_coordinates:
                f.errors["base_maps"] = texts.text("desk.eng.error.maps", lang, message="no coordinates in the link")
            maps_url, lat, lng = point.url, point.latitude, point.longitude
    zone = str(raw.get("timezone") or "Asia/Tokyo").strip()
    try:
        ZoneInfo(zone)
    except (ValueError, KeyError, OSError):
        f.errors["timezone"] = texts.text("desk.eng.error.timezone", lang)
        zone = "Asia/Tokyo"
    hours = {}
    for name_, default in (("work_start", "09:00"), ("work_end", "18:00")):
        value = str(raw.get(name_) or default).strip()
        if not _HHMM.match(value):
            f.errors[name_] = texts.text("desk.eng.error.time", lang, field=name_)
            value = default
        hours[name_] = value
    end = time.fromisoformat(hours["work_end"])
    if end != time(0) and end <= time.fromisoformat(hours["work_start"]):
        f.errors["work_end"] = texts.text("desk.eng.error.hours_order", lang)
    days = sorted({int(d) for d in weekly if d in {"0", "1", "2", "3", "4", "5", "6"}})
    dates: list[str] = []
    for line in str(raw.get("days_off") or "").split():
        if len(dates) > MAX_DAYS_OFF:  # counted while reading: a pasted novel is not parsed to the end
            break
        try:
            dates.append(date.fromisoformat(line.strip()[:10]).isoformat())
        except ValueError:
            f.errors["days_off"] = texts.text("desk.eng.error.date", lang, value=line[:20])
            break
    if len(set(dates)) > MAX_DAYS_OFF:
        f.errors["days_off"] = texts.text("desk.eng.error.too_many_dates", lang, limit=MAX_DAYS_OFF)
    data = ProfileIn(
        name=name,
        name_ja=name_ja,
        skill_level=skill,
        languages=langs,
        phone=phone,
        email=email,
        whatsapp=whatsapp,
        base_address=address,
        base_maps_url=maps_url or (maps if lat is not None else ""),
        base_latitude=lat,
        base_longitude=lng,
        timezone=zone,
        work_start=hours["work_start"],
        work_end=hours["work_end"],
        weekly_days_off=days,
        days_off=sorted(set(dates)),
    )
    return data, f.errors


async def _photo(upload: UploadFile | None, lang: Language, errors: dict[str, str]) -> bytes | None:
    """The uploaded ID photo, checked by its bytes (not its name or declared type) and size; read only up to
    the limit + 1 byte."""
    if upload is None or not upload.filename:
        return None
    data = await upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        errors["photo"] = texts.text("desk.eng.error.photo_size", lang, limit=MAX_PHOTO_BYTES // (1024 * 1024))
        return None
    if not data:
        return None
    if _photo_kind(data) is None:
        errors["photo"] = texts.text("desk.eng.error.photo_type", lang)
        return None
    return data


def _profile_page(
    request: Request,
    p: Profile,
    *,
    errors: dict[str, str] | None = None,
    raw: dict[str, Any] | None = None,
    code: tuple[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    base = str(request.app.state.settings.public_base_url or request.base_url).rstrip("/")
    values: dict[str, Any] = {
        "p": p,
        "e": p.engineer,
        "nav": "engineers",
        "errors": errors or {},
        "raw": raw,
        "zones": sorted({p.timezone, *_ZONES_SHOWN}),
        "notice": _notice(request),
        "pair_minutes": int(pairing.LIFETIME.total_seconds() // 60),
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
    }
    if code is not None:
        values["code"], values["code_expires"] = code
        values["qr"] = pairing.qr_data_uri(pairing.pairing_link(base, code[0]))
    return render(request, "desk/engineer.html", values, status_code=status_code)


def _notice(request: Request) -> str:
    done = request.query_params.get("done", "")
    key = {"saved": "desk.eng.saved", "lost": "desk.pair.lost.done"}.get(done)
    return texts.text(key, language(request)) if key else ""


@router.get("", response_class=HTMLResponse)
def engineer_list(request: Request, session: DeskPage) -> Response:
    return render(
        request,
        "desk/engineers.html",
        {
            "profiles": engineer_profiles.profiles(request.app.state.store),
            "nav": "engineers",
            "errors": {},
            "raw": {},
            "display_phone": display_phone,
        },
    )


@router.post("", response_class=HTMLResponse)
async def add_engineer(request: Request, session: DeskPage) -> Response:
    store = request.app.state.store
    form = await request.form()
    lang = language(request)
    f = _Form(dict(form), lang)
    name = f.text("name", MAX_NAME, required=True)
    skill = f.skill()
    langs = f.languages([str(x) for x in form.getlist("languages")])
    phone = f.phone("phone")
    if f.errors:
        return render(
            request,
            "desk/engineers.html",
            {
                "profiles": engineer_profiles.profiles(store),
                "nav": "engineers",
                "errors": f.errors,
                "raw": dict(form),
                "display_phone": display_phone,
            },
            status_code=422,
        )
    created = store.add_engineer(EngineerIn(name=name, skill_level=skill, languages=langs, phone=phone))  # type: ignore[arg-type]
    audit.record(store, session.actor, "engineer_add", None, {"by": session.name, "engineer": created.engineer.id})
    return RedirectResponse(f"/desk/engineers/{created.engineer.id}", status_code=303)


@router.get("/{engineer_id}", response_class=HTMLResponse)
def engineer_page(request: Request, engineer_id: str, session: DeskPage) -> Response:
    return _profile_page(request, engineer_profiles.profile(request.app.state.store, engineer_id))


@router.post("/{engineer_id}", response_class=HTMLResponse)
async def save_engineer(
    request: Request,
    engineer_id: str,
    session: DeskPage,
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    store = request.app.state.store
    current = engineer_profiles.profile(store, engineer_id)  # NotFound before any work
    form = await request.form()
    lang = language(request)
    raw = {k: v for k, v in form.items() if isinstance(v, str)}
    data, errors = _profile_in(
        raw, [str(x) for x in form.getlist("languages")], [str(x) for x in form.getlist("weekly_days_off")], lang
    )
    image = await _photo(photo, lang, errors)
    if errors:
        return _profile_page(request, current, errors=errors, raw=raw, status_code=422)
    engineer_profiles.save_profile(store, engineer_id, data, image)
    audit.record(
        store,
        session.actor,
        "engineer_profile",
        None,
        {"by": session.name, "engineer": engineer_id, "photo": image is not None},
    )
    return RedirectResponse(f"/desk/engineers/{engineer_id}?done=saved", status_code=303)


@router.get("/{engineer_id}/photo")
def engineer_photo(request: Request, engineer_id: str, session: DeskPage) -> Response:
    photo = request.app.state.store.engineer_photo(engineer_id)
    if photo is None:
        raise NotFound(engineer_id)
    return Response(photo, media_type=_photo_kind(photo) or "application/octet-stream")


@router.post("/{engineer_id}/pairing", response_class=HTMLResponse)
def pairing_page(request: Request, engineer_id: str, session: DeskPage) -> Response:
    store = request.app.state.store
    p = engineer_profiles.profile(store, engineer_id)
    code, expires = pairing.issue(store, engineer_id, session.actor)
    audit.record(store, session.actor, "pairing_code", None, {"by": session.name, "engineer": engineer_id})
    return _profile_page(request, p, code=(code, expires))


@router.post("/{engineer_id}/lost-phone")
def lost_phone(request: Request, engineer_id: str, session: DeskPage) -> Response:
    store = request.app.state.store
    store.rotate_token(engineer_id)  # the new token is not shown: the new phone pairs by code
    audit.record(store, session.actor, "lost_phone", None, {"by": session.name, "engineer": engineer_id})
    return RedirectResponse(f"/desk/engineers/{engineer_id}?done=lost", status_code=303)
