"""Hostile text in every free-text field reaches the badge page, the report PDF and the mails intact — escaped
where markup would run, folded into one line where a header would break — and never stops a mail."""

from __future__ import annotations

import email
import email.policy
import subprocess
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from api_client import DispatchClient
from api_client.wire import EngineerIn
from dispatch.notify import header_safe
from tests.abuse.conftest import PNG_1PX, visit_now
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, start_service
from tests.factories import TOKYO_STATION

MARKUP = "<script>alert(1)</script> & \"q\" 'a'"
BREAKS = "line\r\nBcc: victim@example.com\u2028next\u2029para\x85nel\x1besc"


def _event(kind: str, job: str, at: datetime, **fields: object) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "kind": kind, "assignment_id": job, "device_time": at.isoformat(), **fields}


def test_hostile_strings_reach_page_pdf_and_mail_intact_and_escaped(abuse_service, tmp_path: Path):
    now = clock()
    # The visit started ten minutes ago; the engineer arrived five minutes ago (device times never ahead of now).
    request = visit_now(now - timedelta(minutes=70), title=f"Title {MARKUP}", reference=f"REF {BREAKS}", notes=MARKUP)
    loc = request["locations"][0]
    loc["name"], loc["access_notes"] = f"Site {MARKUP} {BREAKS}", MARKUP
    loc["maps_url"] = f"https://www.google.com/maps?q={TOKYO_STATION[0]},{TOKYO_STATION[1]}"
    request["ordering_party"]["notify_emails"] = ["desk@example.com"]
    with DispatchClient(abuse_service.url, DISPATCHER_TOKEN) as d:
        eng = d.add_engineer(EngineerIn(name=f"Eve {MARKUP}", phone="+81 90-1234-0009", photo_base64=PNG_1PX))
        job = d.create_assignment(request).id
        d.propose(job, [eng.engineer.id])
        d.approve(job, f"Approver {MARKUP}")
    position = {"latitude": TOKYO_STATION[0], "longitude": TOKYO_STATION[1], "accuracy_m": 10}
    t = clock() - timedelta(minutes=2)  # just after the approval (within the skew allowance), never ahead
    with DispatchClient(abuse_service.url, eng.token) as e:
        badge = e.badge(job)
        results = e.send_events(
            [
                _event("arrive", job, t, position=position),
                _event("start_work", job, t + timedelta(seconds=30), assisted_by=f"Helper {MARKUP}"),
                _event("log", job, t + timedelta(minutes=1), text=f"Log {MARKUP} {BREAKS}"),
                _event(
                    "sign_off",
                    job,
                    t + timedelta(minutes=1, seconds=30),
                    signer_name=f"Signer {MARKUP}",
                    approve_leaving=True,
                    confirmed_steps=[0],
                    strokes=[[[0, 0], [10, 5], [20, 0]]],
                ),
            ]
        ).results
        assert [r.outcome.value for r in results] == ["applied"] * 4, [r.reason for r in results]
        abuse_service.store.jobs.drain()  # the mails and the report are made by the job worker
        notes = e.notifications(job)
        pdf = httpx.get(
            f"{abuse_service.url}/v1/assignments/{job}/report.pdf", headers={"Authorization": f"Bearer {eng.token}"}
        ).content

    # The page: the name is shown, escaped.
    page = httpx.get(badge.verify_url).text
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#x27;a&#x27;" in page
    assert "<script>" not in page

    # The mails: sent (spooled), one line per header, no injected header, the body intact.
    assert {n.kind: n.status for n in notes} == {"arrival": "spooled", "sign_off": "spooled"}, notes
    spool = abuse_service.settings.mail_spool_dir
    messages = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sorted(spool.glob("*.eml"))
    ]
    assert len(messages) == 2
    for msg in messages:
        assert msg["Bcc"] is None and "victim@example.com" not in msg["To"]
        assert not any(ch in str(msg["Subject"]) for ch in "\r\n\u2028\u2029\x85\x00")
        assert "REF line Bcc: victim@example.com next para nel esc" in str(msg["Subject"])
    arrival = next(m for m in messages if "arrived" in str(m["Subject"]))
    plain = arrival.get_body(("plain",)).get_content()
    html_part = arrival.get_body(("html",)).get_content()
    assert f"Site {MARKUP}" in plain  # the plain body keeps the text as written
    assert "Site &lt;script&gt;alert(1)&lt;/script&gt;" in html_part and "<script>" not in html_part

    # The PDF: the text as written, markup and all.
    pdf_path = tmp_path / "report.pdf"
    pdf_path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (f"Title {MARKUP}", f"Signer {MARKUP}", "Log <script>alert(1)</script>"):
        assert expected in text, expected


def test_header_values_lose_every_line_break_and_control_character():
    assert header_safe("a\r\nb\u2028c\u2029d\x85e\x0bf\x1fg\u202eh") == "a b c d e f g h"
    assert len(header_safe("x" * 10_000)) == 300


def test_a_failing_mail_server_is_recorded_with_its_reason_and_the_event_stands(tmp_path: Path):
    live = start_service(tmp_path / "d.sqlite3", mail_spool_dir=tmp_path / "mail", smtp_host="127.0.0.1", smtp_port=9)
    try:
        now = clock()
        request = visit_now(now - timedelta(minutes=70))
        request["ordering_party"]["notify_emails"] = ["desk@example.com"]
        with DispatchClient(live.url, DISPATCHER_TOKEN) as d:
            eng = d.add_engineer(EngineerIn(name="Eve", phone="+81 90-1234-0009"))
            job = d.create_assignment(request).id
            d.propose(job, [eng.engineer.id])
            d.approve(job, "Pat")
        with DispatchClient(live.url, eng.token) as e:
            result = e.send_events([_event("arrive", job, now - timedelta(minutes=1))]).results[0]
            assert result.outcome.value == "applied"
            live.store.jobs.drain()
            note = e.notifications(job)[0]
        assert note.status == "failed" and "ConnectionRefusedError" in note.error
    finally:
        live.stop()
