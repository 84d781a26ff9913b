"""A request with several mistakes of different kinds lists all of them at once — field errors and the seed's
rules together — with the field path, the rule code and a plain message, in the API's 422 and in the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from dispatch.cli import main
from tests.conftest import DISPATCHER_TOKEN
from tests.factories import request_data

EXPECTED = {
    ("ordering_party.engineer.phone", "phone"),
    ("locations.0.maps_url", "maps_url"),
    ("locations.0.local_contacts", "local_contact_required"),
    ("skill_level", "entry_needs_assistance"),
    ("reserved_hours", "quarter_hours"),
    ("site_timezone", "timezone"),
    ("languages", "unique"),
    ("unexpected", "extra_forbidden"),
}


def _many_mistakes() -> dict:
    data = request_data(skill_level="entry", reserved_hours="2.1", site_timezone="Mars/Olympus", unexpected=1)
    data["languages"] = ["en", "en"]
    data["ordering_party"]["engineer"]["phone"] = "03-1234-5678"  # no country code
    data["locations"][0]["maps_url"] = "https://www.google.com.attacker.net/maps?q=1,2"
    data["locations"][0]["local_contacts"] = []
    return data


def test_the_api_lists_every_mistake_with_field_rule_and_message(service):
    answer = httpx.post(
        f"{service.url}/v1/assignments", json=_many_mistakes(), headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}
    )
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert {(e["field"], e["rule"]) for e in errors} == EXPECTED
    assert all(e["message"] and not e["message"].startswith("Value error") for e in errors)


def test_the_cli_prints_one_line_per_mistake_and_exits_2(tmp_path: Path, capsys):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(_many_mistakes()))
    assert main(["import", "--db", str(tmp_path / "d.sqlite3"), str(path)]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if " — " in line]
    assert {tuple(line.split(" — ")[:2]) for line in lines} == EXPECTED
    assert "Value error" not in err and "Nothing was imported." in err
