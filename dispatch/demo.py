"""Realistic demo data: English and Japanese clients, a two-site crew job, a Class 4 emergency, an
entry-level job with instructions, and a finished visit — enough to try every screen of the app."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from api_client.events import ApproveEvent, ProposeEvent
from api_client.request import ServiceRequest, SkillLevel
from api_client.wire import EngineerIn

from .demo_accounts import DEMO_TOKENS, DISPATCHER_DEMO_TOKEN  # noqa: F401 — the demo's names for them
from .principal import DISPATCHER
from .store import Store

# The desk's demo account and the portal's demo people (web pages). Demo only: a real desk gets its first
# account from `field-dispatch dispatcher add --admin`.
DESK_DEMO_EMAIL = "desk@ecorpone.example"
DESK_DEMO_PASSWORD = "demo-desk-password-2026"
CLIENT_DEMO_EMAIL = "yamamoto@shinagawa-dc.example"


def _avatar(initials: str, colour: tuple[int, int, int]) -> bytes | None:
    """A plain initials portrait standing in for the ID photo (Pillow comes with fpdf2)."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # server extra not installed: no photo, the badge shows initials
        return None
    img = Image.new("RGB", (240, 300), colour)
    draw = ImageDraw.Draw(img)
    draw.ellipse((60, 40, 180, 160), fill=(245, 230, 215))
    draw.rounded_rectangle((30, 170, 210, 320), radius=60, fill=(245, 230, 215))
    draw.text((120, 100), initials, fill=colour, anchor="mm", font_size=48)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _at(now: datetime, tz: str, day_offset: int, hour: int, minute: int = 0) -> str:
    local = now.astimezone(ZoneInfo(tz)) + timedelta(days=day_offset)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0).isoformat()


def _engineers(store: Store) -> dict[str, str]:
    import base64

    people = {
        "sato": EngineerIn(
            name="Kenji Sato",
            name_ja="佐藤 健二",
            skill_level=SkillLevel.senior,
            phone="+81 90-1234-5678",
            email="k.sato@ecorpone.example",
            languages=["en", "ja"],
        ),
        "carter": EngineerIn(
            name="Emily Carter",
            name_ja="エミリー・カーター",
            skill_level=SkillLevel.specialist,
            phone="+81 80-2345-6789",
            email="e.carter@ecorpone.example",
            languages=["en", "ja"],
        ),
        "tanaka": EngineerIn(
            name="Yuki Tanaka",
            name_ja="田中 由紀",
            skill_level=SkillLevel.entry,
            phone="+81 70-3456-7890",
            email="y.tanaka@ecorpone.example",
            languages=["en", "ja"],
        ),
    }
    colours = {"sato": (40, 90, 160), "carter": (120, 60, 140), "tanaka": (30, 130, 110)}
    ids = {}
    for key, person in people.items():
        photo = _avatar("".join(w[0] for w in person.name.split()), colours[key])
        if photo:
            person = person.model_copy(update={"photo_base64": base64.b64encode(photo).decode()})
        ids[key] = store.add_engineer(person, token=DEMO_TOKENS[key]).engineer.id
    return ids


