"""Texts of the web pages' shared parts (layout, sign-in, errors): key -> (English, Japanese), merged into the
one catalog (catalog.py). The portal's and the desk's own words live in catalog_portal.py and catalog_desk.py.
"""

from __future__ import annotations

WEB: dict[str, tuple[str, str]] = {
    "web.brand": ("eCorpOne Field", "eCorpOne Field"),
    "web.switch_language": ("日本語", "English"),
    "web.sign_out": ("Sign out", "サインアウト"),
    "web.sign_in.client.heading": ("Sign in to eCorpOne Field", "eCorpOne Field にサインイン"),
    "web.sign_in.client.intro": (
        "Enter your work email address. We will mail you a sign-in link that works once, for 15 minutes.",
        "業務用のメールアドレスを入力してください。15 分間・1 回だけ使えるサインイン用リンクをお送りします。",
    ),
    "web.sign_in.email": ("Email address", "メールアドレス"),
    "web.sign_in.password": ("Password", "パスワード"),
    "web.sign_in.send_link": ("Mail me a sign-in link", "サインイン用リンクを送信"),
    "web.sign_in.email_invalid": (
        "Email address: enter an address such as name@company.co.jp",
        "メールアドレス: name@company.co.jp のような形式で入力してください",
    ),
    "web.sign_in.sent": (
        "If {email} belongs to an account, a sign-in link is on its way.",
        "{email} が登録済みのアドレスであれば、サインイン用リンクをお送りしました。",
    ),
    "web.sign_in.sent_hint": (
        "Open the link on this device within 15 minutes. No mail? Check the spam folder, or ask your eCorpOne "
        "contact to add your address.",
        "15 分以内にこの端末でリンクを開いてください。届かない場合は迷惑メールフォルダをご確認いただくか、"
        "eCorpOne の担当者にアドレスの登録をご依頼ください。",
    ),
    "web.sign_in.link.intro": (
        "Press the button to sign in on this device. The link then stops working.",
        "ボタンを押すとこの端末でサインインします。リンクはその後使えなくなります。",
    ),
    "web.sign_in.link.button": ("Sign in", "サインイン"),
    "web.sign_in.new_link": ("Ask for a new link", "新しいリンクを依頼"),
    "web.link.refused.heading": ("This link no longer works", "このリンクは使用できません"),
    "web.link.refused.body": (
        "It has been used already or it has expired. Links work once and for a limited time.",
        "すでに使用済みか、有効期限が切れています。リンクは一度だけ、期限内のみ有効です。",
    ),
    "web.sign_in.desk.heading": ("eCorpOne desk — sign in", "eCorpOne デスク — サインイン"),
    "web.sign_in.desk.button": ("Sign in", "サインイン"),
    "web.sign_in.wrong": ("Email address or password is wrong.", "メールアドレスまたはパスワードが違います。"),
    "web.sign_in.too_many": (
        "Too many failed attempts. Try again in {seconds} seconds.",
        "失敗が多すぎます。{seconds} 秒後にもう一度お試しください。",
    ),
    "web.mail.sign_in.subject": ("Your eCorpOne Field sign-in link", "eCorpOne Field サインイン用リンク"),
    "web.mail.sign_in.body": (
        "Hello {name},\n\nOpen this link to sign in to eCorpOne Field (it works once, for {minutes} minutes):\n"
        "{url}\n\nIf you did not ask for it, you can ignore this mail.\n\neCorpOne",
        "{name} 様\n\n下記のリンクから eCorpOne Field にサインインしてください（{minutes} 分間・1 回のみ有効）:\n"
        "{url}\n\nお心当たりのない場合は、このメールを破棄してください。\n\neCorpOne",
    ),
    "web.error.not_found": ("Not found", "見つかりません"),
    "web.error.not_found.body": (
        "There is nothing at this address, or you may not see it.",
        "このアドレスには何もないか、閲覧の権限がありません。",
    ),
    "web.error.forbidden": ("Not allowed", "許可されていません"),
    "web.error.csrf": (
        "The form was refused: its security token (csrf_token) is missing or out of date. Reload the page and "
        "send it again.",
        "フォームを受け付けられませんでした: セキュリティトークン (csrf_token) がないか古くなっています。"
        "ページを再読み込みしてから送信してください。",
    ),
    "web.error.invalid": ("Some fields need attention", "入力内容を確認してください"),
    "web.error.server": ("Something went wrong on our side", "サーバー側で問題が発生しました"),
    "web.error.server.body": (
        "Nothing you sent was lost; it has been logged. Try again in a minute.",
        "送信内容は失われていません。記録済みです。少し待ってから再度お試しください。",
    ),
    "web.error.busy": ("The service is busy", "混み合っています"),
    "web.error.busy.body": ("Nothing was recorded. Try again.", "何も記録されていません。もう一度お試しください。"),
    "web.back_home": ("Back to the start page", "トップページへ戻る"),
    "web.portal.home.heading": ("Your visits", "訪問一覧"),
    "web.portal.home.empty": ("No visits yet.", "まだ訪問はありません。"),
    "web.desk.home.heading": ("Desk", "デスク"),
}
