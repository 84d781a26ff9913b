"""Texts of the proposal, the live visit page and continuation consent: key -> (English, Japanese), merged into
the one catalog (catalog.py). Contract codes keep their namespaces (`kind.`, `refused.`); the pages' own words
start with `visit.`, the mails' with `mail.proposal.` / `mail.follow.`.
"""

from __future__ import annotations

PORTAL_VISIT: dict[str, tuple[str, str]] = {
    # -- the contract: new event kinds and refusals --------------------------------------------------------
    "kind.ask_continuation": ("Asked the client to continue", "お客様に作業継続を依頼"),
    "kind.decide_continuation": ("Client answered the continuation", "お客様が作業継続に回答"),
    "refused.role.client": (
        "the client (on the visit page or the engineer's phone)",
        "お客様（訪問ページまたはエンジニアの端末で）",
    ),
    "refused.continuation_pending": (
        "The client has not answered the last request to continue yet.",
        "前回の作業継続の依頼にお客様がまだ回答していません。",
    ),
    "refused.continuation_declined": (
        "The client declined to continue: finish within the reservation and ask the client to sign off.",
        "お客様が作業継続を断りました。予約時間内に終え、完了の承認を依頼してください。",
    ),
    "refused.no_continuation_asked": (
        "There is no request to continue to answer.",
        "回答すべき作業継続の依頼がありません。",
    ),
    "refused.reservation_ended": (
        "The reserved time has ended and the client declined to continue: only the sign-off can be recorded now.",
        "予約時間が終了し、お客様が作業継続を断ったため、記録できるのは完了の承認のみです。",
    ),
    "continuation.accepted": ("accepted", "承諾"),
    "continuation.declined": ("declined", "辞退"),
    "continuation.via.portal": ("on the visit page", "訪問ページで"),
    "continuation.via.hand_over": ("on the engineer's phone", "エンジニアの端末で"),
    "report.event.continuation_asked": ("Estimate: {minutes} more minutes", "見込み: あと {minutes} 分"),
    "report.event.continuation_decided": ("{decision} by {who} ({via})", "{who} 様が{decision}（{via}）"),
    # -- the engineer's app (field_app/views/continuation.py) -------------------------------------------------
    "continuation.app.title": ("Continue?", "作業継続の確認"),
    "continuation.app.ask": ("Ask the client to continue", "お客様に作業継続を依頼"),
    "continuation.app.ask_hint": (
        "The reservation is ending: continuation is not guaranteed. Your estimate of the extra time:",
        "予約時間がまもなく終了します。継続は保証されません。追加で必要な時間の見込み:",
    ),
    "continuation.app.minutes": ("+{n} min", "+{n} 分"),
    "continuation.app.waiting": (
        "Asked to continue (+{minutes} min): waiting for the client's answer",
        "作業継続を依頼中（+{minutes} 分）: お客様の回答待ち",
    ),
    "continuation.app.hand_over": ("Hand over: the client answers here", "端末をお客様に渡して回答を依頼"),
    "continuation.app.name": ("Your name", "お名前"),
    "continuation.app.name_required": ("Your name: required to answer", "お名前: 回答には入力が必要です"),
    "continuation.app.decided": ("Continuation {decision} by {who} at {time}", "{time} {who} 様が作業継続を{decision}"),
    # -- the proposal mail -----------------------------------------------------------------------------------
    "mail.proposal.subject": ("Engineers proposed: please approve", "エンジニアのご提案: ご承認をお願いします"),
    "mail.proposal.body": (
        "Hello {name},\n\neCorpOne proposes the engineers below for \u201c{title}\u201d on {time}. Please approve "
        "them or ask for a change on this page (the link works once, until {expires}):\n{url}",
        "{name} 様\n\n{time} の「{title}」に、下記のエンジニアをご提案します。次のページでご承認いただくか、"
        "変更をご依頼ください（リンクは {expires} まで・1 回のみ有効）:\n{url}",
    ),
    "mail.proposal.engineer": (
        "{name} — {skill}\nPhone: {phone}\nEmail: {email}",
        "{name} — {skill}\n電話: {phone}\nメール: {email}",
    ),
    "mail.proposal.button": ("Open the proposal", "ご提案を開く"),
    "mail.proposal.footer": (
        "Without your approval no engineer is sent. The SLA clock starts when you approve.",
        "ご承認がない限りエンジニアは派遣されません。SLA の計測はご承認の時点から始まります。",
    ),
    "mail.follow.subject": ("Follow the visit live", "訪問の状況をリアルタイムで確認"),
    "mail.follow.body": (
        "Hello {name},\n\nThe visit \u201c{title}\u201d at {site} on {time} is approved. You can follow it live "
        "(read only) here:\n{url}",
        "{name} 様\n\n{time} の「{title}」（{site}）の訪問が承認されました。進捗は次のページでご確認いただけます"
        "（閲覧のみ）:\n{url}",
    ),
    # -- the proposal page -------------------------------------------------------------------------------------
    "visit.proposal.heading": ("Proposed engineers", "ご提案のエンジニア"),
    "visit.proposal.intro": (
        "eCorpOne proposes these engineers. Without your approval no engineer is sent; the SLA clock starts when "
        "you approve.",
        "以下のエンジニアをご提案します。ご承認がない限り派遣されません。SLA の計測はご承認の時点から始まります。",
    ),
    "visit.engineer.skill": ("Skill level", "スキルレベル"),
    "visit.engineer.phone": ("Phone", "電話"),
    "visit.engineer.email": ("Email", "メール"),
    "visit.engineer.photo": ("Photo of {name}", "{name} の写真"),
    "visit.approve": ("Approve", "承認する"),
    "visit.ask_change": ("Ask for a change", "変更を依頼する"),
    "visit.change_note": ("What should change? (for eCorpOne's desk)", "変更内容（eCorpOne デスクへのメモ）"),
    "visit.change_note.required": (
        "What should change?: write a note for the desk (up to 2000 characters)",
        "変更内容: デスクへのメモを入力してください（2000 文字以内）",
    ),
    "visit.approved.done": (
        "Approved by {who} at {time}. The SLA clock has started.",
        "{who} 様が {time} に承認しました。SLA の計測を開始しました。",
    ),
    "visit.change.done": (
        "Your note was sent to eCorpOne's desk. You will get a new proposal by mail.",
        "メモを eCorpOne デスクに送りました。新しいご提案をメールでお送りします。",
    ),
    "visit.follow_page": ("Follow the visit", "訪問の状況を見る"),
    "visit.not_approver": (
        "Only a person allowed to approve for your company can decide on this proposal.",
        "このご提案を決定できるのは、貴社で承認権限をお持ちの方のみです。",
    ),
    "visit.decision.refused": ("This cannot be done now: {reason}", "現在この操作はできません: {reason}"),
    # -- the visit page ---------------------------------------------------------------------------------------
    "visit.heading": ("Visit {id}", "訪問 {id}"),
    "visit.read_only": (
        "Read-only view for the local contact: it updates by itself.",
        "現地ご担当者向けの閲覧専用ページです。自動で更新されます。",
    ),
    "visit.live_hint": (
        "This page updates by itself. Without JavaScript, reload it to see the latest.",
        "このページは自動で更新されます。JavaScript が無効な場合は再読み込みしてください。",
    ),
    "visit.status": ("Status", "状況"),
    "visit.when": ("Visit", "訪問日時"),
    "visit.site": ("Site", "訪問先"),
    "visit.approval": ("Approval", "承認"),
    "visit.not_approved_yet": ("Not approved yet", "未承認"),
    "visit.approved_by": ("Approved by {who} at {time}", "{who} 様が {time} に承認"),
    "visit.sla": ("SLA clock", "SLA 経過時間"),
    "visit.sla.running": ("{elapsed} since approval", "承認から {elapsed}"),
    "visit.sla.arrived": ("Arrived {elapsed} after approval", "承認から {elapsed} で到着"),
    "visit.decide.heading": ("Your decision", "ご判断をお願いします"),
    "visit.sla.due": ("Arrival promised by {time} (retainer SLA)", "到着期限 {time}（リテイナー SLA）"),
    "visit.on_the_way": ("On the way", "移動中"),
    "visit.expected": ("Expected at {time}", "到着予定 {time}"),
    "visit.running_late": ("Running late: now expected at {time}", "遅れています: 到着予定 {time}"),
    "visit.departed": ("{who} departed at {time}", "{who} が {time} に出発"),
    "visit.arrived": ("{who} arrived at {time}", "{who} が {time} に到着"),
    "visit.working": ("Working since {time}", "{time} から作業中"),
    "visit.log": ("Work log", "作業記録"),
    "visit.log.empty": ("No entries yet.", "まだ記録はありません。"),
    "visit.log.photo_hidden": ("(photo — not shown on this page)", "（写真 — このページには表示されません）"),
    "visit.time_on_site": ("Time on site", "現地作業時間"),
    "visit.time_against": ("{on_site} of {reserved} reserved", "予約 {reserved} のうち {on_site}"),
    "visit.phase.ending_soon": (
        "The reserved time ends soon ({time}). Continuation is not guaranteed: the engineer will ask you first.",
        "予約時間がまもなく終了します（{time}）。作業継続は保証されません。継続の前にエンジニアからご確認します。",
    ),
    "visit.phase.grace": ("In the grace period (until {time})", "猶予時間内（{time} まで）"),
    "visit.phase.overtime": ("Beyond the reserved time", "予約時間を超過しています"),
    "visit.continuation.heading": ("May the engineer continue?", "作業を継続してよろしいですか？"),
    "visit.continuation.question": (
        "{who} asks to continue past the reserved time, about {minutes} more minutes. Time beyond the reservation "
        "is charged as overtime.",
        "{who} が予約時間を超えて作業を継続したいと申し出ています（あと約 {minutes} 分）。予約時間を超えた分は"
        "超過料金として請求されます。",
    ),
    "visit.continuation.title": ("Continuing past the reservation", "予約時間を超える作業継続"),
    "visit.continuation.accept": ("Accept: continue", "承諾する（継続）"),
    "visit.continuation.decline": ("Decline: finish within the reservation", "辞退する（予約時間内で終了）"),
    "visit.continuation.waiting": (
        "Waiting for the ordering party's answer.",
        "発注元のご回答を待っています。",
    ),
    "visit.continuation.decided": (
        "Continuation {decision} by {who} at {time} ({via})",
        "{time} に {who} 様が作業継続を{decision}（{via}）",
    ),
    "visit.signed_off": ("Signed off by {who} at {time}", "{who} 様が {time} に完了を承認"),
    "visit.report": ("Service report", "作業報告書"),
    "visit.report.download": ("Download the signed report (PDF)", "署名済み作業報告書をダウンロード（PDF）"),
    "visit.report.sha256": ("SHA-256 of the PDF file", "PDF ファイルの SHA-256"),
    "visit.report.verify": ("Check it at the public hash check", "公開ハッシュ確認ページで確認"),
    "visit.report.pending": ("The report is being prepared.", "作業報告書を作成中です。"),
    "visit.contacts.heading": ("Read-only links for the local contacts", "現地ご担当者向けの閲覧専用リンク"),
    "visit.contacts.hint": (
        "Share a link with the person it names: it shows this page without the decisions.",
        "記載のご担当者にリンクを共有してください。決定操作のないこのページが表示されます。",
    ),
    "visit.events": ("Timeline", "経過"),
}
