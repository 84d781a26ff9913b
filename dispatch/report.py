"""The signed service report: a PDF (fpdf2) with the assignment, timeline, work log, billing and the client's
signature, plus the SHA-256 of the signed content printed on it and stored beside it.

The hash is over a canonical JSON of what was signed (request, visit state, events, bill, signature
strokes), so anyone holding the stored record can recompute it and show the PDF was not altered.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, ImageDraw

from api_client.events import RecordedEvent
from api_client.wire import Assignment, BillOut

FONT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "NotoSansJP-Regular.ttf"
Stroke = list[tuple[float, float]]


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


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self._footer_text = footer_text
        self.add_font("NotoSansJP", "", str(FONT))
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("NotoSansJP", size=7)
        self.set_text_color(110)
        self.cell(0, 5, f"{self._footer_text}   p. {self.page_no()}", align="C")


def _photo_jpeg(content: bytes, max_px: int = 1200) -> bytes | None:
    """A work-log photo as a bounded JPEG for the report; None if it is not a readable image."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            img.thumbnail((max_px, max_px))
            buf = io.BytesIO()
            img.convert("RGB").save(buf, format="JPEG", quality=80)
            return buf.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def render(
    assignment: Assignment, events: list[RecordedEvent], bill: BillOut, photos: dict[str, bytes] | None = None
) -> RenderedReport:
    """`photos`: work-log photos by event id (they are attachments, not part of the hashed content)."""
    content = signed_content(assignment, events, bill)
    digest = content_hash(content)
    r, v = assignment.request, assignment.visit
    tz = ZoneInfo(r.site_timezone)

    def local(t: datetime | None) -> str:
        return "—" if t is None else t.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")

    pdf = _Pdf(f"eCorpOne Field · {assignment.id} · SHA-256 {digest}")
    pdf.add_page()

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("NotoSansJP", size=12)
        pdf.set_text_color(11, 79, 138)
        pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
        pdf.set_font("NotoSansJP", size=9.5)

    def line(label: str, value: str) -> None:
        pdf.set_font("NotoSansJP", size=9.5)
        pdf.set_text_color(90)
        pdf.cell(45, 6, label)
        pdf.set_text_color(0)
        pdf.multi_cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_font("NotoSansJP", size=16)
    pdf.cell(0, 10, "Service report / 作業報告書", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("NotoSansJP", size=11)
    pdf.multi_cell(0, 7, r.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    heading("Assignment / 案件")
    line("Assignment", assignment.id + (f"  (ref. {r.reference})" if r.reference else ""))
    line("Client / 依頼元", f"{r.ordering_party.company} — {r.ordering_party.engineer.name}")
    for loc in r.locations:
        line("Site / 訪問先", f"{loc.name}, {loc.address}" + (f", {loc.floor}" if loc.floor else ""))
    line("Engineers / 担当", ", ".join(f"{e.name} ({e.skill_level})" for e in assignment.engineers))
    line("Reserved / 予約", f"{r.reserved} h" + (f" + {r.grace} min grace" if r.grace else ""))
    line("Approved / 承認", f"{v.approved_by} — {local(v.approved_at)}")

    heading("Timeline / 経過 (site time; device time, server receipt)")
    for e in events:
        if e.outcome != "applied":
            continue
        detail = ""
        if e.kind == "arrive":
            arrival = next((a for a in v.arrivals if a.at == e.device_time), None)
            detail = (
                f" — {arrival.check}"
                + (f", {arrival.distance_m:.0f} m" if arrival and arrival.distance_m is not None else "")
                if arrival
                else ""
            )
        if e.kind == "log":
            detail = f" — {e.data.get('text', '')}"
        if e.kind == "start_work" and e.data.get("assisted_by"):
            detail = f" — assisted by {e.data['assisted_by']}"
        line(local(e.device_time), f"{e.kind}{detail}  (received {local(e.received_at)})")

    heading("Work log / 作業記録")
    for entry in v.log or []:
        line(local(entry.at), entry.text)
        if entry.has_photo:
            jpeg = _photo_jpeg((photos or {}).get(entry.event_id, b""))
            if jpeg is None:
                line("", "[photo not readable]")
            else:
                if pdf.will_page_break(62):
                    pdf.add_page()
                pdf.image(io.BytesIO(jpeg), x=pdf.l_margin + 45, h=55)
    if not v.log:
        line("", "—")
    confirmations = [(i, step) for i, step in enumerate(r.work.steps) if step.confirm_after]
    if confirmations:
        heading("Confirmed by the client / お客様確認事項")
        for i, step in confirmations:
            mark = "[x]" if i in v.confirmed_steps else "[ ]"
            line(f"{mark} step {i + 1}", f"{step.title} — {step.confirm_after}")

    heading("Billing / 請求")
    line("On site / 作業時間", "—" if bill.on_site_minutes is None else f"{bill.on_site_minutes} min")
    for bl in bill.lines:
        line(bl.code, f"{bl.description}: {bl.quantity} {bl.unit} × {bl.unit_price} = {bl.amount} {bill.currency}")
    line("Total / 合計", f"{bill.total} {bill.currency}  ({bill.rate_card_label})")

    if pdf.will_page_break(75):  # keep the sign-off, its signature and the hash on one page
        pdf.add_page()
    heading("Client sign-off / お客様承認")
    line("Signed by / 署名者", v.signer_name or "—")
    line("Signed at / 署名日時", local(v.signed_off_at))
    line("", "The client approved the team leaving the site. / お客様は作業チームの退出を承認しました。")
    strokes = next((e.data.get("strokes") for e in events if e.kind == "sign_off" and e.outcome == "applied"), None)
    if strokes:
        pdf.image(io.BytesIO(signature_png(strokes)), w=90)
    heading("Integrity / 完全性")
    pdf.set_font("NotoSansJP", size=8.5)
    pdf.multi_cell(0, 5, f"SHA-256 of the signed content: {digest}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return RenderedReport(bytes(pdf.output()), digest)
