"""Texts of the web pages: key -> (English, Japanese), merged into the one catalog (catalog.py).

Kept in their own file so each page area adds its words without touching the others'; keys start with `web.`.
"""

from __future__ import annotations

WEB: dict[str, tuple[str, str]] = {}
