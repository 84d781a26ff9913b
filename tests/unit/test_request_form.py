"""The request form's rules without a server: form <-> request data, rows added and removed, every error of the
API's validator mapped to a form field and stated from the catalog (never left in the validator's English)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api_client.request import ServiceRequest
from api_client.texts import has_text
from dispatch.web import request_form as rf
from tests.web.test_request_form import valid_fields

HOSTILE = {
    "urgency": ["abc", "0", "5", "1.5"],
    "engineer_count": ["9999", "-1", "x"],
    "reserved_hours": ["NaN", "inf", "-2", "1.333", "25", "two"],
    "visit_date": ["2026-02-30", "tomorrow", "1999-01-01", "2150-01-01"],
    "visit_time": ["25:99", "noon"],
    "site_timezone": ["../../etc/passwd", "Mars/Olympus", ""],
    "skill_level": ["guru"],
    "items.0.quantity": ["0", "1e9", "many"],
    "paperwork.0.status": ["lost"],
    "locations.0.maps_url": ["javascript:alert(1)", "https://www.google.com.evil.example/maps", "x" * 3000],
    "locations.0.local_contacts.0.phone": ["+1 000", "12345", "+81 3-1234-5678 ext\x00"],
    "ordering_party.engineer.email": ["not-an-email"],
    "title": ["", "x" * 600, "\ud800"],
    "locations.0.floor": ["y" * 101],
}


@pytest.mark.parametrize(("field", "value"), [(f, v) for f, vs in HOSTILE.items() for v in vs])
def test_every_mistake_lands_on_a_field_of_the_form_with_a_catalog_text(field: str, value: str) -> None:
    fields = rf.read_form(valid_fields(**{field: value}))
    checked = rf.check(fields, False, [], "ja")
    assert not checked.ok
    placed = rf.placed(fields)
    built = rf.to_request_data(fields, False, [])
    with pytest.raises(ValidationError) as raised:
        ServiceRequest.model_validate(built.data)
    for e in raised.value.errors():
        rule = "phone_country_code" if e["type"] == "phone" else e["type"]
        assert has_text(f"request.rule.{rule}") or e["type"] == "phone", e
    for name, messages in checked.errors.items():
        assert name in placed, name
        assert all(messages), name


def test_a_valid_form_is_the_request_the_api_accepts() -> None:
    checked = rf.check(rf.read_form(valid_fields()), False, [], "en")
    assert checked.ok and checked.request is not None
    assert checked.request.local_start().hour == 10 and checked.request.site_timezone == "Asia/Tokyo"
    assert checked.request.locations[0].local_contacts[0].phone == "+81312345678"


def test_blank_rows_are_left_out_and_errors_come_back_to_their_form_row() -> None:
    fields = valid_fields(**{"items.n": "3", "items.0.name": "", "items.2.name": "Drive", "items.2.quantity": "0"})
    checked = rf.check(rf.read_form(fields), False, [], "en")
    assert list(checked.errors) == ["items.2.quantity"]


def test_removing_a_row_moves_the_later_rows_up_with_their_own_rows() -> None:
    fields = {
        "locations.n": "3",
        "locations.0.name": "A",
        "locations.1.name": "B",
        "locations.1.local_contacts.n": "2",
        "locations.1.local_contacts.1.name": "Bo",
        "locations.2.name": "C",
    }
    after = rf.apply_row_action(dict(fields), "remove:locations.0")
    assert after["locations.n"] == "2" and after["locations.0.name"] == "B" and after["locations.1.name"] == "C"
    assert after["locations.0.local_contacts.1.name"] == "Bo" and "locations.2.name" not in after
    one = rf.apply_row_action({"locations.n": "1", "locations.0.name": "A"}, "remove:locations.0")
    assert one["locations.n"] == "1"  # the last site stays
    assert rf.apply_row_action({"items.n": "100"}, "add:items")["items.n"] == "100"  # the contract's limit


def test_only_the_forms_own_names_are_kept() -> None:
    kept = rf.read_form({"title": "x", "retainer_sla": "on", "requested_at": "2000-01-01", "locations.0.id": "../x"})
    assert set(kept) == {"title", "locations.n"}
