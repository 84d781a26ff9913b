"""The documents uploaded with a request reach the engineer's device on a sync and stay readable offline: the
bytes live in the device store (checked against their SHA-256), open as a file for the platform's viewer with
the service stopped, and go when the assignment leaves the device."""

from __future__ import annotations

import asyncio
import hashlib

from api_client.rules.lifecycle import Role
from dispatch.documents import add_document
from dispatch.principal import Principal
from field_app.device_store import DeviceStore
from field_app.documents import DocumentCache
from field_app.state import AppState
from tests.app.conftest import signed_in
from tests.clock import clock
from tests.conftest import LiveService

PLAN = b"%PDF-1.4\n% floor plan B1\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 2000


def test_documents_arrive_with_a_sync_and_are_readable_with_the_service_stopped(
    demo_service: LiveService, device: DeviceStore, tmp_path
) -> None:
    sato = Principal(Role.engineer, demo_service.demo["engineers"]["sato"])  # type: ignore[attr-defined]
    job = demo_service.store.assignments(sato)[0].id
    plan = add_document(demo_service.store, PLAN, "フロア図 B1.pdf", "floor_plan", "test", assignment_id=job)
    photo = add_document(demo_service.store, PHOTO, "rack.jpg", "other", "test", assignment_id=job)

    state = signed_in(device, demo_service)
    refs = state.assignment(job).documents
    assert [(d.name, d.kind.value) for d in refs] == [("フロア図 B1.pdf", "floor_plan"), ("rack.jpg", "other")]
    demo_service.stop()  # the basement: no service from here on

    again = AppState(store=device, clock=clock)
    again.load_local()
    assert [d.id for d in again.assignment(job).documents] == [plan.id, photo.id]
    cache = DocumentCache(device)
    assert cache.content(plan.id) == PLAN and cache.content(photo.id) == PHOTO
    path = cache.file(plan.id, tmp_path / "documents")
    assert path is not None and path.name == "フロア図 B1.pdf" and path.read_bytes() == PLAN
    assert hashlib.sha256(path.read_bytes()).hexdigest() == plan.sha256
    assert cache.file(photo.id, tmp_path / "documents").suffix == ".jpg"
    report = asyncio.run(again.sync_now())  # offline: the copy stays
    assert not report.online and cache.content(plan.id) == PLAN


def test_a_document_is_fetched_once_and_again_only_when_missing(demo_service: LiveService, device: DeviceStore) -> None:
    sato = Principal(Role.engineer, demo_service.demo["engineers"]["sato"])  # type: ignore[attr-defined]
    job = demo_service.store.assignments(sato)[0].id
    doc = add_document(demo_service.store, PLAN, "plan.pdf", "floor_plan", "test", assignment_id=job)
    state = signed_in(device, demo_service)
    cache = DocumentCache(device)
    assert cache.held() == {doc.id: doc.sha256}
    fetched: list[str] = []
    original = state.client_factory

    def counting(url: str, token: str):
        client = original(url, token)
        real = client.document

        async def document(*args, **kw):
            fetched.append(args[1])
            return await real(*args, **kw)

        client.document = document  # type: ignore[method-assign]
        return client

    state.client_factory = counting  # type: ignore[method-assign]
    asyncio.run(state.sync_now())
    assert fetched == []  # held with the same SHA-256: not fetched again
    cache.keep_only([])  # the assignment left the device: its documents go with it
    assert cache.content(doc.id) is None
    asyncio.run(state.sync_now())
    assert fetched == [doc.id] and cache.content(doc.id) == PLAN
