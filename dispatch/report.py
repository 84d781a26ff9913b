"""The signed service report: a PDF (fpdf2) the client files — in the client's language(s), with eCorpOne's
header, the assignment, the timeline and work log in site time, the charges, the framed signature and how to
check the report's SHA-256 on the service's public page.

The hash is over a canonical JSON of what was signed (request, visit state, events, bill, signature strokes),
so anyone holding the stored record can recompute it and show the PDF was not altered. Every word comes from the
contract's catalog (`api_client.texts`); the line breaking (Japanese by phrase, JIS X 4051 basics) from
`line_breaking`.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from PIL import Image, ImageDraw

from api_client.events import RecordedEvent
from api_client.texts import Language, duration, hours, money, person_name, reading_order, site_datetime, text
from api_client.texts import bill_line as bill_line_text
from api_client.wire import Assignment, BillOut, Engineer

from .line_breaking import wrap

FONT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "NotoSansJP-Regular.ttf"
Stroke = list[tuple[float, float]]

BRAND = (11, 79, 138)  # eCorpOne blue
MUTED = 100
RULE = 200
PAGE_MARGIN = 15.0
LINE_H = 4.6
PHOTO_THREADS = 4  # photos of one report decoded at once, at most
LOG_COLUMN = 100.0  # mm: the work log's text column, where a photo is drawn under its entry
PHOTO_MAX_H = 50.0  # mm: the tallest a photo is drawn (a 4:3 photo: 67 × 50 mm, the column's width less 4 mm)
PHOTO_DPI = 150  # the least a photo has as printed; JPEG's DCT scaling gives 150–300 (a 12 MP phone photo: 190)


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    sha256: str


def signed_content(assignment: Assignment, events: list[RecordedEvent], bill: BillOut) -> dict[str, Any]:
    return {
        "assignment_id": assignment.id,
        "request": assignment.request.model_dump(mode="json"),
        "visit": assignment.visit.model_dump(mode="json"),
        "events": [e.model_dump(mode="json") for e in events if e.outcome == "applied"],
        "bill": bill.model_dump(mode="json"),
    }


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def signature_png(strokes: list[Stroke], width: int = 600, height: int = 200) -> bytes:
    """Draw the strokes as they were captured, scaled to fit: the strokes are the signature."""
    img = Image.new("RGB", (width, height), "white")
    points = [p for s in strokes for p in s]
    if points:
        # One pass for the bounds, one to draw: linear in the number of points (the event caps the count).
        x0, y0 = min(p[0] for p in points), min(p[1] for p in points)
        w, h = max(max(p[0] for p in points) - x0, 1), max(max(p[1] for p in points) - y0, 1)
        scale = min((width - 20) / w, (height - 20) / h)
        draw = ImageDraw.Draw(img)
        for s in strokes:
            pts = [((x - x0) * scale + 10, (y - y0) * scale + 10) for x, y in s]
            if len(pts) == 1:
                pts = pts * 2
            draw.line(pts, fill="black", width=3, joint="curve")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _photo_size(ratio: float) -> tuple[float, float]:
    """Width and height (mm) a photo of aspect ratio `ratio` (h / w) is drawn at in the work log."""
    h = min((LOG_COLUMN - 4) * ratio, PHOTO_MAX_H)
    return h / ratio, h


def _photo_jpeg(content: bytes) -> tuple[bytes, float] | None:
    """A work-log photo as a JPEG of at least PHOTO_DPI where it is drawn, and its aspect ratio (h / w); None if
    it is not a readable image."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            w_mm, h_mm = _photo_size(img.height / max(img.width, 1))
            need = (max(round(w_mm / 25.4 * PHOTO_DPI), 1), max(round(h_mm / 25.4 * PHOTO_DPI), 1))
            # A phone's 12 MP JPEG is decoded straight at 1/2, 1/4 or 1/8 of its size (the DCT scaling of JPEG
            # itself), the smallest that is no smaller than `need`: 1/8 for a 12 MP photo, 500 × 375 px, which
            # costs little more than reading the file (~33 ms; 1/4 and a resize: ~42 ms, the whole image: ~155).
            img.draft(None, need)
            img.thumbnail((2 * need[0], 2 * need[1]))  # a photo too big for the DCT scaling to reach 300 dpi
            buf = io.BytesIO()
            img.convert("RGB").save(buf, format="JPEG", quality=80)
            return buf.getvalue(), img.height / max(img.width, 1)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


