"""English and Japanese strings. Each key holds both languages side by side so a missing translation is
visible in review and caught by a test (tests/app/test_i18n.py)."""

from __future__ import annotations

import locale
import os
from typing import Literal

Language = Literal["en", "ja"]
LANGUAGES: tuple[Language, ...] = ("en", "ja")

MESSAGES: dict[str, tuple[str, str]] = {
    # app chrome
    "app.title": ("eCorpOne Field", "eCorpOne Field"),
    "lang.switch": ("日本語", "English"),
    "sync.online": ("Online", "オンライン"),
    "sync.offline": ("Offline — showing saved data", "オフライン — 保存済みのデータを表示"),
    "sync.unknown": ("Connecting…", "接続中…"),
    "sync.waiting": ("{n} waiting to send", "送信待ち {n} 件"),
    "sync.refused": ("{n} refused", "拒否 {n} 件"),
    "sync.last": ("Updated {time}", "{time} 更新"),
    "sync.never": ("Not synced yet", "未同期"),
    "sync.refresh": ("Refresh", "更新"),
    "sign_out": ("Sign out", "サインアウト"),
    "sign_out.blocked": (
        "{n} action(s) are not sent yet. Sign out after they are delivered.",
        "未送信の操作が {n} 件あります。送信完了後にサインアウトしてください。",
    ),
    # sign-in
    "sign_in.title": ("Sign in", "サインイン"),
    "sign_in.server": ("Dispatch server URL", "ディスパッチサーバー URL"),
    "sign_in.token": ("Engineer token", "エンジニアトークン"),
    "sign_in.submit": ("Sign in", "サインイン"),
    "sign_in.demo_hint": ("Demo tokens: {tokens}", "デモ用トークン: {tokens}"),
    "sign_in.error.url": (
        "Server URL must start with http:// or https://",
        "サーバー URL は http:// または https:// で始めてください",
    ),
    "sign_in.error.token": ("Enter your engineer token", "エンジニアトークンを入力してください"),
    "sign_in.error.auth": ("The server does not know this token", "このトークンはサーバーに登録されていません"),
    "sign_in.error.role": ("This is not an engineer token", "エンジニア用のトークンではありません"),
    "sign_in.error.network": ("Cannot reach the server: {detail}", "サーバーに接続できません: {detail}"),
    # list
    "list.title": ("My assignments", "担当案件"),
    "list.today": ("Today", "今日"),
    "list.upcoming": ("Upcoming", "今後"),
    "list.past": ("Past", "過去"),
    "list.empty": ("No assignments yet", "案件はまだありません"),
    "list.select": ("Select an assignment", "案件を選択してください"),
    "urgency.class": ("Class {n}", "クラス {n}"),
    "urgency.4": ("Class 4 — visit immediately", "クラス4 — 即時訪問"),
    "expedited": ("Expedited", "特急"),
    # status
    "status.requested": ("Requested", "依頼受付"),
    "status.proposed": ("Proposed", "提案済み"),
    "status.approved": ("Approved", "承認済み"),
    "status.en_route": ("En route", "移動中"),
    "status.arrived": ("Arrived", "到着"),
    "status.working": ("Working", "作業中"),
    "status.signed_off": ("Signed off", "完了承認済み"),
    "status.closed": ("Closed", "クローズ"),
    "status.unable_to_enter": ("Unable to enter", "入館不可"),
    "status.cancelled": ("Cancelled", "キャンセル"),
    # detail sections
    "detail.back": ("Back", "戻る"),
    "detail.when": ("Visit", "訪問日時"),
    "detail.site_time": ("site time ({tz})", "現地時間 ({tz})"),
    "detail.client": ("Client", "依頼元"),
    "detail.reference": ("Reference", "参照番号"),
    "detail.locations": ("Site", "訪問先"),
    "detail.floor": ("Floor", "フロア"),
    "detail.access": ("Access / entry", "入館・アクセス"),
    "detail.open_maps": ("Open in Google Maps", "Google マップで開く"),
    "detail.directions": ("Directions", "経路"),
    "detail.short_link": ("Short map link: exact point opens in Maps", "短縮リンク: 地点はマップで確認"),
    "detail.contacts": ("Contacts", "連絡先"),
    "detail.local_contact": ("Local contact", "現地担当者"),
    "detail.ordering_engineer": ("Ordering party's engineer", "発注元エンジニア"),
    "detail.no_local_contact": ("No local contact — forced by {who}: {why}", "現地担当者なし — {who} の指示: {why}"),
    "detail.call": ("Call", "電話"),
    "detail.whatsapp": ("WhatsApp", "WhatsApp"),
    "detail.email": ("Email", "メール"),
    "detail.items": ("Items to bring", "持ち物"),
    "detail.requested_item": ("requested", "依頼品"),
    "detail.standard_item": ("standard kit", "標準装備"),
    "detail.paperwork": ("Paperwork", "事前書類"),
    "paperwork.to_prepare": ("To prepare", "準備中"),
    "paperwork.sent": ("Sent", "送付済み"),
    "paperwork.accepted": ("Accepted", "受理済み"),
    "paperwork.not_needed": ("Not needed", "不要"),
    "detail.work": ("Work", "作業内容"),
    "detail.hardware": ("Target hardware", "対象機器"),
    "detail.steps": ("Steps", "手順"),
    "detail.confirm_before": ("Confirm before: {text}", "事前確認: {text}"),
    "detail.confirm_after": ("Confirm after: {text}", "事後確認: {text}"),
    "detail.documents": ("Documents", "資料"),
    "detail.instructions": ("Instruction documents provided", "作業手順書あり"),
    "detail.reservation": ("Reserved time & billing", "予約時間・請求"),
    "detail.reserved": ("Reserved {hours} h", "予約 {hours} 時間"),
    "detail.grace": ("+ {minutes} min grace", "+ 猶予 {minutes} 分"),
    "detail.minimum": ("2-hour minimum charge", "最低 2 時間分の請求"),
    "detail.estimate": ("Estimate", "見積"),
    "detail.on_site": ("On site {duration}", "作業時間 {duration}"),
    "detail.team": ("Team", "チーム"),
    "detail.skill": ("Skill level", "スキルレベル"),
    "skill.entry": ("Entry / junior", "エントリー / ジュニア"),
    "skill.senior": ("Senior", "シニア"),
    "skill.specialist": ("Specialist", "スペシャリスト"),
    "detail.engineers": ("{n} engineer(s)", "エンジニア {n} 名"),
    "detail.languages": ("Languages", "対応言語"),
    "detail.assistance": ("Customer assists on site", "現地でお客様の補助あり"),
    "detail.travel": ("Travel & accommodation", "交通・宿泊"),
    "detail.accommodation": ("Accommodation: {text}", "宿泊: {text}"),
    "detail.approval": ("Approval / SLA", "承認・SLA"),
    "detail.approved_by": ("Approved by {who} at {time} — SLA running", "{who} が {time} に承認 — SLA 開始"),
    "detail.not_approved": ("Not approved yet — do not go on site", "未承認 — まだ現地へ向かわないでください"),
    "detail.devices_confirmed": ("Devices confirmed on site", "機器の現地到着確認済み"),
    "detail.devices_unconfirmed": ("Devices NOT confirmed on site", "機器の現地到着 未確認"),
    "detail.notes": ("Notes", "備考"),
    "detail.calendar": ("Add to calendar", "カレンダーに追加"),
    "detail.retainer": ("Retainer SLA", "リテイナー契約 SLA"),
    "lang.en": ("English", "英語"),
    "lang.ja": ("Japanese", "日本語"),
}


class Translator:
    def __init__(self, language: Language) -> None:
        self.language: Language = language
        self._index = LANGUAGES.index(language)

    def __call__(self, key: str, **values: object) -> str:
        pair = MESSAGES.get(key)
        if pair is None:
            return key  # visible in the UI and caught by the catalog test, never a crash on site
        return pair[self._index].format(**values) if values else pair[self._index]


def language_from_locale(tag: str | None) -> Language:
    """'ja_JP.UTF-8', 'ja-JP', 'ja' -> 'ja'; anything else -> 'en'."""
    return "ja" if tag and tag.replace("-", "_").lower().startswith("ja") else "en"


def device_language() -> Language:
    """The process locale: on a phone or desktop, Python runs on the device, so this is the device's."""
    tag = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
    if not tag:
        try:
            tag = locale.getlocale()[0]
        except ValueError:
            tag = None
    return language_from_locale(tag)
