"""A desk scene for the engineer pages' tests (HTTP and browser): four engineers and a request for two English
speakers tomorrow 14:00–16:30 Tokyo at Tokyo Station, where

- Sato (senior, EN/JA, based in Shinagawa) and Carter (specialist, EN, based in Yokohama) are candidates;
- Ito (senior, EN) is excluded: already on another visit 13:00–15:00 that day (a double booking);
- Mori (senior, JA only) is excluded for the language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from api_client.request import SkillLevel
from api_client.wire import EngineerCreated, EngineerIn
from dispatch import engineer_profiles
from dispatch.engineer_profiles import ProfileIn
from tests.factories import request_data
from tests.web.conftest import WebService

TOKYO = ZoneInfo("Asia/Tokyo")
SHINAGAWA = (35.6285, 139.7387)
YOKOHAMA = (35.4660, 139.6223)
# A one-page PDF, as small as a valid file gets.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Scene:
    assignment_id: str
    other_id: str
    sato: EngineerCreated
    carter: EngineerCreated
    ito: EngineerCreated
    mori: EngineerCreated
    day: datetime  # tomorrow, 00:00 Tokyo

    def at(self, hhmm: str) -> datetime:
        h, m = map(int, hhmm.split(":"))
        return self.day.replace(hour=h, minute=m)


def _engineer(
    web: WebService, name: str, name_ja: str, skill: str, languages: list[str], phone: str
) -> EngineerCreated:
    with web.api() as c:
        r = c.post(
            "/v1/engineers",
            json=EngineerIn(
                name=name, name_ja=name_ja, skill_level=SkillLevel(skill), languages=languages, phone=phone
            ).model_dump(mode="json", exclude_none=True),  # type: ignore[arg-type]
        )
        r.raise_for_status()
        return EngineerCreated.model_validate(r.json())


def _base(web: WebService, e: EngineerCreated, point: tuple[float, float] | None, address: str) -> None:
    x = e.engineer
    engineer_profiles.save_profile(
        web.store,
        x.id,
        ProfileIn(
            name=x.name,
            name_ja=x.name_ja,
            skill_level=x.skill_level,
            languages=x.languages,
            phone=x.phone,
            email=x.email,
            whatsapp=None,
            base_address=address,
            base_maps_url="",
            base_latitude=point[0] if point else None,
            base_longitude=point[1] if point else None,
            timezone="Asia/Tokyo",
            work_start="08:00",
            work_end="20:00",
            weekly_days_off=[],
            days_off=[],
        ),
    )


def staff(web: WebService) -> Scene:
    """The four engineers and Ito's other visit tomorrow 13:00–15:00 Tokyo; the request to staff is the
    caller's (`assignment_id` is left empty): `build` makes one over the API, the desk journey on the portal."""
    tomorrow = (web.clock().astimezone(TOKYO) + timedelta(days=1)).date()
    day = datetime.combine(tomorrow, time(0), TOKYO)
    sato = _engineer(web, "Kenji Sato", "佐藤 健二", "senior", ["en", "ja"], "+81 90-1000-0001")
    carter = _engineer(web, "Emily Carter", "エミリー・カーター", "specialist", ["en"], "+81 90-1000-0002")
    ito = _engineer(web, "Daisuke Ito", "伊藤 大輔", "senior", ["en"], "+81 90-1000-0003")
    mori = _engineer(web, "Aya Mori", "森 彩", "senior", ["ja"], "+81 90-1000-0004")
    _base(web, sato, SHINAGAWA, "Shinagawa, Tokyo")
    _base(web, carter, YOKOHAMA, "Yokohama")
    _base(web, ito, SHINAGAWA, "Shinagawa, Tokyo")
    _base(web, mori, SHINAGAWA, "Shinagawa, Tokyo")
    with web.api() as c:
        other = c.post(
            "/v1/assignments",
            json=request_data(
                title="Rack audit",
                visit_start=day.replace(hour=13).isoformat(),
                requested_at=(day - timedelta(days=5)).isoformat(),
                reserved_hours="2",
            ),
        )
        other.raise_for_status()
        other_id = other.json()["id"]
        c.post(f"/v1/assignments/{other_id}/propose", json={"engineer_ids": [ito.engineer.id]}).raise_for_status()
    return Scene("", other_id, sato, carter, ito, mori, day)


def build(web: WebService, *, languages: list[str] | None = None, count: int = 2) -> Scene:
    scene = staff(web)
    with web.api() as c:
        main = c.post(
            "/v1/assignments",
            json=request_data(
                title="Replace core switch",
                visit_start=scene.at("14:00").isoformat(),
                requested_at=(scene.day - timedelta(days=5)).isoformat(),
                languages=languages or ["en"],
                engineer_count=count,
            ),
        )
        main.raise_for_status()
    return replace(scene, assignment_id=main.json()["id"])
