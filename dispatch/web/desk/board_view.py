"""What each visit on the board reads, in the reader's language: the board's view state, made in Python once per
render so the template only places strings (a template's function calls cost more than the rules do at 2,000
visits). Words come from the catalog; amounts from the bill the rules made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from functools import lru_cache

from markupsafe import Markup, escape

from api_client import texts
from api_client.texts import Language

from .board_data import DESK_ZONE, Board, BoardVisit

BOARD_ZONE_NAME = str(DESK_ZONE)


@dataclass(frozen=True)
class Flag:
    tone: str  # css: bad | warn | class4 | cont-asked ...
    text: str
    title: str = ""


@dataclass
class Card:
    visit: BoardVisit
    time: str  # the site's time of day with its zone
    clock: str  # the same on a bar: without the zone when it is the board's own (said once, in its corner)
    day: str  # the site's date (list view)
    company: str
    team: str
    state: str
    detail: str  # SLA clock, time on site against the reservation, expected arrival
    meter: int | None  # percent of the reservation used, when on site
    phase: str
    flags: list[Flag] = field(default_factory=list)
    money: str = ""
    flagged: bool = False
    log: str = ""  # the work log as progress: count and the last entry

    @property
    def _status_html(self) -> str:
        parts = [f'<span class="state">{escape(self.state)}</span>']
        if self.meter is not None:
            parts.append(
                f' <span class="meter"><span class="fill ph-{self.phase}" style="width:{self.meter}%"></span></span>'
            )
        if self.detail:
            parts.append(f' <span class="detail">{escape(self.detail)}</span>')
        return "".join(parts)

    @property
    def _flags_html(self) -> str:
        parts = []
        for f in self.flags:
            title = f' title="{escape(f.title)}"' if f.title else ""
            parts.append(f' <span class="badge {f.tone}"{title}>{escape(f.text)}</span>')
        return "".join(parts)

    @property
    def state_html(self) -> Markup:
        """State, meter, detail and flags: what the list's state and flags column says. Built here with escaping,
        not in the template: at 2,000 visits Jinja's per-expression cost is the page's cost."""
        return Markup(self._status_html + self._flags_html)

    @property
    def bar_html(self) -> Markup:
        """The inside of the visit's bar on the timeline, a line each: time and title; state and how it stands;
        the flags (first, so a narrow bar cuts the amount, not the warning) and the estimate; the work log."""
        v = self.visit
        log = f'<span class="bar-line log-line">{escape(self.log)}</span>' if self.log else ""
        return Markup(
            f'<span class="bar-line"><b>{escape(self.clock)}</b> {escape(v.title)}</span>'
            f'<span class="bar-line">{self._status_html}</span>'
            f'<span class="bar-line bar-flags">{self._flags_html.lstrip()} <span class="bar-money">'
            f"{escape(self.money)}</span></span>{log}"
        )


@lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, lang: Language) -> str:
    """Babel's currency formatting costs ~50 µs; a board repeats a handful of amounts thousands of times."""
    return texts.money(amount, currency, lang)


def _clock(moment: datetime, tz: str) -> str:
    if tz == BOARD_ZONE_NAME:
        return f"{moment.astimezone(DESK_ZONE):%H:%M}"
    return texts.site_time(moment, tz)


def zone_label(now: datetime) -> str:
    """The board's own zone ("JST"), said once in the timeline's corner; bars of sites elsewhere name theirs."""
    return texts.site_time(now, BOARD_ZONE_NAME).split(" ", 1)[1]


def day_labels(board: Board, lang: Language) -> list[str]:
    return [
        texts.site_date(datetime.combine(d, time(12), DESK_ZONE), "Asia/Tokyo", lang, year=False) for d in board.days
    ]


