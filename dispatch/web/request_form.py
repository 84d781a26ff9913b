""" "Request a visit" as a web form, shared by the portal (a client's person) and the desk (a dispatcher entering a
request on a client's behalf): form fields <-> draft <-> ServiceRequest, and the validator's errors by form field.

The form's field names are the ServiceRequest's own paths (`locations.0.local_contacts.1.phone`), so an error's
location *is* the field it belongs to; the few that differ (the date and time make `visit_start`, the pin is read
from the Maps URL) are mapped in `FIELD_OF`. Repeated parts (locations, contacts, items, paperwork, steps) carry
their row count as `<list>.n`; adding or removing a row is a submit button, so the form works without
JavaScript, and everything typed is kept in the draft (a table) and re-rendered from it after every post.

    fields = read_form(form)                          # only the names the form has; values cut at MAX_VALUE
    fields = apply_row_action(fields, "add:items")    # or "remove:locations.1"
    checked = check(fields, company, now, lang)       # the API's validator: .request, or .errors by field
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from api_client.clients import Company
from api_client.documents import DocumentRef
from api_client.maps import MapsPoint, MapsUrlError, parse_maps_url
from api_client.rate_card import RateCard
from api_client.request import ServiceRequest
from api_client.rules.billing import is_expedited
from api_client.texts import Language, has_text, text

MAX_VALUE = 10_000  # characters kept per field (the contract's own limits, e.g. 4 000 for notes, still apply)
# Rows a form may have (the contract's limits, so a form can never hold more than the validator accepts).
MAX_ROWS = {
    "locations": 20,
    "local_contacts": 20,
    "items": 100,
    "paperwork": 50,
    "work.steps": 100,
}
ZONES = (
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Bangkok",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)
CONTACT_PARTS = ("name", "role", "phone", "email", "whatsapp")
LOCATION_PARTS = ("name", "address", "maps_url", "floor", "access_notes")
ROW_PARTS = {
    "items": ("name", "quantity", "requested"),
    "paperwork": ("name", "status", "note"),
    "work.steps": ("title", "detail", "confirm_before", "confirm_after"),
}
SCALARS = frozenset(
    {
        "title",
        "reference",
        "notes",
        "ordering_party.company",
        *(f"ordering_party.engineer.{p}" for p in CONTACT_PARTS),
        "visit_date",
        "visit_time",
        "site_timezone",
        "reserved_hours",
        "urgency",
        "skill_level",
        "engineer_count",
        "assistance_provided",
        "languages.en",
        "languages.ja",
        "local_contact_override.forced_by",
        "local_contact_override.reason",
        "work.summary",
        "work.target_hardware",
        "work.instructions_provided",
        "work.simple",
        "travel.required",
        "travel.accommodation",
        "devices_on_site_confirmed",
        "caller_name",
        "document_kind",
    }
)
_ROW_NAME = re.compile(
    r"^(?:locations\.\d{1,2}\.(?:" + "|".join(LOCATION_PARTS) + r"|local_contacts\.n"
    r"|local_contacts\.\d{1,2}\.(?:" + "|".join(CONTACT_PARTS) + r"))"
    r"|items\.\d{1,3}\.(?:name|quantity|requested)"
    r"|paperwork\.\d{1,2}\.(?:name|status|note)"
    r"|work\.steps\.\d{1,3}\.(?:title|detail|confirm_before|confirm_after)"
    r"|(?:locations|items|paperwork|work\.steps)\.n)$"
)
_ACTION = re.compile(
    r"^(?:add:(?:locations|items|paperwork|work\.steps|locations\.\d{1,2}\.local_contacts)"
    r"|remove:(?:locations|items|paperwork|work\.steps|locations\.\d{1,2}\.local_contacts)\.\d{1,3})$"
)

# An error at one of these paths is shown at the named form field (the rest are shown where they are).
FIELD_OF = {
    "visit_start": "visit_date",
    "requested_at": "visit_date",
}


def default_fields(company: Company, lang: Language, person_name: str = "", email: str = "", phone: str = "") -> dict:
    """A new form: the seed's defaults (senior, one engineer, the default reservation), one location with one
    local contact, the reader's language, and the company's own name and the person as its engineer."""
    return {
        "ordering_party.company": company.name(lang),
        "ordering_party.engineer.name": person_name,
        "ordering_party.engineer.email": email,
        "ordering_party.engineer.phone": phone or "",
        "site_timezone": "Asia/Tokyo",
        "urgency": "1",
        "skill_level": "senior",
        "engineer_count": "1",
        f"languages.{lang}": "on",
        "locations.n": "1",
        "locations.0.local_contacts.n": "1",
        "items.n": "1",
        "items.0.requested": "requested",
        "paperwork.n": "1",
        "work.steps.n": "1",
        "document_kind": "instructions",
    }


def allowed(name: str) -> bool:
    return name in SCALARS or _ROW_NAME.match(name) is not None


def read_form(form: Mapping[str, Any]) -> dict[str, str]:
    """The posted text fields the form has (files and unknown names are left out), each cut at MAX_VALUE; the
    row counts kept within the contract's limits."""
    fields = {k: v[:MAX_VALUE] for k, v in form.items() if isinstance(v, str) and allowed(k)}
    for key in [k for k in fields if k.endswith(".n")]:
        fields[key] = str(_bounded_count(fields[key], key))
    fields.setdefault("locations.n", "1")
    return fields


