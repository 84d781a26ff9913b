"""Texts of the desk pages: key -> (English, Japanese), merged into the one catalog (catalog.py).

Kept in their own file so each page area adds its words without touching the others'; keys start with `desk.`.
"""

from __future__ import annotations

DESK: dict[str, tuple[str, str]] = {}
