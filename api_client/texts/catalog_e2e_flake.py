"""The engineer app's words for a sync that broke (not the network): shown in the sync bar, retried."""

from __future__ import annotations

E2E_FLAKE: dict[str, tuple[str, str]] = {
    "sync.failed": ("Sync failed ({error}); retrying", "同期に失敗しました（{error}）。再試行します"),
}
