"""The public report check: anyone holding a service report enters its SHA-256 and learns which assignment it
belongs to and when it was signed. It matches the hash printed on the report (of the signed content) and the hash
of the PDF file stated in the sign-off mail; a changed file matches neither."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from api_client.texts import Language, site_datetime, text

from ...principal import SYSTEM
from ..deps import StoreDep

router = APIRouter(tags=["reports"])

FONT = Path(__file__).resolve().parents[3] / "assets" / "fonts" / "NotoSansJP-Regular.ttf"
# Japanese on the public pages: a font the device already has (by its local name), else the shipped one; the
# unicode-range keeps Latin on the system font and means a page without Japanese never loads it. Without this a
# browser with no Japanese font (a bare Linux kiosk, our test Chromium) shows empty boxes.
_LOCAL_JP = ("Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic", "Meiryo")
FONT_CSS = (
    '@font-face{font-family:"Field JP";src:'
    + "".join(f'local("{name}"),' for name in _LOCAL_JP)
    + 'url("/fonts/NotoSansJP-Regular.ttf") format("truetype");font-weight:100 900;'
    "unicode-range:U+3000-30FF,U+3400-4DBF,U+4E00-9FFF,U+F900-FAFF,U+FF00-FFEF}"
    'body{font-family:"Field JP",system-ui,sans-serif}button{font:inherit}'
)


@router.get("/fonts/NotoSansJP-Regular.ttf", include_in_schema=False)
def font() -> FileResponse:
    return FileResponse(FONT, media_type="font/ttf", headers={"Cache-Control": "public, max-age=604800"})


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _language(request: Request, lang: str | None) -> Language:
    if lang in ("en", "ja"):
        return lang  # type: ignore[return-value]
    accept = request.headers.get("accept-language", "").lower()
    return "ja" if accept.startswith("ja") else "en"


@router.get("/verify-report", response_class=HTMLResponse, include_in_schema=False)
def verify_report(
    request: Request, store: StoreDep, sha256: str | None = None, lang: str | None = None
) -> HTMLResponse:
    """The form, and with `sha256` the answer: 200 a match, 404 no report has it, 422 not a SHA-256."""
    language = _language(request, lang)
    t = lambda key, **v: html.escape(text(key, language, **v))  # noqa: E731
    entered = (sha256 or "").strip().lower()
    result, error, status, outcome = "", "", 200, "form"
    if sha256 is not None and not _SHA256.match(entered):
        error, status, outcome = t("verify.bad_hash"), 422, "invalid"
    elif sha256 is not None:
        found = store.report_by_hash(entered)
        if found is None:
            result, status, outcome = f'<p class="no">{t("verify.no_match")}</p>', 404, "no_match"
        else:
            a = store.assignment(found.assignment_id, SYSTEM)
            tz = a.request.site_timezone
            signed = a.visit.signed_off_at
            rows = [
                (t("report.assignment"), html.escape(a.id)),
                (t("report.reference"), html.escape(a.request.reference or "—")),
                (t("report.work"), html.escape(a.request.title)),
                (t("verify.signed_at"), html.escape(site_datetime(signed, tz, language, year=True)) if signed else "—"),
                (t("verify.issued_at"), html.escape(site_datetime(found.created_at, tz, language, year=True))),
            ]
            table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
            result = (
                f'<p class="ok">{t("verify.match")}</p><p>{t(f"verify.matched_by.{found.kind}")}</p>'
                f'<table data-assignment="{html.escape(a.id)}">{table}</table>'
            )
            outcome = "match"
    other = "ja" if language == "en" else "en"
    page = f"""<!doctype html><html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{t("verify.title")} — eCorpOne</title>
<style>{FONT_CSS}body{{margin:0;background:#f5f6f8}}
header{{background:#0b4f8a;color:#fff;padding:16px}}header b{{font-size:20px}}
main{{background:#fff;margin:16px;padding:16px;border-radius:12px;max-width:720px}}
input{{font-family:monospace;width:100%;padding:8px;font-size:14px;box-sizing:border-box}}
.error{{color:#b00020}}.ok{{color:#1b7a35;font-size:18px;font-weight:700}}
.no{{color:#b00020;font-size:18px;font-weight:700}}
th{{text-align:left;color:#555;font-weight:400;padding:4px 12px 4px 0;vertical-align:top}}</style></head>
<body><header><b>eCorpOne</b> · {t("verify.title")}
<a style="color:#fff;float:right" href="?lang={other}">{html.escape(text(f"lang.{other}", other))}</a></header>
<main id="result" data-outcome="{outcome}"><form method="get" action="/verify-report">
<input type="hidden" name="lang" value="{language}">
<label for="sha256">{t("verify.intro")}</label>
<input id="sha256" name="sha256" value="{html.escape(sha256 or "")}" autocomplete="off" spellcheck="false"
 aria-describedby="sha256-error"><p class="error" id="sha256-error">{error}</p>
<button type="submit">{t("verify.submit")}</button></form>{result}</main></body></html>"""
    return HTMLResponse(page, status_code=status)
