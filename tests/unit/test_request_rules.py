from decimal import Decimal

import pytest
from pydantic import ValidationError

from api_client.request import ServiceRequest, SkillLevel
from tests.factories import request_data


def errors_of(data) -> dict[str, tuple[str, str]]:
    with pytest.raises(ValidationError) as exc:
        ServiceRequest.model_validate(data)
    return {".".join(map(str, e["loc"])): (e["type"], e["msg"]) for e in exc.value.errors()}


def test_no_duration_reserves_two_hours_plus_thirty_minutes_grace():
    r = ServiceRequest.model_validate(request_data())
    assert (r.reserved, r.grace, r.reservation_defaulted) == (Decimal(2), 30, True)


def test_explicit_reservation_has_no_grace_unless_the_contract_gives_one():
    r = ServiceRequest.model_validate(request_data(reserved_hours=3))
    assert (r.reserved, r.grace, r.reservation_defaulted) == (Decimal(3), 0, False)
    r = ServiceRequest.model_validate(request_data(reserved_hours=3, grace_minutes=15))
    assert r.grace == 15


def test_skill_level_defaults_to_senior_and_one_engineer():
    r = ServiceRequest.model_validate(request_data())
    assert r.skill_level is SkillLevel.senior and r.engineer_count == 1


def test_reservation_must_be_quarter_hours():
    assert "reserved_hours" in errors_of(request_data(reserved_hours="2.1"))


def test_at_least_one_language():
    err = errors_of(request_data(languages=[]))
    assert "languages" in err


def test_unknown_language_is_refused():
    assert "languages.0" in errors_of(request_data(languages=["fr"]))


def test_every_location_needs_a_local_contact():
    data = request_data()
    data["locations"][0]["local_contacts"] = []
    rule, msg = errors_of(data)["locations.0.local_contacts"]
    assert rule == "local_contact_required" and "local_contact_override" in msg


def test_customer_can_force_a_visit_without_local_contact_recording_who_and_why():
    data = request_data(local_contact_override={"forced_by": "Pat Lee", "reason": "Site unmanned overnight"})
    data["locations"][0]["local_contacts"] = []
    assert ServiceRequest.model_validate(data).local_contact_override.forced_by == "Pat Lee"


def test_override_needs_both_who_and_why():
    data = request_data(local_contact_override={"forced_by": "Pat Lee", "reason": ""})
    assert "local_contact_override.reason" in errors_of(data)


def test_local_contact_needs_a_phone():
    data = request_data()
    data["locations"][0]["local_contacts"] = [{"name": "Ken", "email": "ken@example.com"}]
    assert "locations.0.local_contacts.0.phone" in errors_of(data)


def test_phone_without_country_code_is_refused_with_the_rule():
    data = request_data()
    data["locations"][0]["local_contacts"][0]["phone"] = "090-1111-2222"
    _, msg = errors_of(data)["locations.0.local_contacts.0.phone"]
    assert "country code" in msg


def test_phones_are_stored_in_e164():
    data = request_data()
    data["locations"][0]["local_contacts"][0]["phone"] = "+81 (90) 1111-2222"
    r = ServiceRequest.model_validate(data)
    assert r.locations[0].local_contacts[0].phone == "+819011112222"


def test_contact_needs_some_channel():
    data = request_data()
    data["ordering_party"]["engineer"] = {"name": "Pat"}
    assert "ordering_party.engineer" in errors_of(data)


def test_entry_level_needs_assistance_or_instructions():
    rule, _ = errors_of(request_data(skill_level="entry"))["skill_level"]
    assert rule == "entry_needs_assistance"
    ok1 = request_data(skill_level="entry", assistance_provided=True)
    ok2 = request_data(skill_level="entry")
    ok2["work"]["instructions_provided"] = True
    assert ServiceRequest.model_validate(ok1) and ServiceRequest.model_validate(ok2)


def test_maps_url_must_be_google_maps():
    data = request_data()
    data["locations"][0]["maps_url"] = "https://www.openstreetmap.org/#map=17/35.68/139.76"
    assert "not Google Maps" in errors_of(data)["locations.0.maps_url"][1]


def test_coordinates_come_from_the_maps_url():
    loc = ServiceRequest.model_validate(request_data()).locations[0]
    assert (loc.latitude, loc.longitude) == (35.681236, 139.767125)
    assert loc.id == "L1"


def test_visit_time_needs_a_time_zone_and_site_zone_must_exist():
    err = errors_of(request_data(visit_start="2026-12-01T10:00:00", site_timezone="Tokyo/Mars"))
    assert "visit_start" in err and "site_timezone" in err


def test_urgency_is_class_1_to_4():
    assert "urgency" in errors_of(request_data(urgency=5))


def test_every_field_problem_is_reported_at_once():
    data = request_data(languages=[], urgency=0, site_timezone="Nowhere")
    data["locations"][0]["floor"] = "x" * 101
    assert {"languages", "urgency", "site_timezone", "locations.0.floor"} <= set(errors_of(data))


def test_every_rule_problem_is_reported_at_once():
    # Cross-field rules run once the fields themselves are valid, and then all of them are reported.
    data = request_data(skill_level="entry", reserved_hours="2.1")
    data["locations"][0]["local_contacts"] = []
    assert {"skill_level", "reserved_hours", "locations.0.local_contacts"} <= set(errors_of(data))


def test_unknown_fields_are_reported_not_dropped():
    assert "reserved_hourz" in errors_of(request_data(reserved_hourz=3))


def test_site_local_time():
    r = ServiceRequest.model_validate(request_data(visit_start="2026-12-01T01:00:00Z"))
    assert r.local_start().hour == 10 and r.visit_start_utc().hour == 1


def test_assistance_required_unless_simple_work_and_senior():
    simple = request_data()
    simple["work"]["simple"] = True
    assert not ServiceRequest.model_validate(simple).assistance_required
    assert ServiceRequest.model_validate(request_data()).assistance_required
    simple_entry = request_data(skill_level="entry", assistance_provided=True)
    simple_entry["work"]["simple"] = True
    assert ServiceRequest.model_validate(simple_entry).assistance_required