def cards(board: Board, lang: Language, now: datetime) -> dict[str, Card]:
    t = texts.text
    days = day_labels(board, lang)
    names = {eid: texts.person_name(n, ja, lang) for eid, (n, ja) in board.engineers.items()}
    out: dict[str, Card] = {}
    for v in board.visits:
        w = v.watch
        detail, meter, phase = "", None, ""
        if v.status in ("arrived", "working"):
            verified = v.arrival_check == "verified"
            if v.status == "working":
                state = t("status.working", lang)
            else:
                state = t("desk.board.arrived_verified" if verified else "desk.board.arrived_unverified", lang)
            if w.on_site is not None and w.phase is not None:
                detail = t(
                    "desk.board.on_site",
                    lang,
                    on_site=texts.duration(w.on_site, lang),
                    reserved=texts.duration(w.reserved, lang),
                )
                meter, phase = w.reservation_percent, w.phase.value
        else:
            state = t(f"status.{v.status}", lang)
            if v.status in ("approved", "en_route") and w.sla_due is not None and w.sla_started_at is not None:
                # A retainer's promise: when someone must be there (first: a narrow bar keeps it), then the SLA
                # clock since the approval.
                detail = t("desk.board.sla_due", lang, time=_clock(w.sla_due, v.tz))
                detail += " · " + t("desk.board.sla", lang, span=texts.duration(now - w.sla_started_at, lang))
            elif v.status in ("approved", "en_route"):
                # A visit booked for a time: what matters is how long until it starts (or since, when late).
                if now < v.start:
                    detail = t("desk.board.starts_in", lang, span=texts.duration(v.start - now, lang))
                else:
                    detail = t("desk.board.past_start", lang, span=texts.duration(now - v.start, lang))
        flags: list[Flag] = []
        if v.continuation:
            flags.append(Flag(f"cont-{v.continuation}", t(f"desk.board.continuation.{v.continuation}", lang)))
        if v.status == "working" and v.arrival_check != "verified":
            flags.append(Flag("warn", t("desk.board.arrived_unverified", lang)))
        if v.urgency >= 4:
            flags.append(Flag("class4", t("desk.layout.class4_title", lang)))
        if w.late:
            late = (
                t("desk.board.late_eta", lang, time=texts.site_time(w.expected_at, v.tz))
                if w.expected_at
                else t("desk.board.late", lang)
            )
            flags.append(Flag("bad", late))
        if w.sla_breached and v.status not in ("signed_off", "closed"):
            flags.append(Flag("bad", t("desk.board.sla_breached", lang)))
        if w.overtime:
            flags.append(Flag("bad", t("desk.board.overtime", lang)))
        elif phase == "ending_soon":
            flags.append(Flag("warn", t("desk.board.ending_soon", lang)))
        if v.refused:
            why = "\n".join(
                f"{t(f'kind.{k}', lang) if texts.has_text(f'kind.{k}') else k}: {texts.refusal(code, lang)}"
                for k, code in v.refused
            )
            flags.append(Flag("bad", t("desk.board.refused", lang, n=len(v.refused)), why))
        if v.bill.overtime_held_minutes:
            flags.append(Flag("warn", t("desk.board.held", lang, n=v.bill.overtime_held_minutes)))
        if v.expedited:
            flags.append(Flag("warn", t("desk.intake.expedited", lang)))
        out[v.id] = Card(
            visit=v,
            time=texts.site_time(v.start, v.tz),
            clock=_clock(v.start, v.tz),
            day=days[v.day] if 0 <= v.day < len(days) else "",
            company=v.company[1] if lang == "ja" and v.company[1] else v.company[0],
            team=", ".join(names.get(e, e) for e in v.engineer_ids),
            state=state,
            detail=detail,
            meter=meter,
            phase=phase,
            flags=flags,
            money=_money(v.bill.total, v.bill.currency, lang),
            flagged=bool(w.late or w.overtime or v.refused or w.sla_breached),
            log=t("desk.board.log", lang, n=v.log_count, text=v.last_log[0], time=texts.site_time(v.last_log[1], v.tz))
            if v.last_log
            else "",
        )
    return out
