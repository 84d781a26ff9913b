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
}