def _bounded_count(value: str, key: str) -> int:
    limit = MAX_ROWS["local_contacts" if "local_contacts" in key else key.removesuffix(".n")]
    try:
        n = int(value)
    except ValueError:
        n = 0
    floor = 1 if key == "locations.n" else 0
    return max(floor, min(n, limit))


def count(fields: Mapping[str, str], list_path: str) -> int:
    try:
        return int(fields.get(f"{list_path}.n", "0"))
    except ValueError:
        return 0


def is_row_action(action: str) -> bool:
    return _ACTION.match(action) is not None


def apply_row_action(fields: dict[str, str], action: str) -> dict[str, str]:
    """Add a blank row at the end of a list, or remove one row (later rows move up, with their own rows)."""
    verb, _, target = action.partition(":")
    if verb == "add":
        n = count(fields, target)
        limit = MAX_ROWS["local_contacts" if target.endswith("local_contacts") else target]
        if n < limit:
            fields[f"{target}.n"] = str(n + 1)
            if target == "locations":
                fields[f"locations.{n}.local_contacts.n"] = "1"
            if target == "items":
                fields[f"items.{n}.requested"] = "requested"
        return fields
    list_path, _, index_text = target.rpartition(".")
    index, n = int(index_text), count(fields, list_path)
    if index >= n or (list_path == "locations" and n <= 1):
        return fields
    prefix = f"{list_path}."
    moved: dict[str, str] = {}
    for key, value in fields.items():
        if not key.startswith(prefix) or key == f"{list_path}.n":
            moved[key] = value
            continue
        row_text, _, rest = key[len(prefix) :].partition(".")
        if not row_text.isdigit():
            moved[key] = value
            continue
        row = int(row_text)
        if row == index:
            continue
        moved[f"{prefix}{row - 1 if row > index else row}.{rest}"] = value
    moved[f"{list_path}.n"] = str(n - 1)
    return moved


# -- form -> the service request's data ---------------------------------------------------------------------
def _text(fields: Mapping[str, str], name: str) -> str:
    return fields.get(name, "").strip()


def _optional(out: dict[str, Any], key: str, value: str) -> None:
    if value:
        out[key] = value


def _contact(fields: Mapping[str, str], prefix: str) -> dict[str, Any]:
    contact: dict[str, Any] = {"name": _text(fields, f"{prefix}.name")}
    for part in ("role", "phone", "email", "whatsapp"):
        _optional(contact, part, _text(fields, f"{prefix}.{part}"))
    return contact


def _blank(fields: Mapping[str, str], prefix: str, parts: tuple[str, ...]) -> bool:
    return not any(_text(fields, f"{prefix}.{p}") for p in parts)


def visit_start(fields: Mapping[str, str]) -> str | None:
    """The visit date and time, read on the site's clock, as an ISO instant; the raw text when it does not
    parse (the validator then names the rule); None when no date was given."""
    day, at, zone = _text(fields, "visit_date"), _text(fields, "visit_time") or "09:00", _text(fields, "site_timezone")
    if not day:
        return None
    try:
        local = datetime.combine(date.fromisoformat(day), time.fromisoformat(at))
        return local.replace(tzinfo=ZoneInfo(zone)).isoformat()
    except (ValueError, ZoneInfoNotFoundError):
        return f"{day}T{at}"


@dataclass
class RequestData:
    """The request as the validator reads it, and where each list item came from in the form (blank rows are
    left out, so item 0 of `items` may be form row 2)."""

    data: dict[str, Any]
    rows: dict[tuple[str | int, ...], list[int]] = field(default_factory=dict)


