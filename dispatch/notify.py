"""Notifications to the ordering party: arrival, running late, unable to enter, and sign-off with the service
report — in the request's languages (Japanese first when both), as plain text and HTML, every word from the
contract's catalog (`api_client.texts`).

SMTP when `smtp_host` is set; otherwise each message is written as an .eml file to `mail_spool_dir` (the
embedded default), so nothing needs a mail server to try the app. Every attempt is recorded.
"""

from __future__ import annotations

import html
import logging
import smtplib
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid

from api_client.events import ArriveEvent, EventKind, UnableToEnterEvent
from api_client.texts import Language, hours, money, person_name, reading_order, site_datetime, text
from api_client.wire import Assignment

from .principal import SYSTEM
from .report import render
from .settings import Settings
from .store import Applied, Store

log = logging.getLogger(__name__)


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


_MAX_HEADER_CHARS = 300


def header_safe(text: str) -> str:
    """A header value from client-supplied text: every line or paragraph break and control character becomes a
    space (a CR/LF would inject headers; U+2028/2029 and NEL break folding), so the header stays one line."""
    cleaned = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp", "Cf"} else ch for ch in text)
    return " ".join(cleaned.split())[:_MAX_HEADER_CHARS]


def recipients(a: Assignment) -> list[str]:
    party = a.request.ordering_party
    found = [party.engineer.email, *party.notify_emails]
    return list(dict.fromkeys(e for e in found if e))


@dataclass(frozen=True)
class Mail:
    """One message in the client's language(s): the subject, and the body as plain text and as HTML."""

    subject: str
    plain: str
    html: str


Paragraphs = Callable[[Language], list[str]]


def compose(a: Assignment, subject_key: str, paragraphs: Paragraphs, **subject_values: object) -> Mail:
    """The subject and both bodies in the request's languages (Japanese first when both), from the catalog.
    `paragraphs(lang)` gives the message's own paragraphs; the greeting, assignment line and footer are added."""
    langs = reading_order(a.request.languages)
    ref = a.request.reference or a.id
    subject = f"[{ref}] " + " / ".join(text(subject_key, lang, **subject_values) for lang in langs)
    sections = [
        [
            text("mail.greeting", lang, company=a.request.ordering_party.company),
            *paragraphs(lang),
            text("mail.assignment", lang, title=a.request.title),
            text("mail.footer", lang),
        ]
        for lang in langs
    ]
    plain = "\n\n――――――――――\n\n".join("\n\n".join(section) for section in sections) + "\n"
    html_sections = "<hr>".join(
        f'<div lang="{lang}">' + "".join(f"<p>{_html_text(p)}</p>" for p in section) + "</div>"
        for lang, section in zip(langs, sections, strict=True)
    )
    head = '<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif">'
    body = f"{head}{html_sections}</body></html>"
    return Mail(subject, plain, body)


def _html_text(paragraph: str) -> str:
    return html.escape(paragraph).replace("\n", "<br>")