def demo_requests(now: datetime) -> list[dict[str, Any]]:
    """Visits placed around `now` (the store's clock): one today at 14:00 site time, one tomorrow, an emergency
    within the hour, one the day after tomorrow."""
    tokyo, osaka = "Asia/Tokyo", "Asia/Tokyo"
    week_ago = (now - timedelta(days=7)).isoformat()
    return [
        {
            "title": "Core switch replacement, 12F server room",
            "reference": "NW-CHG-4471",
            "ordering_party": {
                "company": "Northwind Trading K.K.",
                "engineer": {
                    "name": "Daniel Brooks",
                    "role": "Network project manager",
                    "phone": "+81 3-6825-1100",
                    "email": "d.brooks@northwind.example",
                    "whatsapp": "+81 90-8765-4321",
                },
                "notify_emails": ["it-ops@northwind.example"],
            },
            "visit_start": _at(now, tokyo, 0, 14),
            "site_timezone": tokyo,
            "requested_at": week_ago,
            "reserved_hours": 3,
            "grace_minutes": 15,
            "urgency": 2,
            "skill_level": "senior",
            "languages": ["en"],
            "devices_on_site_confirmed": True,
            "retainer_sla": True,
            "locations": [
                {
                    "name": "Northwind Tokyo office",
                    "address": "2-7-2 Marunouchi, Chiyoda-ku, Tokyo 100-7012",
                    "maps_url": "https://www.google.com/maps/place/JP+Tower/@35.6797,139.7649,17z/"
                    "data=!3m1!4b1!4m6!3m5!1s0x0:0x0!8m2!3d35.6797!4d139.7649",
                    "floor": "12F, server room 12-B",
                    "access_notes": "Security desk at the B1 entrance: show photo ID, collect visitor card. "
                    "Freight elevator 3 only. Server room code from Mr. Ito on arrival.",
                    "local_contacts": [
                        {
                            "name": "Hiroshi Ito",
                            "role": "Facilities",
                            "phone": "+81 3-6825-1234",
                            "email": "h.ito@northwind.example",
                        }
                    ],
                }
            ],
            "items": [
                {"name": "Photo ID", "requested": True},
                {"name": "Laptop with serial console", "requested": False},
                {"name": "RS-232C console cable (USB)", "requested": True},
                {"name": "Spare SFP+ modules", "quantity": 4, "requested": True},
                {"name": "Screwdriver set", "requested": False},
            ],
            "paperwork": [
                {"name": "Scanned photo ID", "status": "accepted"},
                {"name": "NDA signed", "status": "accepted"},
                {"name": "Laptop serial number", "status": "sent"},
            ],
            "work": {
                "summary": "Replace the failed core switch with the pre-configured unit shipped to site.",
                "target_hardware": "Cisco Catalyst 9300-48P (replacement unit on site, asset NW-SW-0142)",
                "steps": [
                    {
                        "title": "Confirm maintenance window with the NOC",
                        "confirm_before": "NOC confirms traffic drained",
                    },
                    {"title": "Label and disconnect all cables", "detail": "Photograph before unplugging."},
                    {"title": "Rack the replacement and restore cabling"},
                    {
                        "title": "Power on and verify uplinks",
                        "confirm_after": "Client confirms users on 12F are online",
                    },
                ],
                "documents": ["Cabling map NW-12F-v3.pdf"],
            },
            "notes": "Client speaks English; site staff mostly Japanese.",
        },
        {
            "title": "UPS 交換とサーバー再起動（本社・倉庫）",
            "reference": "SKR-2026-118",
            "ordering_party": {
                "company": "株式会社サクラ物流",
                "engineer": {
                    "name": "山本 直樹",
                    "role": "情報システム部",
                    "phone": "+81 6-6345-2200",
                    "email": "n.yamamoto@sakura-logi.example",
                },
            },
            "visit_start": _at(now, osaka, 1, 9, 30),
            "site_timezone": osaka,
            "requested_at": week_ago,
            "skill_level": "specialist",
            "engineer_count": 2,
            "languages": ["ja"],
            "devices_on_site_confirmed": True,
            "urgency": 2,
            "locations": [
                {
                    "id": "HQ",
                    "name": "本社ビル",
                    "address": "大阪府大阪市北区梅田3-1-3",
                    "maps_url": "https://www.google.com/maps?q=34.7025,135.4959",
                    "floor": "地下1階 電算室",
                    "access_notes": "正面玄関は9時開錠。警備室で入館証を受け取り、エレベーターで B1 へ。",
                    "local_contacts": [{"name": "中村 美香", "role": "総務", "phone": "+81 6-6345-2211"}],
                },
                {
                    "id": "WH",
                    "name": "南港倉庫",
                    "address": "大阪府大阪市住之江区南港北1-4-10",
                    "maps_url": "https://www.google.com/maps/dir/?api=1&destination=34.6386,135.4180",
                    "floor": "2階 事務所奥のラック",
                    "access_notes": "トラックヤード横の通用口から。ヘルメット着用。",
                    "local_contacts": [
                        {
                            "name": "小林 剛",
                            "role": "倉庫長",
                            "phone": "+81 90-2222-3333",
                            "whatsapp": "+81 90-2222-3333",
                        }
                    ],
                },
            ],
            "items": [
                {"name": "写真付き身分証明書"},
                {"name": "UPS 交換用バッテリー", "quantity": 2},
                {"name": "トルクドライバー", "requested": False},
            ],
            "paperwork": [{"name": "作業員名簿", "status": "sent"}, {"name": "秘密保持契約書", "status": "to_prepare"}],
            "travel": {
                "required": True,
                "tickets": ["新幹線 のぞみ 7号 東京 06:33 → 新大阪 09:00"],
                "accommodation": "不要（日帰り）",
            },
            "work": {
                "summary": "本社と倉庫の UPS バッテリーを交換し、サーバーを安全に再起動する。",
                "target_hardware": "APC Smart-UPS 3000 ×2、ファイルサーバー",
                "steps": [
                    {"title": "サーバーの計画停止", "confirm_before": "お客様が業務停止を確認"},
                    {"title": "UPS バッテリー交換"},
                    {"title": "サーバー起動と動作確認", "confirm_after": "お客様が共有フォルダを確認"},
                ],
            },
        },
        {
            "title": "Network outage — visit immediately",
            "reference": "URGENT-0093",
            "ordering_party": {
                "company": "Harbor Lights Hotel Yokohama",
                "engineer": {
                    "name": "Sarah Kim",
                    "role": "IT manager",
                    "phone": "+81 45-222-0101",
                    "email": "s.kim@harborlights.example",
                },
            },
            "visit_start": (now + timedelta(hours=1)).isoformat(),
            "site_timezone": tokyo,
            "urgency": 4,
            "languages": ["en", "ja"],
            "devices_on_site_confirmed": True,
            "locations": [
                {
                    "name": "Harbor Lights Hotel",
                    "address": "1-1 Minatomirai, Nishi-ku, Yokohama 220-0012",
                    "maps_url": "https://maps.app.goo.gl/5xYz9AbCdEfGhIjK7",
                    "floor": "B2, MDF room behind the laundry",
                    "access_notes": "Staff entrance on the north side; ask for the duty manager.",
                    "local_contacts": [{"name": "Takeshi Mori", "role": "Duty manager", "phone": "+81 45-222-0199"}],
                }
            ],
            "items": [{"name": "Spare router", "requested": True}, {"name": "Tethering phone", "requested": True}],
            "work": {
                "summary": "Guest Wi-Fi and POS network down since 06:00. Diagnose and restore.",
                "target_hardware": "Edge router, core switch",
            },
        },
        {
            "title": "Patch panel labelling, 3F IDF",
            "reference": "NW-OPS-2212",
            "ordering_party": {
                "company": "Northwind Trading K.K.",
                "engineer": {
                    "name": "Daniel Brooks",
                    "phone": "+81 3-6825-1100",
                    "email": "d.brooks@northwind.example",
                },
            },
            "visit_start": _at(now, tokyo, 2, 10),
            "site_timezone": tokyo,
            "requested_at": week_ago,
            "reserved_hours": 2,
            "skill_level": "entry",
            "languages": ["en", "ja"],
            "devices_on_site_confirmed": True,
            "locations": [
                {
                    "name": "Northwind Tokyo office",
                    "address": "2-7-2 Marunouchi, Chiyoda-ku, Tokyo 100-7012",
                    "maps_url": "https://www.google.com/maps/search/?api=1&query=35.6797,139.7649",
                    "floor": "3F, IDF closet next to the kitchen",
                    "access_notes": "Visitor card from the B1 desk.",
                    "local_contacts": [{"name": "Hiroshi Ito", "phone": "+81 3-6825-1234"}],
                }
            ],
            "items": [{"name": "Label printer", "requested": False}],
            "work": {
                "summary": "Label all 48 ports of patch panel PP-3A according to the port map.",
                "instructions_provided": True,
                "documents": ["PP-3A port map.xlsx", "Labelling guide v2.pdf"],
                "steps": [{"title": "Print labels from the port map"}, {"title": "Apply labels, photograph"}],
            },
        },
    ]