def to_request_data(
    fields: Mapping[str, str], retainer: bool, documents: list[DocumentRef], notify: Sequence[str] = ()
) -> RequestData:
    """`notify`: who hears of the visit by mail besides the project engineer (the company's addresses and the
    person who asked) — the account's, never typed into the form."""
    rows: dict[tuple[str | int, ...], list[int]] = {}
    data: dict[str, Any] = {
        "title": _text(fields, "title"),
        "ordering_party": {
            "company": _text(fields, "ordering_party.company"),
            "engineer": _contact(fields, "ordering_party.engineer"),
            "notify_emails": list(dict.fromkeys(a.lower() for a in notify))[:10],
        },
        "site_timezone": _text(fields, "site_timezone"),
        "urgency": _text(fields, "urgency") or "1",
        "skill_level": _text(fields, "skill_level") or "senior",
        "engineer_count": _text(fields, "engineer_count") or "1",
        "assistance_provided": bool(fields.get("assistance_provided")),
        "languages": [lang for lang in ("en", "ja") if fields.get(f"languages.{lang}")],
        "devices_on_site_confirmed": bool(fields.get("devices_on_site_confirmed")),
        "retainer_sla": retainer,
    }
    _optional(data, "reference", _text(fields, "reference"))
    _optional(data, "notes", _text(fields, "notes"))
    _optional(data, "reserved_hours", _text(fields, "reserved_hours"))
    if (start := visit_start(fields)) is not None:
        data["visit_start"] = start
    locations = []
    for i in range(count(fields, "locations")):
        p = f"locations.{i}"
        location: dict[str, Any] = {part: _text(fields, f"{p}.{part}") for part in LOCATION_PARTS}
        contacts, used = [], []
        for j in range(count(fields, f"{p}.local_contacts")):
            cp = f"{p}.local_contacts.{j}"
            if not _blank(fields, cp, CONTACT_PARTS):
                contacts.append(_contact(fields, cp))
                used.append(j)
        location["local_contacts"] = contacts
        rows[("locations", i, "local_contacts")] = used
        locations.append(location)
    data["locations"] = locations
    forced_by, reason = (
        _text(fields, "local_contact_override.forced_by"),
        _text(fields, "local_contact_override.reason"),
    )
    if forced_by or reason:
        data["local_contact_override"] = {"forced_by": forced_by, "reason": reason}
    data["items"] = _rows(fields, "items", rows, ("name", "quantity"), _item)
    data["paperwork"] = _rows(fields, "paperwork", rows, ("name", "note"), _paper)
    work: dict[str, Any] = {
        "summary": _text(fields, "work.summary"),
        "target_hardware": _text(fields, "work.target_hardware"),
        "instructions_provided": bool(fields.get("work.instructions_provided")),
        "simple": bool(fields.get("work.simple")),
        "documents": [d.name for d in documents][:50],
    }
    work["steps"] = _rows(fields, "work.steps", rows, ROW_PARTS["work.steps"], _step)
    data["work"] = work
    data["travel"] = {
        "required": bool(fields.get("travel.required")),
        "accommodation": _text(fields, "travel.accommodation"),
    }
    return RequestData(data, rows)


def _rows(fields: Mapping[str, str], list_path: str, rows: dict, text_parts: tuple[str, ...], make: Any) -> list:
    out, used = [], []
    for i in range(count(fields, list_path)):
        prefix = f"{list_path}.{i}"
        if not _blank(fields, prefix, text_parts):
            out.append(make(fields, prefix))
            used.append(i)
    rows[tuple(list_path.split("."))] = used
    return out


def _item(fields: Mapping[str, str], p: str) -> dict[str, Any]:
    item: dict[str, Any] = {"name": _text(fields, f"{p}.name"), "requested": fields.get(f"{p}.requested") != "standard"}
    _optional(item, "quantity", _text(fields, f"{p}.quantity"))
    return item


def _paper(fields: Mapping[str, str], p: str) -> dict[str, Any]:
    return {
        "name": _text(fields, f"{p}.name"),
        "status": _text(fields, f"{p}.status") or "to_prepare",
        "note": _text(fields, f"{p}.note"),
    }


def _step(fields: Mapping[str, str], p: str) -> dict[str, Any]:
    return {part: _text(fields, f"{p}.{part}") for part in ROW_PARTS["work.steps"]}


