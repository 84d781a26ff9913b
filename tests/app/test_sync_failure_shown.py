"""A sync that broke (not the network) is said in the sync bar, in the engineer's language, until a sync works."""

from __future__ import annotations

import asyncio

import flet as ft

from api_client.rules.lifecycle import Status as S
from field_app.state import AppState
from field_app.sync import SyncReport, failure
from field_app.views.widgets import SyncBar
from tests.app.rendered import Rendered
from tests.app.screens import assignment, device, visit


def bar_texts(state: AppState) -> list[str]:
    return [c.value for c in Rendered(SyncBar, state).render() if isinstance(c, ft.Text)]


def test_a_broken_sync_shows_in_the_sync_bar_until_a_sync_works(tmp_path):
    state = device(tmp_path / "d.sqlite3", assignment(visit(S.approved)))
    state.apply_report(failure(KeyError("badge:ASG-1")))
    assert state.sync_failed == "KeyError: 'badge:ASG-1'"
    assert "· Sync failed (KeyError: 'badge:ASG-1'); retrying" in bar_texts(state)
    state.set_language("ja")
    assert "· 同期に失敗しました（KeyError: 'badge:ASG-1'）。再試行します" in bar_texts(state)
    state.apply_report(SyncReport(online=True))
    assert state.sync_failed == "" and not any("同期に失敗" in text for text in bar_texts(state))


def test_the_sync_task_that_cannot_start_says_so(tmp_path):
    """Even before the loop runs (e.g. the HTTP client's modules fail to load), the task reports, not just ends."""
    state = device(tmp_path / "d.sqlite3", assignment(visit(S.approved)))

    def no_client(url: str, token: str):  # type: ignore[no-untyped-def]
        raise ImportError("cannot import name 'AsyncDispatchClient' from partially initialized module")

    state.client_factory = no_client

    async def run() -> None:
        state.start_sync()
        assert state._task is not None
        await asyncio.wait_for(state._task, timeout=10)

    asyncio.run(run())
    assert state.online is False and state.sync_failed.startswith("ImportError: cannot import name")
