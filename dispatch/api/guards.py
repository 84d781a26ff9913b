"""Guards that act before any route runs: a body-size limit, security headers on HTML pages, badge tokens kept
out of the access log. Plain ASGI middleware, so an oversized body is refused while it streams in — before it is
parsed, and before the caller is authenticated.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Our pages load nothing from elsewhere: no scripts at all, styles inline, images and fonts from this origin.
PAGE_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; font-src 'self'; base-uri 'none'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)
# FastAPI's /docs and /redoc pages load their viewer from jsDelivr; they get only that exception.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; frame-ancestors 'none'"
)
_DOCS_PATHS = ("/docs", "/redoc")
# The portal's and desk's pages run our own scripts (htmx, vendored) and open server-sent event streams.
WEB_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; font-src 'self'; media-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_WEB_PATHS = ("/portal", "/desk")


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """413 for a request body above `max_bytes`: at once from Content-Length, or as soon as the streamed body
    passes the limit (chunked uploads declare no length). The body is read ahead of the app, up to the limit,
    so the app never sees — and the caller's token is never checked for — a body that is too large."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # after the body: wait for a disconnect, as the server would say
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        mb = self.max_bytes / 1_000_000
        body = json.dumps(
            {
                "message": f"Request body too large: the limit is {self.max_bytes} bytes ({mb:g} MB).",
                "errors": [{"field": "", "rule": "body_too_large", "message": f"at most {self.max_bytes} bytes"}],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),  # the rest of the upload is not read
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Every response: nosniff and no referrer. HTML pages also: a CSP that forbids framing, scripts and
    foreign content, X-Frame-Options for old browsers, and no-store (a badge check must never come from a cache)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        csp = DOCS_CSP if path.startswith(_DOCS_PATHS) else WEB_CSP if path.startswith(_WEB_PATHS) else PAGE_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                original = message.get("headers", [])
                content_type = next((v for k, v in original if k.lower() == b"content-type"), b"")
                html = content_type.startswith(b"text/html")
                drop = _OURS | {b"cache-control"} if html else _OURS
                headers = [(k, v) for k, v in original if k.lower() not in drop]
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                if html:
                    headers += [
                        (b"content-security-policy", csp.encode()),
                        (b"x-frame-options", b"DENY"),
                        (b"cache-control", b"no-store"),
                    ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_OURS = {b"x-content-type-options", b"referrer-policy", b"content-security-policy", b"x-frame-options"}
_BADGE_PATH = re.compile(r"/verify/[^/?\s]+")


class RedactBadgeTokens(logging.Filter):
    """uvicorn's access log line carries the path: a badge token in it would let anyone who reads the log
    show that badge. Replace the token before the line is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(a) for a in record.args)
        record.msg = _redact(record.msg)
        return True


def _redact(value: Any) -> Any:
    return _BADGE_PATH.sub("/verify/<badge>", value) if isinstance(value, str) else value


def install_log_redaction() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactBadgeTokens) for f in access.filters):
        access.addFilter(RedactBadgeTokens())
