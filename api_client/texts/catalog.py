"""The catalog: key -> (English, Japanese). Keys are the contract's codes under a namespace
(`status.<Status>`, `kind.<EventKind>`, `refused.<code>`, `unable.<UnableReason>`, `arrival.<ArrivalCheck>`,
`skill.<SkillLevel>`, `bill.<line code>`, `badge.<BadgeStatus>`, `mail.*`, `report.*`, `verify.*`).

Both languages sit side by side so a missing translation shows in review; adding a code is one line here.
A refusal has a general sentence that needs no values (what the app shows by code) and may have a `.detail`
sentence with values (the service's own message, in English, on the wire).
"""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    "lang.en": ("English", "英語"),
    "lang.ja": ("Japanese", "日本語"),
    # -- statuses (api_client.rules.lifecycle.Status) --------------------------------------------------
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
    # -- event kinds (api_client.events.EventKind), as a timeline reads them ----------------------------
    "kind.propose": ("Engineers proposed", "エンジニアを提案"),
    "kind.approve": ("Visit approved", "訪問を承認"),
    "kind.depart": ("Departed", "出発"),
    "kind.running_late": ("Running late", "遅延連絡"),
    "kind.arrive": ("Arrived", "到着"),
    "kind.start_work": ("Work started", "作業開始"),
    "kind.log": ("Work log", "作業記録"),
    "kind.sign_off": ("Client signed off", "お客様が完了を承認"),
    "kind.unable_to_enter": ("Unable to enter", "入館不可"),
    "kind.cancel": ("Visit cancelled", "訪問をキャンセル"),
    "kind.close": ("Visit closed", "訪問をクローズ"),
    "kind.review_overtime": ("Overtime reviewed", "超過時間を確認"),
    # -- skill levels (api_client.request.SkillLevel) ---------------------------------------------------
    "skill.entry": ("Entry / junior", "エントリー / ジュニア"),
    "skill.senior": ("Senior", "シニア"),
    "skill.specialist": ("Specialist", "スペシャリスト"),
    # -- unable-to-enter reasons (api_client.events.UnableReason) ---------------------------------------
    "unable.no_local_contact": ("No local contact", "現地担当者不在"),
    "unable.no_access": ("No access to the site / room", "入館・入室不可"),
    "unable.devices_not_arrived": ("Devices have not arrived", "機器未着"),
    "unable.paperwork_missing": ("Paperwork missing", "書類不備"),
    "unable.other": ("Other", "その他"),
    # -- arrival checks (api_client.rules.geofence.ArrivalCheck): verified or not, in words ----------------
    "arrival.verified": ("Arrival verified at the site ({distance} m)", "現地到着を確認（{distance} m）"),
    "arrival.too_far": ("Arrival NOT verified: {distance} m from the site", "到着未確認: 現地から {distance} m"),
    "arrival.no_position": ("Arrival NOT verified: no position", "到着未確認: 位置情報なし"),
    "arrival.site_unlocated": (
        "Arrival NOT verified: the map link has no coordinates",
        "到着未確認: 地図リンクに座標がありません",
    ),
    # -- refusals (api_client.rules.lifecycle.Refused codes; dispatch adds a few of its own) -------------
    "refused.role": ("Your role cannot record this.", "この操作を記録する権限がありません。"),
    "refused.role.detail": (
        "Only {who} can record '{kind}'.",
        "「{kind}」を記録できるのは{who}だけです。",
    ),
    "refused.role.engineer": ("an engineer on the assignment", "案件の担当エンジニア"),
    "refused.role.dispatcher": ("the dispatcher", "ディスパッチャー"),
    "refused.locked": (
        "The client signed off this visit; it is locked and cannot be changed.",
        "お客様が承認済みのため、この訪問は変更できません。",
    ),
    "refused.closed": ("This visit is closed; it cannot be changed.", "この訪問はクローズ済みのため変更できません。"),
    "refused.visit_ended": (
        "This visit ended as unable to enter; it cannot be changed.",
        "この訪問は入館不可で終了しているため変更できません。",
    ),
    "refused.cancelled": ("This visit was cancelled.", "この訪問はキャンセルされました。"),
    "refused.not_assigned": ("You are not on the team for this assignment.", "この案件の担当ではありません。"),
    "refused.already_approved": (
        "Engineers can only be proposed before the ordering party approves.",
        "エンジニアの提案は発注元の承認前に限られます。",
    ),
    "refused.engineer_count": (
        "The number of engineers proposed differs from the request.",
        "提案したエンジニアの人数が依頼と異なります。",
    ),
    "refused.engineer_count.detail": (
        "The request asks for {requested} engineer(s); {proposed} proposed.",
        "依頼はエンジニア {requested} 名ですが、{proposed} 名が提案されました。",
    ),
    "refused.not_proposed": (
        "Propose engineers first: the ordering party approves a proposal.",
        "先にエンジニアを提案してください。発注元は提案を承認します。",
    ),
    "refused.team_not_qualified": (
        "The proposed team does not cover the requested skill level or languages.",
        "提案したチームは依頼のスキルレベルまたは言語を満たしていません。",
    ),
    "refused.not_approved": (
        "Not approved by the ordering party yet: no engineer is sent without approval.",
        "発注元の承認前です。承認なしにエンジニアは派遣できません。",
    ),
    "refused.wrong_status": ("Not possible in the visit's current status.", "現在の状態ではできません。"),
    "refused.wrong_status.detail": (
        "Not possible now: the visit is {status}.",
        "現在はできません（訪問の状態: {status}）。",
    ),
    "refused.unknown_location": ("This assignment has no such location.", "この案件にその訪問先はありません。"),
    "refused.unknown_location.detail": (
        "This assignment has no location '{location}'.",
        "この案件に訪問先「{location}」はありません。",
    ),
    "refused.already_arrived": ("Your arrival is already recorded.", "到着は記録済みです。"),
    "refused.already_arrived.detail": (
        "Your arrival at {site} is already recorded.",
        "{site} への到着は記録済みです。",
    ),
    "refused.not_arrived": ("Tap Arrived first.", "先に「到着」を押してください。"),
    "refused.already_working": ("The work has already started.", "作業は開始済みです。"),
    "refused.assistance_required": (
        "Record who from the customer assists you: assistance is required unless the work is very simple "
        "and a senior or specialist is on site.",
        "補助するお客様の担当者名を入力してください。作業が非常に簡単でシニア以上が現地にいる場合を除き、"
        "お客様の補助が必要です。",
    ),
    "refused.not_on_site": (
        "Work can only be logged on site, after arrival.",
        "作業記録は到着後、現地でのみ可能です。",
    ),
    "refused.not_working": (
        "Start the work before the client signs off.",
        "お客様の承認の前に作業を開始してください。",
    ),
    "refused.leaving_not_approved": (
        "The client must approve the team leaving the site.",
        "お客様による作業チームの退出の承認が必要です。",
    ),
    "refused.unknown_step": ("A confirmed work step does not exist.", "確認された作業手順が存在しません。"),
    "refused.unknown_step.detail": ("Work step(s) {steps} do not exist.", "作業手順 {steps} は存在しません。"),
    "refused.confirmation_missing": (
        "The client must confirm every step marked 'confirm after'.",
        "「事後確認」のある手順はすべてお客様の確認が必要です。",
    ),
    "refused.confirmation_missing.detail": (
        "The client must confirm: {steps}.",
        "お客様の確認が必要です: {steps}",
    ),
    "refused.time_order": (
        "The sign-off time is before the arrival time: check the device clock.",
        "承認時刻が到着時刻より前です。端末の時計を確認してください。",
    ),
    "refused.detail_required": (
        "Describe what prevented entry (reason 'other').",
        "入館できなかった理由を記入してください（理由「その他」）。",
    ),
    "refused.on_site": (
        "An engineer is on site: end the visit with sign-off or unable to enter.",
        "エンジニアが現地にいます。完了承認または入館不可で訪問を終了してください。",
    ),
    "refused.not_finished": (
        "Only a signed-off or unable-to-enter visit can be closed.",
        "クローズできるのは完了承認済みまたは入館不可の訪問だけです。",
    ),
    "refused.device_clock_ahead": (
        "The device clock is ahead of the server: check the time settings.",
        "端末の時計がサーバーより進んでいます。時刻設定を確認してください。",
    ),
    "refused.time_before_previous": (
        "The device time is before your previous action on this visit: check the device clock.",
        "端末の時刻がこの訪問での前回の操作より前です。端末の時計を確認してください。",
    ),
    "refused.time_before_approval": (
        "The device time is before the visit was approved: check the device clock.",
        "端末の時刻が訪問の承認より前です。端末の時計を確認してください。",
    ),
    "refused.arrival_outside_window": (
        "An arrival is accepted only around the visit start: check the device clock, or call the desk.",
        "到着は訪問開始時刻の前後でのみ受け付けます。端末の時計を確認するか、デスクに連絡してください。",
    ),
    "refused.not_signed_off": (
        "Overtime is reviewed after the client signs off, before the visit is closed.",
        "超過時間の確認は、お客様の完了承認後、訪問のクローズ前に行います。",
    ),
    "refused.invalid": ("The event carries invalid data.", "イベントのデータが不正です。"),
    "refused.unknown_engineer": ("No such engineer.", "該当するエンジニアがいません。"),
    # -- bill lines (api_client.rules.billing BillLine.code) --------------------------------------------
    "bill.reserved": (
        "Reserved on-site time, {skill} ({hours} h{team})",
        "予約作業時間・{skill}（{hours} 時間{team}）",
    ),
    "bill.unable": (
        "Unable to enter: full reserved time, {skill} ({hours} h{team})",
        "入館不可: 予約時間全額・{skill}（{hours} 時間{team}）",
    ),
    "bill.overtime": (
        "Overtime {over} min, billed {billed} min at the overtime rate{team}",
        "超過 {over} 分（請求 {billed} 分・割増料金{team}）",
    ),
    "bill.expedite": ("Expedited request fee", "特急対応料金"),
    "bill.team": (" × {n} engineers", " × {n} 名"),
    "bill.unit.h": ("h", "時間"),
    "bill.unit.item": ("item", "式"),
    "bill.total": ("Total", "合計"),
    "bill.tax_note": ("Amounts exclude consumption tax.", "金額は税抜です。"),
    # -- badge verdicts (dispatch.badge.BadgeStatus) ----------------------------------------------------
    "badge.genuine": ("✔ GENUINE — valid now", "✔ 有効なバッジです"),
    "badge.expired": ("⚠ EXPIRED — outside its validity window", "⚠ 有効期限切れです"),
    "badge.not_yet_valid": ("⚠ NOT YET VALID", "⚠ まだ有効期間前です"),
    "badge.other_date": ("✘ NOT FOR TODAY — do not admit", "✘ 本日用のバッジではありません（入館不可）"),
    "badge.revoked": ("✘ REVOKED — do not admit", "✘ 取り消されたバッジです（入館不可）"),
    "badge.forged": ("✘ NOT GENUINE — do not admit", "✘ 無効なバッジです（入館不可）"),
    "badge.label.engineer": ("Engineer", "氏名"),
    "badge.label.company": ("Company", "会社"),
    "badge.label.skill": ("Skill", "スキル"),
    "badge.label.for": ("For", "訪問先"),
    "badge.label.valid": ("Valid", "有効期間"),
    "badge.label.checked": ("Checked {time}", "確認日時 {time}"),
    # -- the service report (dispatch/report.py) --------------------------------------------------------
    "report.issuer": ("eCorpOne — emergency on-site IT service", "eCorpOne 緊急オンサイト IT サービス"),
    "report.title": ("Service report", "作業報告書"),
    "report.to": ("To: {company}", "{company} 御中"),
    "report.attention": ("Attn. {name}", "{name} 様"),
    "report.assignment": ("Assignment", "案件番号"),
    "report.reference": ("Your reference", "貴社参照番号"),
    "report.work": ("Work", "作業件名"),
    "report.site": ("Site", "訪問先"),
    "report.floor": ("Floor", "フロア"),
    "report.engineers": ("Engineers", "担当エンジニア"),
    "report.reserved": ("Reserved time", "予約時間"),
    "report.reserved_hours": ("{hours} h", "{hours} 時間"),
    "report.grace": ("{hours} h + {minutes} min grace", "{hours} 時間 + 猶予 {minutes} 分"),
    "report.approved": ("Approved (SLA start)", "承認（SLA 開始）"),
    "report.approved_by": ("{who}, {time}", "{who} 様、{time}"),
    "report.not_approved": ("Not recorded", "記録なし"),
    "report.timeline": ("Timeline", "経過"),
    "report.timeline.note": (
        "Site time ({tz}). Recorded: the engineer's device clock. Received: when the service received it.",
        "現地時間（{tz}）。記録: エンジニアの端末の時刻。受信: サービスが受信した時刻。",
    ),
    "report.col.recorded": ("Recorded", "記録"),
    "report.col.event": ("Event", "内容"),
    "report.col.received": ("Received", "受信"),
    "report.event.assisted_by": ("Assisted by {who}", "補助: {who} 様"),
    "report.event.expected_at": ("Expected at {time}", "到着予定 {time}"),
    "report.event.approved_by": ("Approved by {who}", "{who} 様が承認"),
    "report.event.signed_by": ("Signed by {who}", "{who} 様が署名"),
    "report.event.proposed": ("{names}", "{names}"),
    "report.log": ("Work log", "作業記録"),
    "report.no_log": ("No entries.", "記録はありません。"),
    "report.photo_unreadable": ("(The attached photo could not be read.)", "（添付写真を読み込めませんでした）"),
    "report.confirmed": ("Steps confirmed by the client", "お客様確認事項"),
    "report.step": ("Step {n}", "手順 {n}"),
    "report.step.confirmed": ("Confirmed", "確認済み"),
    "report.step.not_confirmed": ("Not confirmed", "未確認"),
    "report.charges": ("Charges", "ご請求内容"),
    "report.col.item": ("Item", "項目"),
    "report.col.quantity": ("Quantity", "数量"),
    "report.col.unit_price": ("Unit price", "単価"),
    "report.col.amount": ("Amount", "金額"),
    "report.time_on_site": ("Time on site", "作業時間"),
    "report.sign_off": ("Client sign-off", "お客様による完了承認"),
    "report.signed_by": ("Signed by", "署名者"),
    "report.signed_at": ("Signed at", "署名日時"),
    "report.leaving_approved": (
        "The client approved the work and the team leaving the site.",
        "お客様は作業内容と作業チームの退出を承認しました。",
    ),
    "report.integrity": ("Verifying this report", "本報告書の真正性の確認"),
    "report.integrity.hash": ("SHA-256 of the signed content", "署名内容の SHA-256"),
    "report.integrity.how": (
        "Open {url} and enter this SHA-256, or the SHA-256 of this PDF file given in our e-mail. The service "
        "shows which assignment the report belongs to and when it was signed. A changed report does not match.",
        "{url} を開き、上記の SHA-256、またはメールに記載したこの PDF ファイルの SHA-256 を入力してください。"
        "どの案件の報告書で、いつ署名されたかが表示されます。改変された報告書は一致しません。",
    ),
    "report.page": ("Page {n} / {total}", "{n} / {total} ページ"),
    # -- the public report check (GET /verify-report) ---------------------------------------------------
    "verify.title": ("Check a service report", "作業報告書の確認"),
    "verify.intro": (
        "Enter the SHA-256 printed on the report, or the SHA-256 of the PDF file.",
        "報告書に記載の SHA-256、または PDF ファイルの SHA-256 を入力してください。",
    ),
    "verify.field": ("SHA-256", "SHA-256"),
    "verify.submit": ("Check", "確認"),
    "verify.match": ("✔ This is a genuine eCorpOne service report", "✔ 正規の作業報告書です（eCorpOne 発行）"),
    "verify.no_match": (
        "✘ No report matches: the file may have been changed, or the hash was mistyped",
        "✘ 一致する報告書はありません。改変されたか、入力に誤りがあります",
    ),
    "verify.bad_hash": (
        "sha256: must be 64 hexadecimal characters",
        "sha256: 16 進数 64 文字で入力してください",
    ),
    "verify.matched_by.file": ("Matched: the PDF file as sent", "一致: 送付した PDF ファイル"),
    "verify.matched_by.content": ("Matched: the signed content printed on the report", "一致: 報告書記載の署名内容"),
    "verify.signed_at": ("Signed at", "署名日時"),
    "verify.issued_at": ("Issued at", "発行日時"),
    # -- mails to the ordering party (dispatch/notify.py) -----------------------------------------------
    "mail.greeting": ("Dear {company},", "{company} 御中"),
    "mail.footer": (
        "eCorpOne Field — eCorpOne's emergency on-site IT service. This message was sent automatically.",
        "eCorpOne Field — eCorpOne 緊急オンサイト IT サービス。このメールは自動送信されています。",
    ),
    "mail.assignment": ("Assignment: {title}", "案件: {title}"),
    "mail.arrival.subject": ("Engineer arrived: {site}", "エンジニア到着のお知らせ: {site}"),
    "mail.arrival.body": (
        "{engineer} arrived at {site} ({address}) at {time}, by the engineer's device.",
        "{engineer} が {time}（端末の時刻）に {site}（{address}）へ到着しました。",
    ),
    "mail.late.subject": ("Engineer running late", "エンジニア到着遅延のお知らせ"),
    "mail.late.body": (
        "{engineer} is running late and now expects to arrive at {time}.",
        "{engineer} の到着が遅れています。到着予定は {time} です。",
    ),
    "mail.late.note": ("Note from the engineer: {note}", "エンジニアからの連絡: {note}"),
    "mail.unable.subject": ("Engineer unable to enter", "入館不可のお知らせ"),
    "mail.unable.body": (
        "The engineer could not enter the site at {time}. Reason: {reason}.",
        "{time} にエンジニアが入館できませんでした。理由: {reason}",
    ),
    "mail.unable.detail": ("Details: {detail}", "詳細: {detail}"),
    "mail.unable.charge": (
        "As agreed, the full reserved time ({hours} h) is charged.",
        "規定により、予約時間（{hours} 時間）全額が請求対象となります。",
    ),
    "mail.sign_off.subject": ("Service report: work signed off", "作業報告書（作業完了のご承認）"),
    "mail.sign_off.body": (
        "{signer} signed off the work at {time}. The signed service report is attached (PDF).",
        "{signer} 様が {time} に作業完了を承認されました。署名済みの作業報告書（PDF）を添付します。",
    ),
    "mail.sign_off.total": ("Total charged: {total}", "ご請求合計: {total}"),
    "mail.sign_off.verify": (
        "SHA-256 of the attached PDF: {sha256}\nCheck it at {url}",
        "添付 PDF の SHA-256: {sha256}\n確認ページ: {url}",
    ),
}


# The web pages' texts live beside this file, one file per page area, and join the one catalog here.
from .catalog_desk import DESK  # noqa: E402
from .catalog_desk_board import DESK_BOARD  # noqa: E402
from .catalog_desk_engineers import DESK_ENGINEERS  # noqa: E402
from .catalog_e2e_flake import E2E_FLAKE  # noqa: E402
from .catalog_portal import PORTAL  # noqa: E402
from .catalog_portal_request import REQUEST  # noqa: E402
from .catalog_portal_visit import PORTAL_VISIT  # noqa: E402
from .catalog_speed_device import SPEED_DEVICE  # noqa: E402
from .catalog_web import WEB  # noqa: E402
from .catalog_web_polish import WEB_POLISH  # noqa: E402

for _area in (
    WEB,
    PORTAL,
    DESK,
    DESK_BOARD,
    DESK_ENGINEERS,
    E2E_FLAKE,
    REQUEST,
    PORTAL_VISIT,
    SPEED_DEVICE,
    WEB_POLISH,
):
    if _clash := CATALOG.keys() & _area.keys():
        raise KeyError(f"text keys defined twice: {sorted(_clash)}")
    CATALOG.update(_area)
