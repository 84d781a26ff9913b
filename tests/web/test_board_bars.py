"""What a dispatcher reads on the board's bars: a visit booked for a time reads against its start ("starts in",
"since start"), a retainer's visit leads with the time someone must be there; the time without the board's own
zone (said once, in the corner), a site elsewhere with its zone; warnings on a line of their own."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from api_client.clients import CompanyIn
from api_client.texts import text
from tests.web.conftest import WebService, http_sign_in_dispatcher
from tests.web.desk_scene import DeskScene, make_scene
from tests.web.test_desk_pages import _bar


@pytest.fixture
def scene(web: WebService) -> DeskScene:
    return make_scene(web)


def _words(bar: str) -> str:
    """What the bar reads (its inside, without the link's attributes)."""
    return " ".join(re.sub(r"<[^>]+>", " ", bar[bar.index(">") + 1 :]).split())


def test_a_scheduled_visit_reads_against_its_start_not_an_sla_clock(scene: DeskScene) -> None:
    job = scene.approved_visit(0, hours_from_now=3)
    start = job.request.visit_start
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    scene.web.clock.jump_to(start - timedelta(hours=2, minutes=59, seconds=30))  # minutes are whole: 2 h 59
    board = c.get("/desk/board").text
    bar = _words(_bar(board, job.id))
    assert text("desk.board.starts_in", "en", span="2 h 59 min") in bar
    assert "SLA" not in bar
    assert bar.startswith(f"{start.astimezone(ZoneInfo('Asia/Tokyo')):%H:%M} ")  # no "JST" after it
    assert 'class="tl-name tl-zone hint">JST<' in board  # said once, in the timeline's corner

    scene.web.clock.jump_to(start + timedelta(minutes=20, seconds=10))
    late = _bar(c.get("/desk/board?lang=ja").text, job.id)
    assert text("desk.board.past_start", "ja", span="0時間20分") in _words(late)
    flags = late[late.index('class="bar-line bar-flags"') :]
    assert text("desk.board.late", "ja") in flags  # the warning has a line of its own


def test_a_retainer_visit_leads_with_when_someone_must_be_there(scene: DeskScene) -> None:
    with scene.dispatch() as d:
        retainer = {"valid_from": "2026-01-01", "valid_until": "2027-12-31", "response_minutes": 60}
        d.update_company(scene.company.id, CompanyIn.model_validate({"name_en": "Acme", "retainer": retainer}))
    job = scene.approved_visit(0, hours_from_now=0.5)
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    bar = _words(_bar(c.get("/desk/board").text, job.id))
    assert bar.index("respond by") < bar.index("SLA clock")


def test_a_site_in_another_zone_keeps_its_zone_on_the_bar(scene: DeskScene) -> None:
    job = scene.approved_visit(0, hours_from_now=10, site_timezone="Asia/Singapore")
    c = http_sign_in_dispatcher(scene.web, scene.desk_email)
    bar = _words(_bar(c.get("/desk/board").text, job.id))
    assert re.match(r"\d\d:\d\d \S+ ", bar) and not bar.split()[1].startswith("JST"), bar
