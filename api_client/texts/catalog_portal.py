"""Texts of the portal pages: key -> (English, Japanese), merged into the one catalog (catalog.py).

Kept in their own file so each page area adds its words without touching the others'; keys start with `portal.`.
"""

from __future__ import annotations

PORTAL: dict[str, tuple[str, str]] = {}
