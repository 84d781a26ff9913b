"""The app's own words (screens, buttons, hints) in English and Japanese. Words the app shares with the
service's mails, report and pages (statuses, event kinds, refusals, unable reasons, arrival checks, bill lines,
skill levels) live in the contract's catalog, `api_client.texts`; the translator reads both. Each key holds both
languages side by side so a missing translation is visible in review and caught by a test (tests/app/test_i18n.py)."""

from __future__ import annotations

import locale
import os

from api_client.texts import CATALOG, LANGUAGES, Language

__all__ = ["LANGUAGES", "MESSAGES", "Language", "Translator", "device_language", "language_from_locale"]

MESSAGES: dict[str, tuple[str, str]] = {
    # app chrome
    "app.title": ("eCorpOne Field", "eCorpOne Field"),
    "lang.switch": ("日本語", "English"),
    "sync.online": ("Online", "オンライン"),
    "sync.offline": ("Offline — showing saved data", "オフライン — 保存済みのデータを表示"),
    "sync.unknown": ("Connecting…", "接続中…"),
    "sync.waiting": ("{n} waiting to send", "送信待ち {n} 件"),
    "sync.stuck": ("{n} stuck: server error, retrying", "{n} 件保留: サーバーエラー、再送します"),
    "sync.clock_behind": (
        "device clock {n} min behind: set it to automatic",
        "端末の時計が {n} 分遅れています: 自動設定にしてください",
    ),
    "sync.clock_ahead": (
        "device clock {n} min ahead: set it to automatic",
        "端末の時計が {n} 分進んでいます: 自動設定にしてください",
    ),
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
    "travel.heading": ("My tickets & hotel", "自分の交通・宿泊"),
    "travel.confirmation": ("Confirmation {number}", "予約番号 {number}"),
    "travel.open_pdf": ("Open ticket (PDF, on this device)", "チケットを開く（PDF・端末内）"),
    "sign_in.pairing_hint": (
        "New phone? Type the desk's pairing code (XXXX-XXXX) in the token field instead of a token.",
        "新しい端末の場合は、トークン欄にデスクの連携コード（XXXX-XXXX）を入力してください。",
    ),
    "sign_in.error.pairing": (
        "This pairing code does not work (wrong, used or expired): ask the desk for a new one",
        "この連携コードは使用できません（誤り・使用済み・期限切れ）。デスクに新しいコードを依頼してください",
    ),
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
    # on site
    "onsite.title": ("On site", "現地作業"),
    "onsite.arrived": ("Arrived", "到着"),
    "onsite.arriving": ("Recording arrival…", "到着を記録中…"),
    "onsite.arrived_at": ("Arrived: {site}", "到着: {site}"),
    "onsite.depart": ("On my way", "出発"),
    "onsite.late": ("Running late? Tell the client:", "遅れる場合はお客様に連絡:"),
    "onsite.late_minutes": ("+{n} min", "+{n} 分"),
    "onsite.late_sent": ("Client told: expected at {time}", "お客様に連絡済み: 到着予定 {time}"),
    "onsite.unable": ("Unable to enter", "入館できない"),
    "onsite.start": ("Start work", "作業開始"),
    "onsite.assisted_by": ("Customer's person assisting", "補助するお客様の担当者"),
    "onsite.assistance_required": (
        "Required: the customer must assist unless the work is very simple",
        "必須: 作業が非常に簡単な場合を除き、お客様の補助が必要です",
    ),
    "onsite.log_hint": ("What did you do / find?", "作業内容・確認事項"),
    "onsite.log_add": ("Add to log", "記録を追加"),
    "onsite.photo": ("Attach photo", "写真を添付"),
    "onsite.photo_attached": ("Photo attached: {name}", "写真添付: {name}"),
    "onsite.sign": ("Client sign-off", "お客様の完了承認"),
    "onsite.badge": ("Photo-ID badge", "身分証バッジ"),
    "onsite.timer": ("On site {elapsed} of {reserved}", "作業 {elapsed} / 予約 {reserved}"),
    "onsite.phase.within": ("Within the reserved time", "予約時間内"),
    "onsite.phase.ending_soon": (
        "Reserved time ends soon — continuation is not guaranteed: confirm with the client",
        "まもなく予約時間終了 — 延長は保証されません。お客様に確認してください",
    ),
    "onsite.phase.grace": ("Reserved time is over — in the grace period", "予約時間終了 — 猶予時間中"),
    "onsite.phase.overtime": (
        "Overtime {minutes} min — charged at the overtime rate; confirm with the client",
        "超過 {minutes} 分 — 割増料金の対象です。お客様に確認してください",
    ),
    "onsite.locked": (
        "Signed off by {who} at {time}. The visit is locked.",
        "{who} 様が {time} に承認。変更できません。",
    ),
    "onsite.ended_unable": (
        "Ended: unable to enter ({reason}). Full reserved time is charged.",
        "終了: 入館不可（{reason}）。予約時間全額が請求されます。",
    ),
    "onsite.activity": ("My actions", "操作履歴"),
    "delivery.pending": ("waiting to send", "送信待ち"),
    "delivery.sending": ("sending…", "送信中…"),
    "delivery.sent": ("sent", "送信済み"),
    "delivery.refused": ("refused: {reason}", "拒否: {reason}"),
    "delivery.stuck": ("stuck: server error — kept, will retry", "保留: サーバーエラー — 保持して再送"),
    "unable.title": ("Unable to enter", "入館できない"),
    "unable.reason": ("Reason", "理由"),
    "unable.detail": ("Details", "詳細"),
    "unable.confirm": ("Record: unable to enter", "入館不可を記録"),
    "unable.note": (
        "The visit ends; the full reserved time is charged and the ordering party is notified.",
        "訪問は終了し、予約時間全額が請求され、発注元に通知されます。",
    ),
    "badge.valid": ("Valid {start} – {end}", "有効 {start} – {end}"),
    "badge.scan": ("Security: scan to verify", "警備の方へ: スキャンして確認"),
    "badge.none": (
        "No badge yet: it is fetched once the visit is approved and the device is online.",
        "バッジ未取得: 承認後、オンライン時に取得されます。",
    ),
    "badge.for": ("For {client} — {site}", "訪問先: {client} — {site}"),
    "sign.title": ("Work completion — client sign-off", "作業完了 — お客様の承認"),
    "sign.summary": ("Summary", "概要"),
    "sign.log": ("Work log", "作業記録"),
    "sign.no_log": ("No log entries", "記録なし"),
    "sign.time": ("Time on site", "作業時間"),
    "sign.billing": ("Charges (estimate)", "料金（見積）"),
    "sign.confirm_steps": ("Please confirm", "ご確認ください"),
    "sign.name": ("Your name", "ご署名者名"),
    "sign.pad": ("Sign here", "ここに署名してください"),
    "sign.clear": ("Clear", "消去"),
    "sign.approve_leaving": ("I approve the team leaving the site", "作業チームの退出を承認します"),
    "sign.submit": ("Sign and finish", "署名して完了"),
    "sign.need_signature": ("Please sign in the box", "署名欄に署名してください"),
    "sign.done": ("Thank you. The work is signed off.", "ありがとうございました。作業完了が承認されました。"),
    "action.not_ready": (
        "Not available yet: refresh once online",
        "まだ利用できません: オンライン時に更新してください",
    ),
    "action.invalid": ("{field}: {rule}", "{field}: {rule}"),
    "field.text": ("Log text", "記録内容"),
    "field.signer_name": ("Signer's name", "署名者名"),
    "field.strokes": ("Signature", "署名"),
}


class Translator:
    def __init__(self, language: Language) -> None:
        self.language: Language = language
        self._index = LANGUAGES.index(language)

    def __call__(self, key: str, **values: object) -> str:
        pair = MESSAGES.get(key) or CATALOG.get(key)
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
