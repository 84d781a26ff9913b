from datetime import UTC, datetime

from api_client.request import ServiceRequest
from api_client.rules.lifecycle import Status, VisitState
from api_client.wire import Assignment
from dispatch.demo import demo_requests
from field_app.calendar import ics
from tests.clock import clock


def _assignment(raw: dict) -> Assignment:
    now = datetime(2026, 11, 24, tzinfo=UTC)
    return Assignment(
        id="ASG-1",
        request=ServiceRequest.model_validate(raw),
        status=Status.approved,
        expedited=False,
        requested_at=now,
        created_at=now,
        updated_at=now,
        visit=VisitState(),
    )


def test_event_spans_the_reservation_in_utc_with_site_details():
    raw = demo_requests(clock())[0]
    raw["visit_start"] = "2026-12-03T14:00:00+09:00"
    text = ics(_assignment(raw), now=datetime(2026, 11, 24, tzinfo=UTC)).decode()
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART:20261203T050000Z" in unfolded and "DTEND:20261203T081500Z" in unfolded  # 3 h + 15 min
    assert "SUMMARY:Core switch replacement\\, 12F server room" in unfolded
    assert "Freight elevator 3 only" in unfolded and "Hiroshi Ito: +81 3-6825-1234" in unfolded


def test_lines_are_folded_at_75_octets_without_splitting_japanese():
    raw = demo_requests(clock())[1]
    data = ics(_assignment(raw))
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # every physical line is valid UTF-8 on its own
    assert "警備室で入館証を受け取り" in data.decode().replace("\r\n ", "")
