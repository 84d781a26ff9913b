""" "Request a visit" submitted as a form with 10 locations, against the same ServiceRequest posted to the JSON
API in the same run.

    uv run python bench/request_form.py [--runs 30]

The service runs on 127.0.0.1 (SQLite, a temp dir). A signed-in person posts the whole form (10 sites with two
local contacts each, 10 items, 10 steps, 3 paperwork rows; ~190 fields) with "send": the post is read, the draft
stored, the API's validator run, the assignment created, the audit entry written, and the answer is the 303 to
the confirmation. The baseline is the dispatcher's `POST /v1/assignments` with the same request as JSON. A third
figure is the cycle a person waits for when a field is wrong: the post (saved, errors found) plus the GET that
re-renders the form from the draft with each error next to its field. Times are request to answer on loopback.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_client.clients import CompanyIn, PersonIn
from dispatch import accounts
from dispatch.web.request_form import read_form, to_request_data
from tests.conftest import DISPATCHER_TOKEN, start_service

MAPS = "https://www.google.com/maps/place/DC/@35.6284,139.7387,17z/data=!3m1!4b1!4m2!3m1!8m2!3d35.6284!4d139.7387"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_fields(sites: int = 10) -> dict[str, str]:
    f = {
        "title": "Core switch replacement, ten sites",
        "ordering_party.company": "Bench Co",
        "ordering_party.engineer.name": "Aoi Aoyama",
        "ordering_party.engineer.email": "aoi@bench.example",
        "visit_date": "2026-12-20",
        "visit_time": "10:00",
        "site_timezone": "Asia/Tokyo",
        "reserved_hours": "4",
        "urgency": "2",
        "skill_level": "senior",
        "engineer_count": "2",
        "languages.ja": "on",
        "languages.en": "on",
        "work.summary": "Replace the core switch at each site and migrate its configuration.",
        "devices_on_site_confirmed": "on",
        "locations.n": str(sites),
        "items.n": "10",
        "work.steps.n": "10",
        "paperwork.n": "3",
    }
    for i in range(sites):
        p = f"locations.{i}"
        f |= {
            f"{p}.name": f"Site {i + 1}",
            f"{p}.address": f"東京都品川区東品川 2-{i + 1}-20",
            f"{p}.maps_url": MAPS,
            f"{p}.floor": f"B{i % 3 + 1}",
            f"{p}.access_notes": "通用口で警備員に入館証を提示してください。",
            f"{p}.local_contacts.n": "2",
        }
        for j in range(2):
            f |= {
                f"{p}.local_contacts.{j}.name": f"Contact {i}-{j}",
                f"{p}.local_contacts.{j}.phone": "+81 3-1234-5678",
            }
    for i in range(10):
        f |= {f"items.{i}.name": f"Item {i}", f"items.{i}.quantity": "2", f"items.{i}.requested": "requested"}
        f |= {f"work.steps.{i}.title": f"Step {i}", f"work.steps.{i}.confirm_after": "Checked"}
    for i in range(3):
        f |= {f"paperwork.{i}.name": f"Paper {i}", f"paperwork.{i}.status": "sent"}
    return f


def signed_in(url: str, store: object) -> httpx.Client:
    company = accounts.add_company(store, CompanyIn(name_en="Bench Co"))  # type: ignore[arg-type]
    person = accounts.add_person(store, PersonIn(company_id=company.id, name="Aoi", email="aoi@bench.example"))  # type: ignore[arg-type]
    token = accounts.issue_link(store, "sign_in", person.id)  # type: ignore[arg-type]
    c = httpx.Client(base_url=url, timeout=30)
    page = c.get(f"/portal/link/{token}")
    c.post(f"/portal/link/{token}", data={"csrf_token": _CSRF.search(page.text).group(1), "next": "/portal"})
    return c


def timed(fn, *args, **kw) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn(*args, **kw)
    return (time.perf_counter() - t0) * 1000, result


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=30)
    args = p.parse_args()
    fields = form_fields()
    request_json = to_request_data(read_form(fields), False, []).data
    forms, apis, cycles = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        svc = start_service(Path(tmp) / "bench.sqlite3")
        try:
            c = signed_in(svc.url, svc.store)
            api = httpx.Client(base_url=svc.url, headers={"Authorization": f"Bearer {DISPATCHER_TOKEN}"}, timeout=30)
            token = _CSRF.search(c.get("/portal/requests/new").text).group(1)
            body = {**fields, "csrf_token": token, "action": "send"}
            wrong = {**body, "locations.9.local_contacts.1.phone": "03-1234-5678"}
            for _ in range(3):  # warm up both paths
                c.post("/portal/requests/new", data=body)
                api.post("/v1/assignments", json=request_json)

            def cycle() -> None:
                saved = c.post("/portal/requests/new", data=wrong)
                page = c.get(saved.headers["location"].split("#")[0])
                assert 'data-field="locations.9.local_contacts.1.phone"' in page.text

            for _ in range(args.runs):
                ms, sent = timed(c.post, "/portal/requests/new", data=body)
                assert sent.status_code == 303 and sent.headers["location"].endswith("/sent")  # type: ignore[attr-defined]
                forms.append(ms)
                ms, created = timed(api.post, "/v1/assignments", json=request_json)
                assert created.status_code == 201, created.text  # type: ignore[attr-defined]
                apis.append(ms)
                cycles.append(timed(cycle)[0])
        finally:
            svc.stop()

    def line(name: str, xs: list[float]) -> str:
        q = statistics.quantiles(xs, n=10)
        return f"{name:<44} median {statistics.median(xs):7.1f} ms   p90 {q[-1]:7.1f} ms"

    print(f"10 locations x 2 contacts, {len(fields)} form fields, {args.runs} runs each")
    print(line("form submit (send -> 303 /sent)", forms))
    print(line("baseline: same request, POST /v1/assignments", apis))
    print(line("a mistake: post + re-render with errors", cycles))
    print(f"ratio form / API: {statistics.median(forms) / statistics.median(apis):.2f}x")


if __name__ == "__main__":
    main()
