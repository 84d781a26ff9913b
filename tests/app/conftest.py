from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from dispatch.demo import DEMO_TOKENS, seed
from field_app.device_store import DeviceStore
from field_app.state import AppState
from tests.clock import clock
from tests.conftest import LiveService


@pytest.fixture
def demo_service(service: LiveService) -> LiveService:
    service.demo = seed(service.store)  # type: ignore[attr-defined]
    return service


@pytest.fixture
def device(tmp_path: Path) -> Iterator[DeviceStore]:
    store = DeviceStore(tmp_path / "device.sqlite3")
    yield store
    store.close()


def signed_in(store: DeviceStore, service: LiveService, who: str = "sato") -> AppState:
    state = AppState(store=store, clock=clock)
    state.load_local()
    assert asyncio.run(_sign_in_and_sync(state, service.url, DEMO_TOKENS[who])), state.sign_in_error
    return state


async def _sign_in_and_sync(state: AppState, url: str, token: str) -> bool:
    ok = await state.sign_in(url, token)
    state.stop_sync()  # tests drive sync explicitly
    if ok:
        await state.sync_now()
    return ok
