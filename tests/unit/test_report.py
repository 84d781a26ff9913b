"""The service report renders work-log photos and stays valid with unreadable ones."""

import io
from datetime import UTC, datetime, timedelta

from PIL import Image
from pypdf import PdfReader

from api_client.events import RecordedEvent
from api_client.request import ServiceRequest
from api_client.rules.lifecycle import LogEntry, Status, VisitState
from api_client.wire import Assignment, BillOut
from dispatch.report import content_hash, render, signed_content
from tests.factories import request_data

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def _photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 80, 40)).save(buf, format="PNG")
    return buf.getvalue()


def _case():
    visit = VisitState(
        status=Status.signed_off,
        signer_name="Ken Ito",
        signed_off_at=T0 + timedelta(hours=2),
        log=[LogEntry(event_id="e1", at=T0, author="ENG-1", text="Rack photo", has_photo=True)],
    )
    a = Assignment(
        id="ASG-1",
        request=ServiceRequest.model_validate(request_data()),
        status=Status.signed_off,
        expedited=False,
        requested_at=T0,
        created_at=T0,
        updated_at=T0,
        visit=visit,
    )
    events = [
        RecordedEvent(
            id="00000000-0000-0000-0000-000000000001",
            assignment_id="ASG-1",
            kind="sign_off",
            actor="ENG-1",
            device_time=T0,
            received_at=T0,
            outcome="applied",
            data={"strokes": [[[0, 0], [10, 5], [20, 0]]]},
        )
    ]
    bill = BillOut(
        currency="JPY",
        rate_card_label="EXAMPLE",
        lines=[],
        total=24000,
        charged_hours=2,
        on_site_minutes=120,
        overtime_minutes=0,
        overtime_billed_minutes=0,
    )
    return a, events, bill


def test_photo_is_embedded_and_hash_ignores_attachments():
    a, events, bill = _case()
    with_photo = render(a, events, bill, {"e1": _photo()})
    without = render(a, events, bill, {})
    reader = PdfReader(io.BytesIO(with_photo.pdf))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 2  # the photo and the signature
    assert with_photo.sha256 == without.sha256 == content_hash(signed_content(a, events, bill))
    assert "[photo not readable]" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(without.pdf)).pages)
