"""Texts of web-polish: the sign-in page after a session ended. EN and JA side by side."""

from __future__ import annotations

WEB_POLISH: dict[str, tuple[str, str]] = {
    "web.session_end.client": (
        "You were signed out after {days} days without use. Ask for a new link below: it brings you back to the page "
        "you were on.",
        "{days} 日間ご利用がなかったため、サインアウトしました。下のフォームから新しいリンクを依頼してください。"
        "リンクから元のページに戻ります。",
    ),
    "web.session_end.desk": (
        "You were signed out after {hours} hours without use. Sign in again to return to the page you were on.",
        "{hours} 時間操作がなかったため、サインアウトしました。もう一度サインインすると元のページに戻ります。",
    ),
    "web.session_end.kept": (
        "What you typed in the request form is kept in its draft.",
        "依頼フォームに入力した内容は下書きに保存してあります。",
    ),
    "web.session_end.continue": (
        "Sign in to continue: you will come back to the page you were on.",
        "続けるにはサインインしてください。サインイン後、元のページに戻ります。",
    ),
    # The bill's notes (api_client/rules/billing.py `BillNote`): on the desk, the portal and the report.
    "bill.note.cancelled": (
        "No on-site charge: the visit was cancelled.",
        "訪問はキャンセルされたため、作業料金は発生しません。",
    ),
    "bill.note.estimate": (
        "Estimate: the visit has not started; the reserved time is the minimum charge.",
        "見積もり：訪問はまだ始まっていません。予約時間分が最低料金です。",
    ),
    "bill.note.minimum": (
        "Reserved {reserved} h; the {minimum}-hour minimum charge applies.",
        "予約 {reserved} 時間：最低料金 {minimum} 時間分が適用されます。",
    ),
    "bill.note.continuation_declined": (
        "The client declined to continue: {over} min beyond the reservation are not billed.",
        "お客様が延長をお断りになったため、予約時間を超えた {over} 分は請求しません。",
    ),
    "bill.note.continuation_accepted": (
        "The client accepted a continuation beyond the reservation: billed as overtime.",
        "お客様が予約時間を超える延長を承諾されたため、超過時間として請求します。",
    ),
    "bill.note.overtime_declined": (
        "Overtime beyond {threshold} min was declined on review and is not billed.",
        "{threshold} 分を超える超過時間は確認の結果認められず、請求しません。",
    ),
    "bill.note.overtime_held": (
        "{held} min of overtime above {threshold} min are held for eCorpOne's review.",
        "{threshold} 分を超える超過時間 {held} 分は、eCorpOne の確認まで保留しています。",
    ),
    "bill.note.retainer_expedite": (
        "Expedited request: no fee under the retainer SLA.",
        "緊急依頼：リテーナー SLA の対象のため、緊急料金はかかりません。",
    ),
    "rate_card.example_label": (
        "EXAMPLE rates — replace with the contract's rate card",
        "料金は例示です — 契約の料金表に置き換えてください",
    ),
    # The desk visit page's events: their result and the API's own actors, in the reader's language.
    "desk.visit.outcome.applied": ("applied", "反映済み"),
    "desk.visit.outcome.duplicate": ("duplicate", "重複（反映済み）"),
    "desk.visit.outcome.rejected": ("refused", "却下"),
    "desk.visit.actor.dispatcher": ("eCorpOne desk (API)", "eCorpOne デスク（API）"),
    "desk.visit.actor.system": ("eCorpOne Field (service)", "eCorpOne Field（サービス）"),
    # The board: a visit booked for a time (no retainer promise) reads against its start, not an SLA clock.
    "desk.board.starts_in": ("starts in {span}", "開始まで {span}"),
    "desk.board.past_start": ("{span} since start", "開始から {span}"),
}