class Notifier:
    """Turns applied events into messages to the ordering party (run by the job worker, after the answer)."""

    KINDS = frozenset({EventKind.arrive, EventKind.running_late, EventKind.unable_to_enter, EventKind.sign_off})

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
        except Exception as exc:  # every failed attempt is recorded with its reason; the job worker retries
            self._record_failure(applied.assignment_id, kind.value, exc)
            raise

    def _record_failure(self, assignment_id: str, kind: str, exc: Exception) -> None:
        try:
            self.store.record_notification(assignment_id, kind, [], "", "failed", f"{type(exc).__name__}: {exc}")
        except Exception:  # the database itself failed: the job's own record and the log are what is left
            log.exception("could not record the failed %s notification for %s", kind, assignment_id)

    def _when(self, a: Assignment, t: datetime, lang: Language) -> str:
        return site_datetime(t, a.request.site_timezone, lang, year=True)

    def _engineer(self, a: Assignment, engineer_id: str, lang: Language) -> str:
        e = next((e for e in a.engineers if e.id == engineer_id), None)
        return person_name(e.name, e.name_ja, lang) if e else engineer_id

    def _arrival(self, applied: Applied) -> None:
        a, event = applied.assignment, applied.event
        # This event's arrival, not the latest one: the mail goes out after the answer, maybe after others.
        mine = [x for x in a.visit.arrivals if x.at == event.device_time]
        if isinstance(event, ArriveEvent) and event.location_id:
            mine = [x for x in mine if x.location_id == event.location_id] or mine
        arrival = mine[0] if mine else a.visit.arrivals[-1]
        loc = a.request.location(arrival.location_id)
        distance = "—" if arrival.distance_m is None else f"{arrival.distance_m:,.0f}"

        def paragraphs(lang: Language) -> list[str]:
            who, when = self._engineer(a, arrival.engineer_id, lang), self._when(a, arrival.at, lang)
            return [
                text("mail.arrival.body", lang, engineer=who, site=loc.name, address=loc.address, time=when),
                text(f"arrival.{arrival.check}", lang, distance=distance),
            ]

        self._send(a, "arrival", compose(a, "mail.arrival.subject", paragraphs, site=loc.name))

    def _late(self, applied: Applied) -> None:
        a = applied.assignment
        at = applied.event.device_time
        notice = next((n for n in a.visit.late_notices if n.at == at), a.visit.late_notices[-1])
        note = getattr(applied.event, "note", "")

        def paragraphs(lang: Language) -> list[str]:
            who, expected = self._engineer(a, notice.engineer_id, lang), self._when(a, notice.expected_at, lang)
            lines = [text("mail.late.body", lang, engineer=who, time=expected)]
            return lines + ([text("mail.late.note", lang, note=note)] if note else [])

        self._send(a, "running_late", compose(a, "mail.late.subject", paragraphs))

    def _unable(self, applied: Applied) -> None:
        a, event = applied.assignment, applied.event
        assert isinstance(event, UnableToEnterEvent)

        def paragraphs(lang: Language) -> list[str]:
            when = self._when(a, event.device_time, lang)
            lines = [text("mail.unable.body", lang, time=when, reason=text(f"unable.{event.reason.value}", lang))]
            if event.detail:
                lines.append(text("mail.unable.detail", lang, detail=event.detail))
            return [*lines, text("mail.unable.charge", lang, hours=hours(a.request.reserved))]

        self._send(a, "unable_to_enter", compose(a, "mail.unable.subject", paragraphs))

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
        verify_url = f"{self.settings.public_base_url.rstrip('/')}/verify-report"
        report = render(a, events, bill, photos, verify_url=verify_url)
        file_sha256 = self.store.save_report(a.id, report.pdf, report.sha256)
        signed_at = a.visit.signed_off_at or applied.received_at

        def paragraphs(lang: Language) -> list[str]:
            return [
                text("mail.sign_off.body", lang, signer=a.visit.signer_name, time=self._when(a, signed_at, lang)),
                text("mail.sign_off.total", lang, total=money(bill.total, bill.currency, lang)),
                text("mail.sign_off.verify", lang, sha256=file_sha256, url=verify_url),
            ]

        mail = compose(a, "mail.sign_off.subject", paragraphs)
        self._send(a, "sign_off", mail, attachment=(f"service-report-{a.id}.pdf", report.pdf))

    def _send(self, a: Assignment, kind: str, mail: Mail, attachment: tuple[str, bytes] | None = None) -> None:
        subject = header_safe(mail.subject)
        to = recipients(a)
        if not to:
            self.store.record_notification(a.id, kind, to, subject, "no_recipient", "")
            return
        try:
            msg = EmailMessage()
            msg["From"], msg["To"], msg["Subject"] = self.settings.mail_from, ", ".join(to), subject
            msg["Message-ID"] = make_msgid(domain="field.ecorpone.example")
            msg.set_content(mail.plain)
            msg.add_alternative(mail.html, subtype="html")
            if attachment:
                msg.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
            status, error = self.mailer.send(msg), ""
        except Exception as exc:  # any failure is recorded with its reason, never raised into the request
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            log.warning("mail to %s failed: %s", to, exc)
        self.store.record_notification(a.id, kind, to, subject, status, error)
