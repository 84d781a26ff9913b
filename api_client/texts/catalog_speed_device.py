"""Texts of the phone's speed work (issue 9): key -> (English, Japanese), merged into the one catalog (catalog.py)."""

from __future__ import annotations

SPEED_DEVICE: dict[str, tuple[str, str]] = {
    # The on-site panel shows the latest entries of a long list; this line stands for the rest.
    "onsite.earlier": ("… and {n} earlier", "… ほか以前の {n} 件"),
}
