"""A signed-off visit built through the real rules (lifecycle.apply, visit_bill): the report tests render it."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PIL import Image, ImageDraw

from api_client.events import RecordedEvent, visit_event_adapter
from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Role, Status, VisitState, apply, visit_bill
from api_client.wire import Assignment, BillOut, Engineer
from tests.factories import request_data

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
LOG_TEXTS = {
    "en": "Checked rack {n}: cables re-seated, link lights green, config backed up to the USB drive.",
    "ja": "ラック{n}を確認しました。ケーブルを挿し直し、リンクランプは緑、設定はUSBドライブにバックアップ済み。",
}


@dataclass
class Case:
    assignment: Assignment
    events: list[RecordedEvent]
    bill: BillOut
    photos: dict[str, bytes]


def photo(n: int) -> bytes:
    img = Image.new("RGB", (800, 600), (40 + n * 37 % 200, 90, 140))
    ImageDraw.Draw(img).rectangle((100, 100, 700, 500), outline="white", width=8)
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    return buf.getvalue()


def signed_off_case(languages: list[str], log_entries: int = 200, photos_every: int = 40) -> Case:
    request = ServiceRequest.model_validate(
        request_data(
            title="コアスイッチ交換 / Core switch replacement" if "ja" in languages else "Core switch replacement",
            reference="PO-2026-0042",
            visit_start=START.isoformat(),
            requested_at=(START - timedelta(days=1)).isoformat(),  # expedited: under the card's 48 h
            languages=languages,
            engineer_count=2,
            reserved_hours="3",
            ordering_party={
                "company": "山田商事株式会社" if "ja" in languages else "Yamada Trading Co., Ltd.",
                "engineer": {"name": "山田太郎", "phone": "+81 3-1234-5678", "email": "yamada@example.com"},
            },
            work={
                "summary": "Swap the core switch",
                "steps": [
                    {"title": "Back up the configuration", "confirm_after": "Backup file handed over"},
                    {"title": "Swap the switch", "confirm_after": "Users are online again"},
                ],
            },
        )
    )
    engineers = [
        Engineer(id="ENG-1", name="Kenji Sato", name_ja="佐藤 健二", company="eCorpOne", skill_level="senior"),
        Engineer(id="ENG-2", name="Maria Lopez", company="eCorpOne", skill_level="senior"),
    ]
    state, recorded, photos = VisitState(), [], {}
    at = START - timedelta(hours=20)

    def event(role: Role, actor: str, data: dict, *, minutes: float, lag: float = 0.3) -> None:
        nonlocal state, at
        at = at + timedelta(minutes=minutes)
        ev = visit_event_adapter.validate_python(
            {"id": str(uuid.uuid4()), "assignment_id": "ASG-7", "device_time": at.isoformat(), **data}
        )
        state = apply(state, request, ev, role=role, actor=actor, card=EXAMPLE_RATE_CARD)
        payload = ev.model_dump(mode="json", exclude={"id", "assignment_id", "device_time", "position", "kind"})
        payload.pop("photo_base64", None)
        recorded.append(
            RecordedEvent(
                id=ev.id,
                assignment_id="ASG-7",
                kind=ev.kind,
                actor=actor,
                device_time=at,
                received_at=at + timedelta(minutes=lag),
                position=ev.position,
                outcome="applied",
                data=payload,
            )
        )

    tokyo = {"latitude": 35.68125, "longitude": 139.76715, "accuracy_m": 12}
    event(Role.dispatcher, "dispatcher", {"kind": "propose", "engineer_ids": ["ENG-1", "ENG-2"]}, minutes=0)
    event(Role.dispatcher, "dispatcher", {"kind": "approve", "approved_by": "山田太郎"}, minutes=45)
    event(Role.engineer, "ENG-1", {"kind": "depart"}, minutes=18 * 60)
    event(Role.engineer, "ENG-1", {"kind": "arrive", "position": tokyo}, minutes=50)
    event(Role.engineer, "ENG-2", {"kind": "arrive"}, minutes=4, lag=95)  # no position, delivered later
    event(Role.engineer, "ENG-1", {"kind": "start_work", "assisted_by": "伊藤 健"}, minutes=6)
    for n in range(1, log_entries + 1):
        data = {"kind": "log", "text": LOG_TEXTS[languages[0]].format(n=n)}
        if photos_every and n % photos_every == 1:
            data["photo_base64"] = "eA=="  # content is stored apart; the rules only see that there is one
        event(Role.engineer, "ENG-1" if n % 3 else "ENG-2", data, minutes=1)
        if photos_every and n % photos_every == 1:
            photos[str(recorded[-1].id)] = photo(n)
    sign = {
        "kind": "sign_off",
        "signer_name": "山田太郎",
        "approve_leaving": True,
        "confirmed_steps": [0, 1],
        "strokes": [[[0, 20], [15, 0], [30, 25], [45, 5], [60, 30]], [[70, 10], [95, 12], [120, 8]]],
        "language": languages[0],
    }
    event(Role.engineer, "ENG-1", sign, minutes=20)
    assert state.status is Status.signed_off
    bill = visit_bill(request, state, expedited=True, card=EXAMPLE_RATE_CARD)
    assignment = Assignment(
        id="ASG-7",
        request=request,
        status=state.status,
        expedited=True,
        requested_at=START - timedelta(days=1),
        created_at=START - timedelta(days=1),
        updated_at=at,
        engineers=engineers,
        visit=state,
        bill=BillOut.of(bill),
    )
    assert bill.total > Decimal(0)
    return Case(assignment, recorded, BillOut.of(bill), photos)
