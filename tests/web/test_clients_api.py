"""/v1/clients: companies and their people, for the dispatcher token only; every mistake names its field."""

from __future__ import annotations

import httpx

from tests.web.conftest import WebService


def test_companies_and_people(web: WebService) -> None:
    with web.api() as c:
        created = c.post(
            "/v1/clients",
            json={
                "name_en": "Acme",
                "name_ja": "アクメ",
                "language": "ja",
                "notify_emails": ["ops@acme.example"],
                "retainer": {"valid_from": "2026-01-01", "valid_until": "2026-12-31", "response_minutes": 240},
            },
        )
        assert created.status_code == 201, created.text
        company = created.json()
        person = {"company_id": company["id"], "name": "Aoi", "email": "Aoi@Acme.example", "may_approve": True}
        added = c.post(f"/v1/clients/{company['id']}/people", json=person)
        assert added.status_code == 201 and added.json()["email"] == "aoi@acme.example"
        assert c.post(f"/v1/clients/{company['id']}/people", json=person).status_code == 409
        listed = c.get(f"/v1/clients/{company['id']}/people").json()
        assert [p["name"] for p in listed] == ["Aoi"]
        assert c.get("/v1/clients/CO-NOPE/people").status_code == 404


def test_bad_input_names_the_field_and_the_rule(web: WebService) -> None:
    with web.api() as c:
        bad = c.post(
            "/v1/clients",
            json={
                "name_en": "",
                "notify_emails": ["not-an-address"],
                "retainer": {"valid_from": "2026-12-31", "valid_until": "2026-01-01", "response_minutes": 240},
            },
        )
        assert bad.status_code == 422
        fields = {e["field"] for e in bad.json()["errors"]}
        assert {"name_en", "notify_emails.0", "retainer"} <= fields, bad.json()


def test_an_engineer_token_cannot_manage_clients(web: WebService) -> None:
    from api_client.wire import EngineerIn

    engineer = web.store.add_engineer(EngineerIn(name="Ken"))
    with httpx.Client(base_url=web.url, headers={"Authorization": f"Bearer {engineer.token}"}) as c:
        assert c.get("/v1/clients").status_code == 403
        assert c.post("/v1/clients", json={"name_en": "X"}).status_code == 403