@dataclass(frozen=True)
class Column:
    width: float
    align: str = "L"


@dataclass
class Cell:
    text: str
    image: tuple[bytes, float] | None = None  # JPEG + aspect ratio, drawn under the text


@dataclass(frozen=True)
class _ParsedFont:
    font: TTFFont  # character map and advance widths, read-only once parsed
    sfnt: bytes  # the font file less what no report uses (see _parsed_font), which each subset would re-read
    glyph_order: tuple[str, ...]  # derived from the character map: 17,000 names, costly to derive again


@lru_cache(maxsize=1)
def _parsed_font() -> _ParsedFont:
    """The report font, parsed once per process (≈0.4 s); each document then takes what it needs from here."""
    pdf = FPDF()
    pdf.add_font("NotoSansJP", "", str(FONT))
    font = pdf.fonts["notosansjp"]
    lean = ttLib.TTFont(FONT, recalcTimestamp=False, lazy=True)
    # fpdf2's subsetter drops the layout tables (reading them cost ~60 ms a document). Vertical metrics serve
    # vertical writing (the report is horizontal: Identity-H), and the embedded font's character map is not
    # what a PDF reader uses (fpdf2 writes a CIDToGIDMap): the Windows subtables stay, the Unicode-platform
    # copies of them and the 15,000 variation sequences go — each subset decoded them all again (~15 ms).
    for tag in ("GDEF", "GSUB", "GPOS", "vhea", "vmtx"):
        del lean[tag]
    cmap = lean["cmap"]
    cmap.tables = [t for t in cmap.tables if (t.platformID, t.platEncID) in ((3, 1), (3, 10))]
    buf = io.BytesIO()
    lean.save(buf)
    return _ParsedFont(font, buf.getvalue(), tuple(font.ttfont.getGlyphOrder()))


