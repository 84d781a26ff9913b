"""What the client receives, in the client's language: the mails (caught by a real SMTP server on 127.0.0.1),
the signed report attached to the sign-off mail, and the public check of a report's SHA-256."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from email.message import Message

import httpx
import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from api_client import DispatchClient
from api_client.events import ArriveEvent, LogEvent, Position, SignOffEvent, StartWorkEvent
from api_client.wire import EngineerIn
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, free_port, start_service
from tests.factories import TOKYO_STATION, request_data
from tests.inbox import Inbox, subject


def part(m: Message, content_type: str) -> str:
    found = next(p for p in m.walk() if p.get_content_type() == content_type and not p.get_filename())
    return found.get_payload(decode=True).decode(found.get_content_charset() or "utf-8")


@pytest.fixture
def live(tmp_path):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    service = start_service(tmp_path / "dispatch.sqlite3", smtp_host="127.0.0.1", smtp_port=controller.port)
    yield service, inbox
    service.stop()
    controller.stop()


def visit(service, languages: list[str]) -> tuple[str, str]:
    """An approved visit starting now, done by 佐藤 健二 / Kenji Sato and signed off by 山田太郎."""
    now = clock()
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        kenji = d.add_engineer(
            EngineerIn(name="Kenji Sato", name_ja="佐藤 健二", phone="+81 90-1234-0000", languages=["ja", "en"])
        )
        data = request_data(
            title="Core switch replacement",
            reference="PO-77",
            languages=languages,
            visit_start=(now + timedelta(minutes=5)).isoformat(),
            requested_at=(now - timedelta(days=3)).isoformat(),
            ordering_party={
                "company": "山田商事株式会社",
                "engineer": {"name": "山田太郎", "phone": "+81 3-1234-5678", "email": "yamada@example.com"},
            },
        )
        a = d.create_assignment(data)
        d.propose(a.id, [kenji.engineer.id])
        d.approve(a.id, "山田太郎")
    at = clock()
    here = Position(latitude=TOKYO_STATION[0], longitude=TOKYO_STATION[1], accuracy_m=10)
    with DispatchClient(service.url, kenji.token) as eng:
        results = eng.send_events(
            [
                ArriveEvent(assignment_id=a.id, device_time=at + timedelta(seconds=1), position=here),
                StartWorkEvent(assignment_id=a.id, device_time=at + timedelta(seconds=2), assisted_by="伊藤 健"),
                LogEvent(assignment_id=a.id, device_time=at + timedelta(seconds=3), text="Switch replaced"),
                SignOffEvent(
                    assignment_id=a.id,
                    device_time=at + timedelta(seconds=4),
                    signer_name="山田太郎",
                    approve_leaving=True,
                    confirmed_steps=[0],
                    strokes=[[(0, 0), (10, 10), (20, 0)]],
                ),
            ]
        ).results
    assert [r.outcome for r in results] == ["applied"] * 4, results
    return a.id, kenji.engineer.id


def test_japanese_client_gets_japanese_mails_with_both_parts_and_the_report(live):
    service, inbox = live
    assignment_id, _ = visit(service, ["ja"])
    arrival, signed = inbox.wait(2)[:2]
    assert subject(arrival) == "[PO-77] エンジニア到着のお知らせ: Tokyo office"
    plain, html = part(arrival, "text/plain"), part(arrival, "text/html")
    for body in (plain, html):
        assert "佐藤 健二" in body and "Kenji Sato" not in body  # the registered Japanese name
        assert "現地到着を確認" in body and "山田商事株式会社 御中" in body
        assert "Engineer" not in body and "verified" not in body
    assert subject(signed) == "[PO-77] 作業報告書（作業完了のご承認）"
    plain = part(signed, "text/plain")
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        bill, a, pdf = d.bill(assignment_id), d.get_assignment(assignment_id), d.report_pdf(assignment_id)
    signed_at = a.visit.signed_off_at.astimezone(a.visit.signed_off_at.tzinfo)
    assert "ご請求合計: ￥24,000" in plain and bill.total == 24000
    assert "山田太郎 様が" in plain and "作業完了を承認" in plain and "JST" in plain
    from zoneinfo import ZoneInfo

    local = signed_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{local.year}年{local.month}月{local.day}日" in plain and f"{local:%H:%M} JST" in plain
    assert hashlib.sha256(pdf).hexdigest() in plain and "/verify-report" in plain
    attached = next(p for p in signed.walk() if p.get_content_type() == "application/pdf")
    assert attached.get_payload(decode=True) == pdf
    report = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "作業報告書" in report and "山田商事株式会社 御中" in report and "Service report" not in report


def test_english_client_gets_english_mails(live):
    service, inbox = live
    visit(service, ["en"])
    arrival, signed = inbox.wait(2)[:2]
    assert subject(arrival) == "[PO-77] Engineer arrived: Tokyo office"
    for body in (part(arrival, "text/plain"), part(arrival, "text/html")):
        assert "Kenji Sato" in body and "佐藤" not in body
        assert "Arrival verified" in body and "御中" not in body
    assert subject(signed) == "[PO-77] Service report: work signed off"
    plain = part(signed, "text/plain")
    assert "Total charged: ¥24,000" in plain and "山田太郎 signed off the work at" in plain


def test_bilingual_client_gets_japanese_first_then_english(live):
    service, inbox = live
    visit(service, ["en", "ja"])
    arrival, signed = inbox.wait(2)[:2]
    assert subject(arrival) == "[PO-77] エンジニア到着のお知らせ: Tokyo office / Engineer arrived: Tokyo office"
    plain = part(arrival, "text/plain")
    assert plain.index("佐藤 健二") < plain.index("Kenji Sato")
    html = part(arrival, "text/html")
    assert html.index('lang="ja"') < html.index('lang="en"')
    assert subject(signed) == "[PO-77] 作業報告書（作業完了のご承認） / Service report: work signed off"


def test_report_hash_check_names_the_assignment_and_a_changed_pdf_does_not_match(live):
    service, inbox = live
    assignment_id, _ = visit(service, ["ja"])
    inbox.wait(2)
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        pdf, printed = d.report_pdf(assignment_id), d.report(assignment_id).sha256
        signed_at = d.get_assignment(assignment_id).visit.signed_off_at
    form = httpx.get(f"{service.url}/verify-report?lang=en")
    assert form.status_code == 200 and 'name="sha256"' in form.text
    from zoneinfo import ZoneInfo

    local = signed_at.astimezone(ZoneInfo("Asia/Tokyo"))
    for digest, how in ((hashlib.sha256(pdf).hexdigest(), "the PDF file"), (printed, "the signed content")):
        page = httpx.get(f"{service.url}/verify-report", params={"sha256": digest.upper(), "lang": "en"})
        assert page.status_code == 200 and 'data-outcome="match"' in page.text
        assert f'data-assignment="{assignment_id}"' in page.text and how in page.text
        assert f"{local:%H:%M} JST" in page.text and str(local.year) in page.text
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    page = httpx.get(f"{service.url}/verify-report", params={"sha256": hashlib.sha256(changed).hexdigest()})
    assert page.status_code == 404 and 'data-outcome="no_match"' in page.text and assignment_id not in page.text
    ja = httpx.get(f"{service.url}/verify-report", params={"sha256": "zz"}, headers={"Accept-Language": "ja"})
    assert ja.status_code == 422 and "16 進数 64 文字" in ja.text


def test_production_refuses_the_example_rate_card(tmp_path):
    with pytest.raises(ValueError, match="FIELD_DISPATCH_RATE_CARD_PATH"):
        start_service(tmp_path / "d.sqlite3", environment="production")


def test_each_arrival_mail_names_its_own_site_when_two_arrive_in_one_batch(live):
    """The mails go out after the answer: each must describe its own arrival, not the latest one."""
    service, inbox = live
    now = clock()
    with DispatchClient(service.url, DISPATCHER_TOKEN) as d:
        eng = d.add_engineer(EngineerIn(name="Kenji Sato", phone="+81 90-1234-0000", languages=["ja", "en"]))
        data = request_data(visit_start=now.isoformat(), languages=["en"])
        second = {**data["locations"][0], "id": "WH", "name": "Warehouse"}
        data["locations"] = [{**data["locations"][0], "id": "HQ", "name": "Head office"}, second]
        a = d.create_assignment(data)
        d.propose(a.id, [eng.engineer.id])
        d.approve(a.id, "Pat Lee")
    with DispatchClient(service.url, eng.token) as c:
        results = c.send_events(
            [
                ArriveEvent(assignment_id=a.id, device_time=now, location_id="HQ"),
                ArriveEvent(assignment_id=a.id, device_time=now + timedelta(seconds=30), location_id="WH"),
            ]
        ).results
    assert [r.outcome for r in results] == ["applied", "applied"]
    mails = inbox.wait(2)
    assert sorted("Head office" in subject(m) for m in mails) == [False, True]
    assert sorted("Warehouse" in subject(m) for m in mails) == [False, True]