# -- the validator's errors, by form field and in the reader's language ---------------------------------------
def form_field(loc: tuple[str | int, ...], rows: Mapping[tuple[str | int, ...], list[int]]) -> str:
    """The form field an error location belongs to: list indexes turned back into form rows."""
    parts: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            used = rows.get(tuple(parts))
            part = used[part] if used is not None and part < len(used) else part
        parts.append(part)
    if parts[:1] == ["languages"]:
        return "languages"
    if len(parts) == 3 and parts[0] == "locations" and parts[2] in {"latitude", "longitude"}:
        return f"locations.{parts[1]}.maps_url"
    name = ".".join(str(p) for p in parts)
    return FIELD_OF.get(name, name)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def rule_text(error: Mapping[str, Any], lang: Language) -> str:
    """The rule broken, from the catalog (`request.rule.<type>`); limits are read from the error's context, or
    from its English message when a combined error carries none. An unknown rule reads as the validator's own
    English sentence, never as nothing."""
    rule = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    if rule == "phone":
        rule = "phone_country_code" if "country code, e.g." in message else "phone_invalid"
    key = f"request.rule.{rule}"
    if not has_text(key):
        return message
    ctx = error.get("ctx") or {}
    numbers = _NUMBER.findall(message)
    limit = next(
        (ctx[k] for k in ("max_length", "min_length", "le", "lt", "ge", "gt", "decimal_places") if k in ctx),
        numbers[0] if numbers else "",
    )
    return text(key, lang, limit=limit)


@dataclass
class Checked:
    request: ServiceRequest | None
    errors: dict[str, list[str]]  # form field -> the rules it breaks, in the reader's language

    @property
    def ok(self) -> bool:
        return self.request is not None


def check(
    fields: Mapping[str, str],
    retainer: bool,
    documents: list[DocumentRef],
    lang: Language,
    *,
    desk: bool = False,
    notify: Sequence[str] = (),
) -> Checked:
    """The API's own validator (ServiceRequest and the seed's rules) on the form's fields."""
    built = to_request_data(fields, retainer, documents, notify)
    errors: dict[str, list[str]] = {}
    if desk and not _text(fields, "caller_name"):
        errors["caller_name"] = [text("request.rule.caller_required", lang)]
    try:
        request = ServiceRequest.model_validate(built.data)
    except ValidationError as exc:
        for e in exc.errors():
            name = form_field(tuple(e["loc"]), built.rows)
            if name == "languages" and e["type"] == "too_short":
                e = {**e, "type": "languages_required"}
            errors.setdefault(name, []).append(rule_text(e, lang))
        return Checked(None, errors)
    return Checked(None if errors else request, errors)


def checked_name(trigger: str) -> str | None:
    """The error slot a changed input answers to (the languages' boxes share one; the date, time and zone make
    the visit start), or None for what has no slot of its own (a row count, the file input)."""
    if trigger in {"languages.en", "languages.ja"}:
        return "languages"
    if trigger in {"visit_time", "site_timezone"}:
        return "visit_date"
    if not allowed(trigger) or trigger.endswith(".n") or trigger in {"document_kind"}:
        return None
    return trigger


def placed(fields: Mapping[str, str]) -> set[str]:
    """Every name the form shows errors at (its fields and its groups); an error elsewhere goes in the summary."""
    names = set(SCALARS) | {"languages", "locations", "items", "paperwork", "work", "work.steps"}
    names |= {"ordering_party.engineer", "local_contact_override"}
    for i in range(count(fields, "locations")):
        p = f"locations.{i}"
        names |= {p, f"{p}.local_contacts"} | {f"{p}.{part}" for part in LOCATION_PARTS}
        for j in range(count(fields, f"{p}.local_contacts")):
            names |= {f"{p}.local_contacts.{j}"} | {f"{p}.local_contacts.{j}.{c}" for c in CONTACT_PARTS}
    for list_path, parts in ROW_PARTS.items():
        for i in range(count(fields, list_path)):
            names |= {f"{list_path}.{i}"} | {f"{list_path}.{i}.{part}" for part in parts}
    return names


# -- what the page shows beside the fields --------------------------------------------------------------------
def maps_pin(url: str) -> MapsPoint | None:
    """The parsed pin of a Maps URL as typed (None when empty or not a Maps link: the error says why)."""
    if not url.strip():
        return None
    try:
        return parse_maps_url(url)
    except MapsUrlError:
        return None


@dataclass(frozen=True)
class Expedite:
    """A short-lead-time request without a retainer pays the rate card's expedite fee: shown before sending."""

    fee: Decimal
    currency: str
    lead_hours: int


def expedite_due(request: ServiceRequest, now: datetime, card: RateCard, company: Company) -> Expedite | None:
    if not is_expedited(now, request.visit_start, request.urgency, card):
        return None
    if company.retainer is not None and company.retainer.covers(request.visit_start):
        return None
    return Expedite(card.expedite_fee, card.currency, card.expedite_lead_hours)


def retainer_covers(company: Company, fields: Mapping[str, str]) -> bool:
    """The company's retainer SLA is valid on the visit day (the form never asks: it is the contract's)."""
    start = visit_start(fields)
    if company.retainer is None or start is None:
        return False
    try:
        moment = datetime.fromisoformat(start)
    except ValueError:
        return False
    return moment.tzinfo is not None and company.retainer.covers(moment)
