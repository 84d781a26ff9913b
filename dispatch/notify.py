"""Notifications to the ordering party: arrival, unable to enter, and sign-off with the service report.

SMTP when `smtp_host` is set; otherwise each message is written as an .eml file to `mail_spool_dir` (the
embedded default), so nothing needs a mail server to try the app. Every attempt is recorded.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from zoneinfo import ZoneInfo

from api_client.events import EventKind, UnableToEnterEvent
from api_client.wire import Assignment

from .principal import SYSTEM
from .report import render
from .settings import Settings
from .store import Applied, Store

log = logging.getLogger(__name__)

_UNABLE = {
    "no_local_contact": ("no local contact was available", "現地担当者が不在"),
    "no_access": ("access to the site or room was not possible", "入館・入室ができない"),
    "devices_not_arrived": ("the devices needed had not arrived", "必要な機器が未着"),
    "paperwork_missing": ("required paperwork was missing", "必要書類の不備"),
    "other": ("other reason", "その他"),
}


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, msg: EmailMessage) -> str:
        """Returns 'sent' or 'spooled'; raises on failure."""
        s = self.settings
        if s.smtp_host:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10) as smtp:
                smtp.send_message(msg)
            return "sent"
        s.mail_spool_dir.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        (s.mail_spool_dir / name).write_bytes(bytes(msg))
        return "spooled"


def recipients(a: Assignment) -> list[str]:
    party = a.request.ordering_party
    found = [party.engineer.email, *party.notify_emails]
    return list(dict.fromkeys(e for e in found if e))


def _both(a: Assignment, en: str, ja: str) -> str:
    langs = a.request.languages
    if langs == ["ja"]:
        return ja
    if "ja" in langs:
        return f"{en}\n\n---\n\n{ja}"
    return en


class Notifier:
    """A store listener: turns applied events into messages to the ordering party."""

    def __init__(self, store: Store, mailer: Mailer, settings: Settings) -> None:
        self.store = store
        self.mailer = mailer
        self.settings = settings

    def __call__(self, applied: Applied) -> None:
        kind = applied.event.kind
        try:
            if kind is EventKind.arrive:
                self._arrival(applied)
            elif kind is EventKind.running_late:
                self._late(applied)
            elif kind is EventKind.unable_to_enter:
                self._unable(applied)
            elif kind is EventKind.sign_off:
                self._signed_off(applied)
        except Exception:  # never let a mail or PDF problem undo a recorded event
            log.exception("notification for %s %s failed", kind, applied.assignment.id)

    def _when(self, a: Assignment, t: datetime) -> str:
        return t.astimezone(ZoneInfo(a.request.site_timezone)).strftime("%Y-%m-%d %H:%M %Z")

    def _engineer(self, a: Assignment, engineer_id: str) -> str:
        e = next((e for e in a.engineers if e.id == engineer_id), None)
        return e.name if e else engineer_id

    def _arrival(self, applied: Applied) -> None:
        a = applied.assignment
        arrival = a.visit.arrivals[-1]
        loc = a.request.location(arrival.location_id)
        who, when = self._engineer(a, arrival.engineer_id), self._when(a, arrival.at)
        checks = {
            "verified": ("position verified at the site", "位置情報で現地到着を確認"),
            "too_far": (
                f"NOT verified: position {arrival.distance_m or 0:.0f} m from the site",
                f"未確認: 現地から {arrival.distance_m or 0:.0f} m の位置",
            ),
            "no_position": ("NOT verified: no position available", "未確認: 位置情報なし"),
            "site_unlocated": (
                "NOT verified: the site's map link has no coordinates",
                "未確認: 地図リンクに座標がありません",
            ),
        }
        en_check, ja_check = checks.get(arrival.check, (arrival.check, arrival.check))
        subject = _both(
            a,
            f"[{a.request.reference or a.id}] Engineer arrived: {loc.name}",
            f"[{a.request.reference or a.id}] エンジニア到着: {loc.name}",
        ).split("\n")[0]
        body = _both(
            a,
            f"{who} arrived at {loc.name} ({loc.address}) at {when} (device time).\nArrival check: {en_check}.\n"
            f"Assignment: {a.request.title}",
            f"{who} が {when}（端末時刻）に {loc.name}（{loc.address}）へ到着しました。\n到着確認: {ja_check}\n"
            f"案件: {a.request.title}",
        )
        self._send(a, "arrival", subject, body)

    def _late(self, applied: Applied) -> None:
        a = applied.assignment
        notice = a.visit.late_notices[-1]
        who, expected = self._engineer(a, notice.engineer_id), self._when(a, notice.expected_at)
        note = getattr(applied.event, "note", "")
        subject = f"[{a.request.reference or a.id}] Engineer running late / エンジニア到着遅延"
        body = _both(
            a,
            f"{who} is running late and now expects to arrive at {expected} (site time)."
            + (f"\nNote: {note}" if note else "")
            + f"\nAssignment: {a.request.title}",
            f"{who} の到着が遅れています。到着予定: {expected}（現地時間）"
            + (f"\n備考: {note}" if note else "")
            + f"\n案件: {a.request.title}",
        )
        self._send(a, "running_late", subject, body)

    def _unable(self, applied: Applied) -> None:
        a, event = applied.assignment, applied.event
        assert isinstance(event, UnableToEnterEvent)
        en, ja = _UNABLE[event.reason.value]
        detail = f" — {event.detail}" if event.detail else ""
        subject = f"[{a.request.reference or a.id}] Unable to enter / 入館不可"
        body = _both(
            a,
            f"The engineer could not enter the site at {self._when(a, event.device_time)}: {en}{detail}.\n"
            f"As agreed, the full reserved time ({a.request.reserved} h) is charged.",
            f"{self._when(a, event.device_time)} にエンジニアが入館できませんでした: {ja}{detail}\n"
            f"規定により、予約時間（{a.request.reserved} 時間）全額が請求対象となります。",
        )
        self._send(a, "unable_to_enter", subject, body)

    def _signed_off(self, applied: Applied) -> None:
        a = applied.assignment
        dispatcher = SYSTEM
        events = self.store.events(a.id, dispatcher)
        bill = self.store.bill(a.id, dispatcher)
        photos = {
            str(e.id): content
            for e in events
            if e.kind == "log" and e.outcome == "applied" and (content := self.store.attachment(str(e.id), "photo"))
        }
        report = render(a, events, bill, photos)
        self.store.save_report(a.id, report.pdf, report.sha256)
        subject = f"[{a.request.reference or a.id}] Service report / 作業報告書"
        signed_at = self._when(a, a.visit.signed_off_at or applied.received_at)
        body = _both(
            a,
            f"{a.visit.signer_name} signed off the work at {signed_at}."
            f"\nThe signed service report is attached. SHA-256 of the signed content: {report.sha256}",
            f"{a.visit.signer_name} 様が作業完了を承認されました。\n署名済みの作業報告書を添付します。"
            f"SHA-256: {report.sha256}",
        )
        self._send(a, "sign_off", subject, body, attachment=(f"service-report-{a.id}.pdf", report.pdf))

    def _send(
        self, a: Assignment, kind: str, subject: str, body: str, attachment: tuple[str, bytes] | None = None
    ) -> None:
        to = recipients(a)
        if not to:
            self.store.record_notification(a.id, kind, to, subject, "no_recipient", "")
            return
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.settings.mail_from, ", ".join(to), subject
        msg["Message-ID"] = make_msgid(domain="field.ecorpone.example")
        msg.set_content(body)
        if attachment:
            msg.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
        try:
            status, error = self.mailer.send(msg), ""
        except (OSError, smtplib.SMTPException) as exc:
            status, error = "failed", str(exc)
            log.warning("mail to %s failed: %s", to, exc)
        self.store.record_notification(a.id, kind, to, subject, status, error)