def seed(store: Store) -> dict[str, Any]:
    """Fill an empty store with the demo; returns the tokens and assignment ids for the README."""
    ids = _engineers(store)
    client = _client(store)
    dispatcher = DISPATCHER
    now = store.clock()
    teams = [[ids["sato"]], [ids["carter"], ids["sato"]], [ids["sato"]], [ids["tanaka"]]]
    approvers = ["Daniel Brooks", "山本 直樹", None, "Daniel Brooks"]
    created = []
    for raw, team, approver in zip(demo_requests(now), teams, approvers, strict=True):
        a = store.create_assignment(
            ServiceRequest.model_validate(raw), company_id=client["company"], requested_by=client["requester"]
        )
        store.ingest_one(
            ProposeEvent(id=uuid.uuid4(), assignment_id=a.id, device_time=now, engineer_ids=team).model_dump(
                mode="json"
            ),
            dispatcher,
        )
        if approver:
            store.ingest_one(
                ApproveEvent(assignment_id=a.id, device_time=now, approved_by=approver).model_dump(mode="json"),
                dispatcher,
            )
        created.append(a.id)
    return {"engineers": ids, "tokens": DEMO_TOKENS, "assignments": created, **client}


def _client(store: Store) -> dict[str, str]:
    """A client company with a requester who also approves, an English-speaking colleague, and the desk."""
    from api_client.clients import CompanyIn, PersonIn, RetainerSLA

    from . import accounts

    today = store.clock().date()
    company = accounts.add_company(
        store,
        CompanyIn(
            name_en="Shinagawa Data Center KK",
            name_ja="品川データセンター株式会社",
            language="ja",
            notify_emails=["ops@shinagawa-dc.example"],
            retainer=RetainerSLA(
                valid_from=today - timedelta(days=90), valid_until=today + timedelta(days=275), response_minutes=240
            ),
        ),
    )
    requester = accounts.add_person(
        store,
        PersonIn(
            company_id=company.id,
            name="山本 直樹",
            email=CLIENT_DEMO_EMAIL,
            phone="+81 3-5555-0101",
            may_approve=True,
            language="ja",
        ),
    )
    accounts.add_person(
        store,
        PersonIn(
            company_id=company.id,
            name="Daniel Brooks",
            email="brooks@shinagawa-dc.example",
            phone="+81 3-5555-0102",
            may_approve=True,
            language="en",
        ),
    )
    desk = accounts.add_dispatcher(store, "Hana Kobayashi", DESK_DEMO_EMAIL, DESK_DEMO_PASSWORD, is_admin=True)
    return {"company": company.id, "requester": requester.id, "desk": desk}
