"""A crew's visit under faults: the machinery the fault suite shares.

Each engineer has a real device store and the app's real sync (`Syncer.push`), talking to real services on
127.0.0.1. A plan is what each engineer does, in their device's order, with their device's clock; the
invariants are checked on what the server stored and what the devices hold.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from api_client import DispatchClient
from api_client.client import AsyncDispatchClient
from api_client.errors import DispatchError
from api_client.events import (
    ArriveEvent,
    LogEvent,
    Outcome,
    SignOffEvent,
    StartWorkEvent,
    VisitEvent,
)
from api_client.rate_card import EXAMPLE_RATE_CARD
from api_client.request import ServiceRequest
from api_client.rules.billing import Bill
from api_client.rules.lifecycle import DISPATCHER_KINDS, Role, Status, VisitState, apply, visit_bill
from api_client.wire import EngineerIn
from field_app.device_store import Delivery, DeviceStore
from field_app.sync import Syncer
from tests.conftest import DISPATCHER_TOKEN
from tests.factories import request_data

SIGNATURE = [[(0.0, 0.0), (12.0, 9.0), (30.0, 2.0)]]


@dataclass
class Device:
    engineer_id: str
    token: str
    store: DeviceStore
    url: str
    plan: list[VisitEvent] = field(default_factory=list)


@dataclass
class Crew:
    assignment_id: str
    request: ServiceRequest
    approved_at: datetime
    devices: list[Device]

    @property
    def lead(self) -> Device:
        return self.devices[0]


def hire_crew(url: str, tmp: Path, size: int, device_urls: Sequence[str]) -> Crew:
    """A visit for `size` engineers, proposed and approved (at the service's current clock)."""
    with DispatchClient(url, DISPATCHER_TOKEN) as desk:
        people = [desk.add_engineer(EngineerIn(name=f"Crew {n}", phone=f"+81 90-5555-{n:04d}")) for n in range(size)]
        a = desk.create_assignment(request_data(engineer_count=size, reserved_hours=2, title="Crew job"))
        desk.propose(a.id, [p.engineer.id for p in people])
        approved = desk.approve(a.id, "Pat Lee")
    devices = [
        Device(p.engineer.id, p.token, DeviceStore(tmp / f"device-{n}.sqlite3"), device_urls[n % len(device_urls)])
        for n, p in enumerate(people)
    ]
    assert approved.visit.approved_at is not None
    return Crew(a.id, a.request, approved.visit.approved_at, devices)


def plan_visit(crew: Crew, rng: random.Random, logs_each: int) -> None:
    """Arrivals, the lead's start of work and every engineer's log entries, each device with its own clock
    (up to a minute off the server's, inside the allowance). The sign-off comes later (`sign_off`)."""
    t0 = crew.approved_at + timedelta(minutes=5)
    for n, device in enumerate(crew.devices):
        skew = timedelta(seconds=rng.uniform(-60, 60))
        at = t0 + timedelta(minutes=n) + skew
        events: list[VisitEvent] = [ArriveEvent(assignment_id=crew.assignment_id, device_time=at)]
        if n == 0:
            events.append(StartWorkEvent(assignment_id=crew.assignment_id, device_time=at, assisted_by="Ken Ito"))
        for j in range(logs_each):
            at += timedelta(seconds=rng.randint(1, 20))
            events.append(LogEvent(assignment_id=crew.assignment_id, device_time=at, text=f"crew {n} step {j}"))
        device.plan = events


def sign_off(crew: Crew, after: timedelta) -> SignOffEvent:
    event = SignOffEvent(
        assignment_id=crew.assignment_id,
        device_time=crew.approved_at + after,
        signer_name="Ken Ito",
        approve_leaving=True,
        confirmed_steps=[0],
        strokes=SIGNATURE,
    )
    crew.lead.plan.append(event)
    return event


async def _push(device: Device) -> None:
    client = AsyncDispatchClient(device.url, device.token, timeout=15.0, max_retries=0)
    try:
        await Syncer(device.store, client).push()
    finally:
        await client.aclose()


def push_once(device: Device) -> bool:
    """One pass of the app's sync; False when it got no usable answer (the entries stay pending)."""
    try:
        asyncio.run(_push(device))
    except DispatchError:
        return False
    return True


def pending(device: Device) -> int:
    counts = device.store.counts()
    return counts[Delivery.pending] + counts[Delivery.sending]


def drive(
    devices: Sequence[Device],
    rng: random.Random,
    *,
    seconds: float = 60,
    between_pushes: Callable[[], None] = lambda: None,
) -> None:
    """Every device, on its own thread, queues its plan in random chunks while syncing, until all of it is
    delivered. Bounded: fails if anything is still waiting after `seconds`."""
    deadline = time.monotonic() + seconds
    errors: list[BaseException] = []
    seeds = [rng.random() for _ in devices]

    def run(device: Device, seed: float) -> None:
        local = random.Random(seed)
        queued = {e.event_id for e in device.store.entries()}
        todo = [e for e in device.plan if str(e.id) not in queued]
        try:
            while (todo or pending(device)) and time.monotonic() < deadline:
                take = local.randint(1, max(1, len(todo) // 2)) if todo else 0
                for event in todo[:take]:
                    device.store.enqueue(event)
                todo = todo[take:]
                if not push_once(device):
                    time.sleep(local.uniform(0.02, 0.1))
                between_pushes()
                time.sleep(local.uniform(0, 0.02))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(d, s)) for d, s in zip(devices, seeds, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, deadline - time.monotonic() + 5))
    assert not errors, errors
    stuck = {d.engineer_id: pending(d) for d in devices if pending(d)}
    assert not stuck, f"still waiting after {seconds} s: {stuck}"


def expected_bill(crew: Crew, received_sign_off: datetime) -> Bill:
    """The bill of a fault-free run: the plan folded through the rules in memory, device after device."""
    state = VisitState(
        status=Status.approved, engineer_ids=[d.engineer_id for d in crew.devices], approved_at=crew.approved_at
    )
    steps = [(d, e) for d in crew.devices for e in d.plan if not isinstance(e, SignOffEvent)]
    steps += [(d, e) for d in crew.devices for e in d.plan if isinstance(e, SignOffEvent)]
    for device, event in steps:
        received = received_sign_off if isinstance(event, SignOffEvent) else None
        state = apply(
            state,
            crew.request,
            event,
            role=Role.engineer,
            actor=device.engineer_id,
            card=EXAMPLE_RATE_CARD,
            received_at=received,
        )
    return visit_bill(crew.request, state, expedited=False, card=EXAMPLE_RATE_CARD)


def assert_trust_chain(url: str, crew: Crew, *, refused: dict[str, str] | None = None) -> None:
    """Each action stored exactly once, in each device's order, with its device time; every device's outbox
    settled (sent, or refused only where expected, with that rule's code)."""
    refused = refused or {}
    with DispatchClient(url, DISPATCHER_TOKEN) as desk:
        recorded = [e for e in desk.events(crew.assignment_id) if e.kind not in DISPATCHER_KINDS]
    ids = [str(e.id) for e in recorded]
    assert len(ids) == len(set(ids)), "an event was stored twice"
    by_id = {str(e.id): e for e in recorded}
    planned = [str(e.id) for d in crew.devices for e in d.plan]
    assert set(ids) == set(planned), "the server holds something other than what the crew did"
    for device in crew.devices:
        positions = [ids.index(str(e.id)) for e in device.plan]
        assert positions == sorted(positions), f"{device.engineer_id}'s actions were stored out of order"
        for event in device.plan:
            stored = by_id[str(event.id)]
            assert stored.device_time == event.device_time, "the device time was not kept"
            assert stored.actor == device.engineer_id
            want = refused.get(str(event.id))
            if want:
                assert (stored.outcome, stored.reason_code) == (Outcome.rejected, want)
            else:
                assert stored.outcome is Outcome.applied, (stored.reason_code, stored.reason)
        entries = {e.event_id: e for e in device.store.entries(crew.assignment_id)}
        for event in device.plan:
            entry = entries[str(event.id)]
            expected_state = Delivery.refused if str(event.id) in refused else Delivery.sent
            assert entry.state is expected_state, (entry.state, entry.reason_code, entry.last_error)


def new_id() -> str:
    return str(uuid.uuid4())