def _add_font(pdf: FPDF) -> None:
    """`pdf.add_font(FONT)` without parsing it again: a copy of the parsed font sharing its read-only tables
    (as fpdf2's own `TTFFont.__deepcopy__` does), with what one document changes made new — the glyphs it uses,
    and the font file object, which fpdf2 subsets in place when it writes the document."""
    parsed = _parsed_font()
    font = copy.copy(parsed.font)
    font.i = len(pdf.fonts) + 1
    # recalcBBoxes=False: the subset keeps each glyph's own bytes (bounds included) instead of re-encoding them all
    font.ttfont = ttLib.TTFont(io.BytesIO(parsed.sfnt), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    font.ttfont.setGlyphOrder(list(parsed.glyph_order))
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font


class _Pdf(FPDF):
    """A4 with the running header (from page 2), and a footer with the assignment, hash and "n / N"."""

    def __init__(self, running_head: str, footer_left: str, page_label: str) -> None:
        super().__init__(format="A4")
        self._running_head, self._footer_left, self._page_label = running_head, footer_left, page_label
        _add_font(self)
        self.set_margins(PAGE_MARGIN, 16, PAGE_MARGIN)
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("NotoSansJP", size=7.5)
        self.set_text_color(*BRAND)
        self.set_xy(self.l_margin, 8)
        self.cell(self.epw, 4, self._running_head)
        self.set_draw_color(*BRAND)
        self.line(self.l_margin, 13, self.w - self.r_margin, 13)
        self.set_y(16)

    def footer(self) -> None:
        self.set_draw_color(RULE)
        self.line(self.l_margin, self.h - 13, self.w - self.r_margin, self.h - 13)
        self.set_font("NotoSansJP", size=7)
        self.set_text_color(MUTED)
        self.set_xy(self.l_margin, self.h - 12)
        self.cell(self.epw * 0.75, 4, self._footer_left)
        self.cell(self.epw * 0.25, 4, self._page_label.replace("{n}", str(self.page_no())), align="R")


class _Report:
    """Writes one report: `tr` joins the catalog's texts in the reader's languages (Japanese first)."""

    def __init__(
        self,
        assignment: Assignment,
        events: list[RecordedEvent],
        bill: BillOut,
        photos: dict[str, bytes],
        digest: str,
        verify_url: str,
    ) -> None:
        self.a, self.events, self.bill, self.photos = assignment, events, bill, photos
        self.digest, self.verify_url = digest, verify_url
        self.langs = reading_order(assignment.request.languages)
        self.lang: Language = self.langs[0]  # dates and money follow the first language
        self.tz = assignment.request.site_timezone
        page = " / ".join(text("report.page", lang, n="{n}", total="{nb}") for lang in self.langs[:1])
        self.pdf = _Pdf(
            running_head=f"eCorpOne · {self.tr('report.title')} · {assignment.id}",
            footer_left=f"eCorpOne Field · {assignment.id} · SHA-256 {digest[:16]}…",
            page_label=page,
        )
        self._lines: dict[tuple[str, float, float], list[str]] = {}
        self._images: dict[str, Future[tuple[bytes, float] | None]] = {}  # by event id: see render()

    # -- words ----------------------------------------------------------------------------------------
    def tr(self, key: str, **values: object) -> str:
        return " / ".join(dict.fromkeys(text(key, lang, **values) for lang in self.langs))

    def when(self, t: datetime | None, *, year: bool = False) -> str:
        return "—" if t is None else site_datetime(t, self.tz, self.lang, year=year)

    def person(self, e: Engineer) -> str:
        first = person_name(e.name, e.name_ja, self.langs[0])
        others = [person_name(e.name, e.name_ja, lang) for lang in self.langs[1:]]
        return first + "".join(f" ({o})" for o in others if o != first)

    def engineer_name(self, engineer_id: str) -> str:
        e = next((e for e in self.a.engineers if e.id == engineer_id), None)
        return self.person(e) if e else ""

    # -- drawing ---------------------------------------------------------------------------------------
    def font(self, size: float, colour: int | tuple[int, int, int] = 0) -> None:
        self.pdf.set_font("NotoSansJP", size=size)
        if isinstance(colour, tuple):
            self.pdf.set_text_color(*colour)
        else:
            self.pdf.set_text_color(colour)

    def lines(self, value: str, width: float) -> list[str]:
        """`value` wrapped to `width` in the current font; a table row asks for the same cell several times (its
        height, the page break, the drawing), so each is wrapped once."""
        key = (value, width, self.pdf.font_size_pt)
        if (found := self._lines.get(key)) is None:
            found = self._lines[key] = wrap(value, width - 2, self.measure) or [""]
        return found

    def measure(self, value: str) -> float:
        """`FPDF.get_string_width` for the report font (no text shaping, spacing or stretching in this report):
        the sum of the characters' advance widths, computed as fpdf2 does, without its per-call set-up."""
        pdf = self.pdf
        if not pdf.is_ttf_font:
            return pdf.get_string_width(value)
        widths = pdf.current_font.cw  # a defaultdict: a character the font lacks has its default width
        return sum(map(widths.__getitem__, map(ord, value))) * pdf.font_size_pt * 0.001 / pdf.k

    def put(self, x: float, y: float, width: float, line: str, align: str = "L") -> None:
        """What `pdf.cell(width, LINE_H, line, align=align)` at (x, y) draws — the same text on the same baseline —
        through `FPDF.text`, without the cell's per-call machinery (styled fragments, borders, links, its own
        page-break check): a report has ~1,200 lines and `cell` was a third of its time. The callers check for
        page breaks before drawing; a line that would still cross the page's foot (a row taller than a page: a
        4,000-character entry) is left to `cell`, which breaks the page there as it always did."""
        if not line:
            return
        pdf = self.pdf
        if y + LINE_H > pdf.page_break_trigger:
            pdf.set_xy(x, y)
            pdf.cell(width, LINE_H, line, align=align)
            return
        dx = pdf.c_margin if align == "L" else width - pdf.c_margin - self.measure(line)
        pdf.text(x + dx, y + 0.5 * LINE_H + 0.3 * pdf.font_size, line)

    def paragraph(self, value: str, size: float = 9, colour: int = 0, x: float | None = None) -> None:
        pdf = self.pdf
        self.font(size, colour)
        left = pdf.l_margin if x is None else x
        width = pdf.w - pdf.r_margin - left
        for line in self.lines(value, width):
            if pdf.will_page_break(LINE_H):
                pdf.add_page()
            self.put(left, pdf.get_y(), width, line)
            pdf.set_xy(pdf.l_margin, pdf.get_y() + LINE_H)

    def heading(self, key: str, keep_with: float = 20) -> None:
        pdf = self.pdf
        if pdf.will_page_break(10 + keep_with):  # never a heading alone at the foot of a page
            pdf.add_page()
        pdf.ln(4)
        self.font(11.5, BRAND)
        pdf.cell(pdf.epw, 6.5, self.tr(key), new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*BRAND)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1.5)

    def field(self, label: str, value: str) -> None:
        """A label and its value side by side; the value wraps under itself."""
        pdf = self.pdf
        label_w = 42.0
        self.font(9)
        rows = self.lines(value, pdf.epw - label_w)
        height = len(rows) * LINE_H + 1
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        self.font(8.5, MUTED)
        label_rows = self.lines(label, label_w)
        for i, line in enumerate(label_rows):
            self.put(pdf.l_margin, y + i * LINE_H, label_w, line)
        self.font(9)
        for i, line in enumerate(rows):
            self.put(pdf.l_margin + label_w, y + i * LINE_H, pdf.epw - label_w, line)
        pdf.set_xy(pdf.l_margin, y + max(len(rows), len(label_rows)) * LINE_H + 1)

    def row_height(self, columns: list[Column], cells: list[Cell]) -> float:
        self.font(8.5)
        heights = []
        for col, cell in zip(columns, cells, strict=True):
            h = len(self.lines(cell.text, col.width)) * LINE_H
            if cell.image is not None:
                h += _photo_size(cell.image[1])[1] + 2
            heights.append(h)
        return max(heights) + 2.4

    def row(self, columns: list[Column], cells: list[Cell], *, header: bool = False, size: float = 8.5) -> None:
        pdf = self.pdf
        height = self.row_height(columns, cells)
        y, x = pdf.get_y(), pdf.l_margin
        if header:
            pdf.set_fill_color(234, 240, 247)
            pdf.rect(pdf.l_margin, y, pdf.epw, height, style="F")
        for col, cell in zip(columns, cells, strict=True):
            self.font(size, MUTED if header else 0)
            rows = self.lines(cell.text, col.width)
            for i, line in enumerate(rows):
                self.put(x + 1, y + 1.2 + i * LINE_H, col.width - 2, line, col.align)
            if cell.image is not None:
                jpeg, ratio = cell.image
                w, h = _photo_size(ratio)
                pdf.image(io.BytesIO(jpeg), x=x + 1, y=y + 1.2 + len(rows) * LINE_H + 1, h=h, w=w)
            x += col.width
        pdf.set_draw_color(RULE)
        pdf.line(pdf.l_margin, y + height, pdf.w - pdf.r_margin, y + height)
        pdf.set_xy(pdf.l_margin, y + height)

    def opening_height(self, columns: list[Column], head: list[str], body: list[list[Cell]]) -> float:
        """The column heads and the first row: what a heading must keep on its page."""
        first = self.row_height(columns, body[0]) if body else 0
        return self.row_height(columns, [Cell(h) for h in head]) + first

    def table(self, columns: list[Column], head: list[str], body: Iterable[list[Cell]]) -> None:
        """Rows never split across pages; the column heads repeat on each new page."""
        head_cells = [Cell(h) for h in head]
        self.row(columns, head_cells, header=True, size=8)
        for cells in body:
            if self.pdf.will_page_break(self.row_height(columns, cells)):
                self.pdf.add_page()
                self.row(columns, head_cells, header=True, size=8)
            self.row(columns, cells)

    # -- sections --------------------------------------------------------------------------------------
    def title_block(self) -> None:
        pdf, r = self.pdf, self.a.request
        pdf.add_page()
        pdf.set_fill_color(*BRAND)
        pdf.rect(0, 0, pdf.w, 24, style="F")
        self.font(20, (255, 255, 255))
        pdf.set_xy(pdf.l_margin, 6)
        pdf.cell(80, 9, "eCorpOne")
        self.font(8.5, (220, 232, 245))
        pdf.set_xy(pdf.l_margin, 15)
        pdf.cell(100, 5, self.tr("report.issuer"))
        self.font(15, (255, 255, 255))
        pdf.set_xy(pdf.w - pdf.r_margin - 100, 7)
        pdf.cell(100, 8, self.tr("report.title"), align="R")
        self.font(8.5, (220, 232, 245))
        pdf.set_xy(pdf.w - pdf.r_margin - 100, 15)
        pdf.cell(100, 5, self.when(self.a.visit.signed_off_at, year=True), align="R")
        pdf.set_y(30)
        party = r.ordering_party
        for lang in self.langs[:1]:  # the addressee once, in the first language
            self.font(13)
            pdf.cell(pdf.epw, 7, text("report.to", lang, company=party.company), new_x="LMARGIN", new_y="NEXT")
            self.font(9, MUTED)
            attention = text("report.attention", lang, name=party.engineer.name)
            pdf.cell(pdf.epw, 5, attention, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    def assignment_block(self) -> None:
        r, v, bill = self.a.request, self.a.visit, self.bill
        self.field(self.tr("report.work"), r.title)
        self.field(self.tr("report.assignment"), self.a.id)
        if r.reference:
            self.field(self.tr("report.reference"), r.reference)
        for loc in r.locations:
            floor = f" · {self.tr('report.floor')} {loc.floor}" if loc.floor else ""
            self.field(self.tr("report.site"), f"{loc.name}{floor}\n{loc.address}")
        team = [f"{self.person(e)} — {self.tr(f'skill.{e.skill_level.value}')}" for e in self.a.engineers]
        self.field(self.tr("report.engineers"), "\n".join(team) or "—")
        reserved = (
            self.tr("report.grace", hours=hours(r.reserved), minutes=r.grace)
            if r.grace
            else self.tr("report.reserved_hours", hours=hours(r.reserved))
        )
        self.field(self.tr("report.reserved"), reserved)
        approved = (
            text("report.approved_by", self.lang, who=v.approved_by, time=self.when(v.approved_at, year=True))
            if v.approved_at
            else self.tr("report.not_approved")
        )
        self.field(self.tr("report.approved"), approved)
        if bill.on_site_minutes is not None:
            span = timedelta(minutes=bill.on_site_minutes)
            self.field(self.tr("report.time_on_site"), duration(span, self.lang))

    def event_detail(self, e: RecordedEvent) -> str:
        d, v, r = e.data, self.a.visit, self.a.request
        who = self.engineer_name(e.actor)
        parts: list[str] = []
        match e.kind:
            case "propose":
                parts.append(", ".join(self.engineer_name(str(i)) or str(i) for i in d.get("engineer_ids", [])))
            case "approve":
                parts.append(self.tr("report.event.approved_by", who=d.get("approved_by", "")))
            case "running_late":
                expected = e.device_time + timedelta(minutes=int(d.get("eta_minutes", 0)))
                parts += [who, self.tr("report.event.expected_at", time=self.when(expected))]
            case "arrive":
                arrival = next((x for x in v.arrivals if x.engineer_id == e.actor and x.at == e.device_time), None)
                site = r.location(arrival.location_id).name if arrival else ""
                parts += [who, site]
                if arrival is not None:
                    distance = "—" if arrival.distance_m is None else f"{arrival.distance_m:,.0f}"
                    parts.append(self.tr(f"arrival.{arrival.check}", distance=distance))
            case "start_work":
                parts.append(who)
                if d.get("assisted_by"):
                    parts.append(self.tr("report.event.assisted_by", who=d["assisted_by"]))
            case "sign_off":
                parts.append(self.tr("report.event.signed_by", who=d.get("signer_name", "")))
            case "unable_to_enter":
                parts += [who, self.tr(f"unable.{d.get('reason', 'other')}"), str(d.get("detail", ""))]
            case "cancel":
                parts.append(str(d.get("reason", "")))
            case "ask_continuation":
                parts += [who, self.tr("report.event.continuation_asked", minutes=d.get("extra_minutes", ""))]
            case "decide_continuation":
                decision = self.tr("continuation.accepted" if d.get("accept") else "continuation.declined")
                via = self.tr(f"continuation.via.{d.get('via', 'hand_over')}")
                parts.append(
                    self.tr(
                        "report.event.continuation_decided", decision=decision, who=d.get("decided_by", ""), via=via
                    )
                )
            case _:
                parts.append(who)
        return "\n".join(p for p in parts if p)

    def received(self, e: RecordedEvent) -> str:
        same_day = e.received_at - e.device_time < timedelta(hours=12) and e.received_at >= e.device_time
        return self.when(e.received_at) if not same_day else site_datetime(e.received_at, self.tz, self.lang)

    def timeline(self) -> None:
        applied = [e for e in self.events if e.outcome == "applied" and e.kind != "log"]
        cols = [Column(40), Column(100), Column(40)]
        head = [self.tr("report.col.recorded"), self.tr("report.col.event"), self.tr("report.col.received")]
        body = [
            [
                Cell(self.when(e.device_time)),
                Cell(self.tr(f"kind.{e.kind.value}") + ("\n" + detail if (detail := self.event_detail(e)) else "")),
                Cell(self.received(e)),
            ]
            for e in applied
        ]
        self.heading("report.timeline", keep_with=self.opening_height(cols, head, body) + 8)
        self.paragraph(self.tr("report.timeline.note", tz=self.tz), size=7.5, colour=MUTED)
        self.pdf.ln(1)
        self.table(cols, head, body)

    def work_log(self) -> None:
        v = self.a.visit
        if not v.log:
            self.heading("report.log")
            self.paragraph(self.tr("report.no_log"))
            return
        received = {str(e.id): e for e in self.events}
        cols = [Column(40), Column(LOG_COLUMN), Column(40)]
        head = [self.tr("report.col.recorded"), self.tr("kind.log"), self.tr("report.col.received")]

        def rows() -> Iterator[list[Cell]]:
            """Made as they are drawn: a row with a photo waits for that photo alone (see render())."""
            for entry in v.log:
                image, note = None, ""
                if entry.has_photo:
                    image = self._images[entry.event_id].result()
                    note = "" if image else "\n" + self.tr("report.photo_unreadable")
                who = self.engineer_name(entry.author)
                event = received.get(entry.event_id)
                yield [
                    Cell(self.when(entry.at) + (f"\n{who}" if who and len(self.a.engineers) > 1 else "")),
                    Cell(entry.text + note, image),
                    Cell(self.received(event) if event else "—"),
                ]

        body = rows()
        first = next(body)
        self.heading("report.log", keep_with=self.opening_height(cols, head, [first]))
        self.table(cols, head, chain([first], body))

    def confirmations(self) -> None:
        r, v = self.a.request, self.a.visit
        steps = [(i, s) for i, s in enumerate(r.work.steps) if s.confirm_after]
        if not steps:
            return
        self.heading("report.confirmed")
        cols = [Column(140), Column(40)]
        body = [
            [
                Cell(f"{self.tr('report.step', n=i + 1)}. {s.title}\n{s.confirm_after}"),
                Cell(self.tr("report.step.confirmed" if i in v.confirmed_steps else "report.step.not_confirmed")),
            ]
            for i, s in steps
        ]
        for cells in body:
            if self.pdf.will_page_break(self.row_height(cols, cells)):
                self.pdf.add_page()
            self.row(cols, cells)

    def charges(self) -> None:
        bill, r, v = self.bill, self.a.request, self.a.visit
        cols = [Column(92), Column(28, "R"), Column(30, "R"), Column(30, "R")]
        head = [
            self.tr("report.col.item"),
            self.tr("report.col.quantity"),
            self.tr("report.col.unit_price"),
            self.tr("report.col.amount"),
        ]
        body = []
        for line in bill.lines:
            code = "unable" if line.code == "reserved" and v.unable_reason is not None else line.code
            label = "\n".join(
                dict.fromkeys(
                    bill_line_text(
                        code,
                        lang,
                        skill=r.skill_level,
                        engineer_count=r.engineer_count,
                        charged_hours=bill.charged_hours,
                        overtime_minutes=bill.overtime_minutes,
                        overtime_billed_minutes=bill.overtime_billed_minutes,
                    )
                    for lang in self.langs
                )
            )
            unit = text(f"bill.unit.{line.unit}", self.lang) if line.unit in ("h", "item") else line.unit
            body.append(
                [
                    Cell(label),
                    Cell(f"{hours(line.quantity)} {unit}"),
                    Cell(money(line.unit_price, bill.currency, self.lang)),
                    Cell(money(line.amount, bill.currency, self.lang)),
                ]
            )
        total = [Cell(self.tr("bill.total")), Cell(""), Cell(""), Cell(money(bill.total, bill.currency, self.lang))]
        # The whole table on one page when it fits there; at least the last line stays with the total.
        head_h = self.row_height(cols, [Cell(h) for h in head])
        whole = head_h + sum(self.row_height(cols, c) for c in [*body, total]) + 16
        self.heading("report.charges", keep_with=min(whole, self.pdf.eph - 20))
        self.row(cols, [Cell(h) for h in head], header=True, size=8)
        for i, cells in enumerate(body):
            need = self.row_height(cols, cells) + (self.row_height(cols, total) if i == len(body) - 1 else 0)
            if self.pdf.will_page_break(need):
                self.pdf.add_page()
                self.row(cols, [Cell(h) for h in head], header=True, size=8)
            self.row(cols, cells)
        if not body and self.pdf.will_page_break(self.row_height(cols, total)):
            self.pdf.add_page()
        pdf = self.pdf
        pdf.set_draw_color(0)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        self.row(cols, total, size=10)

    def sign_off(self) -> None:
        pdf, v = self.pdf, self.a.visit
        strokes = next(
            (e.data.get("strokes") for e in self.events if e.kind == "sign_off" and e.outcome == "applied"), None
        )
        box_h = 62.0
        # The box, the hash and how to check it stay on one page (about 16 mm of explanation per language).
        self.heading("report.sign_off", keep_with=box_h + 30 + 16 * len(self.langs))
        top = pdf.get_y() + 1
        pdf.set_draw_color(*BRAND)
        pdf.set_line_width(0.4)
        pdf.rect(pdf.l_margin, top, pdf.epw, box_h)
        pdf.set_line_width(0.2)
        pdf.set_xy(pdf.l_margin + 4, top + 4)
        self.field_at(pdf.l_margin + 4, top + 4, self.tr("report.signed_by"), v.signer_name or "—")
        self.field_at(pdf.l_margin + 4, top + 11, self.tr("report.signed_at"), self.when(v.signed_off_at, year=True))
        self.font(8.5)
        for i, line in enumerate(self.lines(self.tr("report.leaving_approved"), pdf.epw - 8)):
            self.put(pdf.l_margin + 4, top + 18 + i * LINE_H, pdf.epw - 8, line)
        if strokes:
            pdf.image(io.BytesIO(signature_png(strokes)), x=pdf.l_margin + 4, y=top + 28, w=90, h=30)
        pdf.set_draw_color(RULE)
        pdf.line(pdf.l_margin + 4, top + box_h - 4, pdf.l_margin + 100, top + box_h - 4)
        pdf.set_xy(pdf.l_margin, top + box_h + 2)

    def field_at(self, x: float, y: float, label: str, value: str) -> None:
        pdf = self.pdf
        self.font(8.5, MUTED)
        pdf.set_xy(x, y)
        pdf.cell(38, 6, label)
        self.font(10.5)
        pdf.cell(pdf.epw - 46, 6, value)

    def integrity(self) -> None:
        pdf = self.pdf
        self.heading("report.integrity", keep_with=30)
        self.font(8.5, MUTED)
        pdf.cell(pdf.epw, LINE_H, self.tr("report.integrity.hash"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Courier", size=9.5)
        pdf.set_text_color(0)
        pdf.cell(pdf.epw, 6, self.digest, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        for lang in self.langs:
            self.paragraph(text("report.integrity.how", lang, url=self.verify_url), size=8.5)
            pdf.ln(1)

    def render(self) -> bytes:
        """The photos are decoded in threads while the text is laid out (Pillow lets go of the GIL while it
        decodes), in the order they are drawn, and the layout waits only at the row that draws one: on a machine
        with two cores a report with phone photos takes little longer than one without."""
        with_photo = [e.event_id for e in self.a.visit.log if e.has_photo]
        if not with_photo:
            return self._render()
        with ThreadPoolExecutor(max_workers=min(len(with_photo), os.cpu_count() or 1, PHOTO_THREADS)) as pool:
            self._images = {i: pool.submit(_photo_jpeg, self.photos.get(i, b"")) for i in with_photo}
            return self._render()

    def _render(self) -> bytes:
        self.title_block()
        self.assignment_block()
        self.timeline()
        self.work_log()
        self.confirmations()
        self.charges()
        self.sign_off()
        self.integrity()
        return bytes(self.pdf.output())


def render(
    assignment: Assignment,
    events: list[RecordedEvent],
    bill: BillOut,
    photos: dict[str, bytes] | None = None,
    *,
    verify_url: str = "http://127.0.0.1:8787/verify-report",
) -> RenderedReport:
    """`photos`: work-log photos by event id (they are attachments, not part of the hashed content).
    `verify_url`: the service's public page where the report's SHA-256 is checked."""
    digest = content_hash(signed_content(assignment, events, bill))
    pdf = _Report(assignment, events, bill, photos or {}, digest, verify_url).render()
    return RenderedReport(pdf, digest)
