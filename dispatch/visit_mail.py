"""Mails around the ordering party's decisions, made by the job worker after the event's commit:

- a `propose` event (from the API, the CLI or the desk): each approver of the client company (a person who
  may approve) gets the proposal in their language — every engineer's name (the Japanese name for a Japanese
  reader), photo (inline image), skill level, phone and email — and a one-time link to decide
  (`/portal/decide/<assignment>/<token>`, purpose `decide:<assignment>`);
- an `approve` event: every local contact with an email address gets their read-only link to the live page.

Every attempt is recorded as a notification (like dispatch/notify.py), failures included.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from api_client.events import EventKind
from api_client.texts import Language, person_name, site_datetime, text
from api_client.wire import Assignment, Engineer

from . import accounts, follow_links
from .db import AssignmentRow
from .notify import Mailer, header_safe
from .settings import Settings
from .store import Applied, Store

log = logging.getLogger(__name__)


def decide_purpose(assignment_id: str) -> str:
    return f"decide:{assignment_id}"


def _lang(value: str) -> Language:
    return "ja" if value == "ja" else "en"


def _image_subtype(content: bytes) -> str | None:
    if content.startswith(b"\x89PNG"):
        return "png"
    if content.startswith(b"\xff\xd8"):
        return "jpeg"
    return None


class VisitMail:
    KINDS = frozenset({EventKind.propose, EventKind.approve})

    def __init__(self, store: Store, mailer: Mailer, settings: Settings) -> None:
        self.store = store
        self.mailer = mailer
        self.settings = settings

    def __call__(self, applied: Applied) -> None:
        if applied.event.kind is EventKind.propose:
            self.proposal(applied.assignment)
        elif applied.event.kind is EventKind.approve:
            self.follow_links(applied.assignment)

    @property
    def base(self) -> str:
        return self.settings.public_base_url.rstrip("/")

    def _company_id(self, a: Assignment) -> str | None:
        with self.store.sessions() as s:
            row = s.get(AssignmentRow, a.id)
            return None if row is None else row.company_id

    # -- the proposal -------------------------------------------------------------------------------------
    def proposal(self, a: Assignment) -> None:
        company_id = self._company_id(a)
        if company_id is None:  # imported without a client company: the desk takes the approval by phone
            return
        people = accounts.approvers(self.store, company_id)
        if not people:  # visible on the assignment's notifications: nobody could be asked
            self.store.record_notification(a.id, "proposal", [], "", "failed", "no active person may approve")
            return
        photos = {e.id: self.store.engineer_photo(e.id) for e in a.engineers if e.has_photo}
        for person in people:
            lang = _lang(person.language)
            token = accounts.issue_link(self.store, decide_purpose(a.id), person.id)
            expires = self.store.clock() + timedelta(minutes=accounts.DEFAULT_LINK_MINUTES)
            url = f"{self.base}/portal/decide/{a.id}/{token}?lang={lang}"
            msg = self._proposal_message(a, person.name, lang, url, expires, photos)
            msg["To"] = header_safe(person.email)
            self._send(a, "proposal", [person.email], msg)

    def _proposal_message(
        self, a: Assignment, name: str, lang: Language, url: str, expires: datetime, photos: dict[str, bytes | None]
    ) -> EmailMessage:
        r = a.request
        tz = r.site_timezone
        when = site_datetime(r.visit_start, tz, lang, year=True)
        intro = text(
            "mail.proposal.body",
            lang,
            name=name,
            title=r.title,
            time=when,
            expires=site_datetime(expires, tz, lang, year=True),
            url=url,
        )
        people = [self._engineer_lines(e, lang) for e in a.engineers]
        footer = text("mail.proposal.footer", lang)
        plain = "\n\n".join([intro, *people, footer, text("mail.footer", lang)]) + "\n"
        cards = []
        for e, lines in zip(a.engineers, people, strict=True):
            img = ""
            content = photos.get(e.id)
            if content and _image_subtype(content):
                alt = html.escape(text("visit.engineer.photo", lang, name=person_name(e.name, e.name_ja, lang)))
                img = (
                    f'<img src="cid:photo-{html.escape(e.id)}" alt="{alt}" width="96" '
                    'style="border-radius:8px;float:left;margin:0 12px 8px 0">'
                )
            body = "<br>".join(html.escape(x) for x in lines.split("\n"))
            cards.append(f'<div style="overflow:hidden;margin:12px 0">{img}<p>{body}</p></div>')
        intro_html = "<br>".join(html.escape(x) for x in intro.split("\n"))
        label = html.escape(text("mail.proposal.button", lang))
        button = (
            f'<p><a href="{html.escape(url)}" style="display:inline-block;padding:10px 16px;background:#0b5cad;'
            f'color:#fff;border-radius:8px;text-decoration:none">{label}</a></p>'
        )
        body_html = (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head>'
            f'<body style="font-family:sans-serif;overflow-wrap:anywhere"><p>{intro_html}</p>{"".join(cards)}{button}'
            f"<p>{html.escape(footer)}</p><p>{html.escape(text('mail.footer', lang))}</p></body></html>"
        )
        msg = EmailMessage()
        msg["From"] = self.settings.mail_from
        msg["Subject"] = header_safe(f"[{r.reference or a.id}] " + text("mail.proposal.subject", lang))
        msg["Message-ID"] = make_msgid(domain="field.ecorpone.example")
        msg.set_content(plain)
        msg.add_alternative(body_html, subtype="html")
        html_part = msg.get_payload()[1]  # type: ignore[index]
        for e in a.engineers:
            content = photos.get(e.id)
            if content and (subtype := _image_subtype(content)):
                html_part.add_related(content, "image", subtype, cid=f"<photo-{e.id}>")
        return msg

    @staticmethod
    def _engineer_lines(e: Engineer, lang: Language) -> str:
        return text(
            "mail.proposal.engineer",
            lang,
            name=person_name(e.name, e.name_ja, lang),
            skill=text(f"skill.{e.skill_level}", lang),
            phone=e.phone or "—",
            email=e.email or "—",
        )

    # -- the local contacts' read-only links ---------------------------------------------------------------
    def follow_links(self, a: Assignment) -> None:
        r = a.request
        langs = [_lang(x) for x in r.languages] or ["en"]
        lang: Language = "ja" if "ja" in langs else "en"
        for link in follow_links.ensure(self.store, a):
            if not link.email:
                continue
            url = f"{self.base}/portal/follow/{link.token}"
            body = text(
                "mail.follow.body",
                lang,
                name=link.contact_name,
                title=r.title,
                site=link.site,
                time=site_datetime(r.visit_start, r.site_timezone, lang, year=True),
                url=url,
            )
            msg = EmailMessage()
            msg["From"] = self.settings.mail_from
            msg["To"] = header_safe(link.email)
            msg["Subject"] = header_safe(f"[{r.reference or a.id}] " + text("mail.follow.subject", lang))
            msg["Message-ID"] = make_msgid(domain="field.ecorpone.example")
            msg.set_content(body + "\n\n" + text("mail.footer", lang) + "\n")
            self._send(a, "follow_link", [link.email], msg)

    def _send(self, a: Assignment, kind: str, to: list[str], msg: EmailMessage) -> None:
        subject = str(msg["Subject"])
        try:
            status, error = self.mailer.send(msg), ""
        except Exception as exc:  # recorded with its reason, never raised into the request
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            log.warning("%s mail for %s failed: %s", kind, a.id, exc)
        self.store.record_notification(a.id, kind, to, subject, status, error)


def after_event(*handlers: Callable[[Applied], None]) -> Callable[[Applied], None]:
    """One job handler that runs each of `handlers` (each picks the kinds it knows)."""

    def run(applied: Applied) -> None:
        for handler in handlers:
            handler(applied)

    return run
