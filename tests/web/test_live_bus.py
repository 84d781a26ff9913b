"""The live bus: a change recorded reaches subscribers — in-process on SQLite, and across instances on
PostgreSQL through LISTEN/NOTIFY (two buses, two engines, one database)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from dispatch.db import create_schema, make_engine
from dispatch.live import Change, LiveBus
from tests.aio import run
from tests.clock import clock
from tests.postgres import postgres_cluster


async def _first(bus: LiveBus, publish: LiveBus, kind: str = "arrive", timeout: float = 10) -> Change:
    async with bus.subscribe() as feed:
        await asyncio.sleep(0)  # subscribed before the publish

        async def changes() -> Change:
            async for change in feed:
                if change.kind != "resync":
                    return change
            raise AssertionError("feed ended")

        await asyncio.to_thread(publish.publish, "ASG-1", kind)
        return await asyncio.wait_for(changes(), timeout)


def test_sqlite_in_process(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    bus = LiveBus(engine, clock)
    change = run(_first(bus, bus))
    assert (change.assignment_id, change.kind) == ("ASG-1", "arrive")
    assert bus.subscriber_count == 0  # unsubscribed when the page went away


def test_postgres_reaches_another_instance() -> None:
    with postgres_cluster() as cluster:
        url = cluster.new_database()
        a_engine, b_engine = make_engine(url), make_engine(url)
        create_schema(a_engine)
        a, b = LiveBus(a_engine, clock), LiveBus(b_engine, clock)
        try:
            assert b.listening.wait(15), "instance b never started listening"
            change = run(_first(b, a, "class4"))
            assert (change.assignment_id, change.kind) == ("ASG-1", "class4")
        finally:
            a.close()
            b.close()
            a_engine.dispose()
            b_engine.dispose()
