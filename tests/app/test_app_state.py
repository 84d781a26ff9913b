"""View state + device store against the real dispatch service on 127.0.0.1."""

import asyncio
from datetime import timedelta

from dispatch.demo import DEMO_TOKENS
from field_app.device_store import DeviceStore
from field_app.state import AppState, sections
from tests.app.conftest import signed_in
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, free_port


def test_sign_in_loads_only_my_assignments(device, demo_service):
    state = signed_in(device, demo_service, "sato")
    assert state.engineer.name == "Kenji Sato" and state.online is True
    titles = {a.request.title for a in state.assignments}
    assert "Core switch replacement, 12F server room" in titles
    assert "Patch panel labelling, 3F IDF" not in titles  # Tanaka's job
    assert state.rate_card is not None and state.last_sync is not None


def test_sign_in_errors_name_the_problem(device, demo_service):
    state = AppState(store=device)
    state.load_local()
    assert not asyncio.run(state.sign_in("ftp://x", "t")) and "http" in state.sign_in_error
    assert not asyncio.run(state.sign_in(demo_service.url, "  ")) and "token" in state.sign_in_error
    assert not asyncio.run(state.sign_in(demo_service.url, "wrong-token-123"))
    assert "does not know" in state.sign_in_error
    assert not asyncio.run(state.sign_in(demo_service.url, DISPATCHER_TOKEN))
    assert "not an engineer" in state.sign_in_error
    assert not asyncio.run(state.sign_in(f"http://127.0.0.1:{free_port()}", DEMO_TOKENS["sato"]))
    assert "Cannot reach" in state.sign_in_error and not state.signed_in


def test_japanese_sign_in_error(device, demo_service):
    state = AppState(store=device)
    state.set_language("ja")
    asyncio.run(state.sign_in(demo_service.url, "wrong-token-123"))
    assert "トークン" in state.sign_in_error


def test_offline_the_list_and_detail_come_from_the_device(tmp_path, demo_service):
    path = tmp_path / "device.sqlite3"
    first = DeviceStore(path)
    online = signed_in(first, demo_service, "carter")
    online_ids = sorted(a.id for a in online.assignments)
    first.close()
    demo_service.stop()  # no signal

    store = DeviceStore(path)  # the app restarted in the basement
    state = AppState(store=store)
    asyncio.run(state.restore())
    assert state.signed_in and sorted(a.id for a in state.assignments) == online_ids
    job = next(a for a in state.assignments if a.request.engineer_count == 2)
    hq = job.request.locations[0]
    assert (hq.floor, hq.local_contacts[0].name) == ("地下1階 電算室", "中村 美香")
    assert "警備室" in hq.access_notes and job.request.items[0].name == "写真付き身分証明書"
    report = asyncio.run(state.sync_now())
    assert not report.online and state.online is False and state.sync_error
    assert [a.id for a in state.assignments] == [a.id for a in store.assignments()]  # nothing lost
    store.close()


def test_refresh_when_the_network_returns(tmp_path, demo_service):
    from tests.conftest import start_service

    db = tmp_path / "server.sqlite3"
    server = start_service(db)
    from dispatch.demo import seed

    seed(server.store)
    port = int(server.url.rsplit(":", 1)[1])
    state = signed_in(DeviceStore(tmp_path / "d.sqlite3"), server, "sato")
    before = len(state.assignments)
    server.stop()
    assert not asyncio.run(state.sync_now()).online
    server = start_service(db, port=port)  # back, on the same address, with a new job for Sato
    from api_client import DispatchClient
    from tests.factories import request_data

    with DispatchClient(server.url, DISPATCHER_TOKEN) as d:
        a = d.create_assignment(request_data(title="Extra job"))
        d.propose(a.id, [state.engineer.id])
    assert asyncio.run(state.sync_now()).online and len(state.assignments) == before + 1
    server.stop()


def test_sections_use_the_site_calendar_day(device, demo_service):
    state = signed_in(device, demo_service, "sato")
    now = clock()
    s = sections(state.assignments, now)
    titles = lambda xs: {a.request.title for a in xs}  # noqa: E731
    assert "Core switch replacement, 12F server room" in titles(s.today)  # 14:00 today, Tokyo's date
    assert "UPS 交換とサーバー再起動（本社・倉庫）" in titles(s.upcoming)  # tomorrow in Osaka
    later = sections(state.assignments, now + timedelta(days=10))
    assert not later.today and not later.upcoming and len(later.past) == len(state.assignments)


def test_language_choice_is_kept_on_the_device(device):
    state = AppState(store=device)
    state.toggle_language()
    again = AppState(store=device)
    again.load_local()
    assert again.language == "ja" and again.t("list.title") == "担当案件"


def test_sign_out_clears_the_cache(device, demo_service):
    state = signed_in(device, demo_service, "sato")
    assert asyncio.run(state.sign_out())
    fresh = AppState(store=device)
    asyncio.run(fresh.restore())
    assert not fresh.signed_in and fresh.assignments == []


def test_bill_lines_read_in_the_viewers_language(device, demo_service):
    from field_app.detail_model import DetailModel, bill_line_label
    from field_app.i18n import Translator

    state = signed_in(device, demo_service, "carter")
    ups = next(a for a in state.assignments if a.request.engineer_count == 2)
    m = DetailModel.of(state, ups)
    line = m.bill.lines[0]
    ja = bill_line_label(line, m.bill, ups, m.visit, state.rate_card, Translator("ja"))
    assert ja == "予約作業時間・スペシャリスト（2 時間 × 2 名）"
    en = bill_line_label(line, m.bill, ups, m.visit, state.rate_card, Translator("en"))
    assert en == "Reserved on-site time, Specialist (2 h × 2 engineers)"
