"""Nothing lost, nothing billed wrong: the app's real device store and sync against real services on 127.0.0.1,
under the faults of the field. Every scenario is seeded and bounded in time, and checks the same invariants
(`crew.assert_trust_chain`): each action stored exactly once, in each device's order, with its device time,
and the bill equal to a fault-free run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from api_client import DispatchClient
from api_client.clock import FixedClock, RunningClock
from api_client.events import ArriveEvent, LogEvent, Outcome, StartWorkEvent
from field_app.device_store import Delivery, DeviceStore
from tests.clock import clock
from tests.conftest import DISPATCHER_TOKEN, LiveService, free_port, start_service
from tests.factories import request_data
from tests.faults.crew import (
    Crew,
    assert_trust_chain,
    drive,
    expected_bill,
    hire_crew,
    pending,
    plan_visit,
    push_once,
    sign_off,
)
from tests.faults.proxy import LossyProxy
from tests.postgres import Cluster, postgres_cluster

ROOT = Path(__file__).resolve().parents[2]
BACK_IN_SIGNAL = timedelta(hours=4)  # when the crew syncs, by the server's clock, after the approval
SIGN_OFF_AFTER = timedelta(hours=2, minutes=50)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with postgres_cluster() as c:
        yield c


def assert_bill_as_fault_free(url: str, crew: Crew, received_sign_off) -> None:
    with DispatchClient(url, DISPATCHER_TOKEN) as desk:
        bill = desk.bill(crew.assignment_id)
    want = expected_bill(crew, received_sign_off)
    assert (bill.total, bill.on_site_minutes, bill.overtime_billed_minutes) == (
        want.total,
        want.on_site_minutes,
        want.overtime_billed_minutes,
    )
    assert [line.code for line in bill.lines] == [line.code for line in want.lines]
    assert bill.overtime_billed_minutes > 0  # the plan runs past the reservation: the bill is not trivial


def crew_visit(services: list[LiveService], service_clock: FixedClock, tmp: Path, seed: int) -> None:
    rng = random.Random(seed)
    crew = hire_crew(services[0].url, tmp, 4, [s.url for s in services], clock=service_clock)
    plan_visit(crew, rng, logs_each=30)
    service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
    drive(crew.devices, rng)
    sign_off(crew, SIGN_OFF_AFTER)
    drive([crew.lead], rng)
    assert_trust_chain(services[1].url, crew)
    assert_bill_as_fault_free(services[0].url, crew, service_clock())


@pytest.mark.parametrize("seed", [7, 11])
def test_a_crew_of_four_on_two_instances_over_one_sqlite_file(tmp_path: Path, seed: int) -> None:
    service_clock = FixedClock(clock())
    db = tmp_path / "shared.sqlite3"
    services = [start_service(db, clock=service_clock, mail_spool_dir=tmp_path / "mail") for _ in range(2)]
    try:
        crew_visit(services, service_clock, tmp_path, seed)
    finally:
        for s in services:
            s.stop()


def test_a_crew_of_four_on_two_instances_over_one_postgresql(tmp_path: Path, cluster: Cluster) -> None:
    service_clock = FixedClock(clock())
    url = cluster.new_database()
    services = [
        start_service(tmp_path / "unused", database_url=url, clock=service_clock, mail_spool_dir=tmp_path / "mail")
        for _ in range(2)
    ]
    try:
        crew_visit(services, service_clock, tmp_path, seed=23)
    finally:
        for s in services:
            s.stop()


def test_answers_lost_after_the_commit_are_resent_and_stored_once(tmp_path: Path) -> None:
    service_clock = FixedClock(clock())
    service = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    proxy = LossyProxy(int(service.url.rsplit(":", 1)[1]), lose=0.35, seed=5)
    try:
        rng = random.Random(5)
        crew = hire_crew(service.url, tmp_path, 2, [proxy.url], clock=service_clock)
        plan_visit(crew, rng, logs_each=40)
        service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
        drive(crew.devices, rng)
        sign_off(crew, SIGN_OFF_AFTER)
        drive([crew.lead], rng)
        assert proxy.lost >= 3  # the fault really happened, several times
        assert_trust_chain(service.url, crew)
        assert_bill_as_fault_free(service.url, crew, service_clock())
    finally:
        proxy.stop()
        service.stop()


def test_the_same_batch_from_two_threads_is_stored_once(tmp_path: Path) -> None:
    service_clock = FixedClock(clock())
    service = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    try:
        crew = hire_crew(service.url, tmp_path, 1, [service.url], clock=service_clock)
        plan_visit(crew, random.Random(3), logs_each=150)
        service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
        bodies = [e.model_dump(mode="json") for e in crew.lead.plan]
        answers: list[list[Outcome]] = []
        barrier = threading.Barrier(2)

        def deliver() -> None:
            with DispatchClient(service.url, crew.lead.token) as c:
                barrier.wait()
                answers.append([r.outcome for r in c.send_events(bodies).results])

        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert len(answers) == 2  # neither got a server error
        for first, second in zip(*answers, strict=True):
            assert {first, second} == {Outcome.applied, Outcome.duplicate}
        for event in crew.lead.plan:
            crew.lead.store.enqueue(event)
        assert push_once(crew.lead)  # the device's own delivery later finds them all stored
        assert_trust_chain(service.url, crew)
    finally:
        service.stop()


def test_the_app_killed_between_send_and_ack_delivers_exactly_once(tmp_path: Path) -> None:
    service_clock = FixedClock(clock())
    service = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    try:
        crew = hire_crew(service.url, tmp_path, 1, [service.url], clock=service_clock)
        plan_visit(crew, random.Random(9), logs_each=20)
        service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
        device = crew.lead
        for event in device.plan:
            device.store.enqueue(event)
        batch = device.store.take_batch(limit=10)
        with DispatchClient(service.url, device.token) as c:
            assert all(r.outcome is Outcome.applied for r in c.send_events([e.body for e in batch]).results)
        path = device.store.path
        device.store.close()  # killed before the answer was recorded
        device.store = DeviceStore(path)  # the app starts again: in-flight entries are pending once more
        assert pending(device) == len(device.plan)
        assert push_once(device)
        assert_trust_chain(service.url, crew)
    finally:
        service.stop()


def test_a_poisoned_event_in_the_middle_of_the_queue_blocks_nothing(tmp_path: Path) -> None:
    service_clock = FixedClock(clock())
    service = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    try:
        crew = hire_crew(service.url, tmp_path, 1, [service.url], clock=service_clock)
        plan_visit(crew, random.Random(4), logs_each=10)
        service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
        device = crew.lead
        at = device.plan[5].device_time
        poison = ArriveEvent(assignment_id=crew.assignment_id, device_time=at, location_id="NOWHERE")
        device.plan.insert(6, poison)
        drive([device], random.Random(4))
        assert_trust_chain(service.url, crew, refused={str(poison.id): "unknown_location"})
        entry = next(e for e in device.store.entries() if e.event_id == str(poison.id))
        assert "NOWHERE" in entry.reason  # the refusal names what was wrong, for the engineer to see
    finally:
        service.stop()


def test_a_server_failure_on_one_event_holds_only_that_visit_and_heals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug on one event must not block the device: the event shows as stuck (kept, retried), the visit's later
    events wait so its order holds, and another visit's events go through. When the fault is gone, it drains."""
    import dispatch.ingest

    service_clock = FixedClock(clock())
    service = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    try:
        crew = hire_crew(service.url, tmp_path, 1, [service.url], clock=service_clock)
        device = crew.lead
        with DispatchClient(service.url, DISPATCHER_TOKEN) as desk:  # the same engineer's next job
            next_job = desk.create_assignment(request_data(title="Next job"))
            desk.propose(next_job.id, [device.engineer_id])
            desk.approve(next_job.id, "Pat Lee")
        plan_visit(crew, random.Random(2), logs_each=6)
        service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
        poisoned = device.plan[3]
        elsewhere = ArriveEvent(assignment_id=next_job.id, device_time=device.plan[-1].device_time)
        real_apply = dispatch.ingest.apply

        def failing_apply(state, request, event, **kw):  # type: ignore[no-untyped-def]
            if event.id == poisoned.id:
                raise RuntimeError("injected fault")
            return real_apply(state, request, event, **kw)

        monkeypatch.setattr(dispatch.ingest, "apply", failing_apply)
        for event in [*device.plan, elsewhere]:
            device.store.enqueue(event)
        assert push_once(device)
        entries = {e.event_id: e for e in device.store.entries()}
        assert entries[str(elsewhere.id)].state is Delivery.sent  # another visit is not held up
        assert entries[str(poisoned.id)].stuck and entries[str(poisoned.id)].state is Delivery.pending
        assert all(entries[str(e.id)].state is Delivery.sent for e in device.plan[:3])
        assert all(entries[str(e.id)].state is Delivery.pending for e in device.plan[4:])  # waiting, in order
        monkeypatch.setattr(dispatch.ingest, "apply", real_apply)
        assert push_once(device)
        assert_trust_chain(service.url, crew)
    finally:
        service.stop()


# -- the service killed mid-batch (a real process, SIGKILL) --------------------------------------------------
def _serve(db: Path, port: int, start) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "FIELD_DISPATCH_DATABASE_URL": f"sqlite:///{db}",
        "FIELD_DISPATCH_DISPATCHER_TOKEN": DISPATCHER_TOKEN,
        "FIELD_DISPATCH_MAIL_SPOOL_DIR": str(db.parent / "mail"),
        "FIELD_DISPATCH_BADGE_SECRET": "fault-suite-badge-secret-0123456789",
        "FIELD_CLOCK_START": start.isoformat(),
    }
    cmd = [sys.executable, "-m", "dispatch.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the service did not start")


def test_the_service_killed_mid_batch_and_restarted_loses_nothing(tmp_path: Path) -> None:
    db, port = tmp_path / "d.sqlite3", free_port()
    start = clock()
    proc = _serve(db, port, start)
    url = f"http://127.0.0.1:{port}"
    try:
        rng = random.Random(13)
        crew = hire_crew(url, tmp_path, 2, [url])
        plan_visit(crew, rng, logs_each=400)
        proc.terminate()
        proc.wait(timeout=20)
        back = crew.approved_at + BACK_IN_SIGNAL
        proc = _serve(db, port, back)  # the crew is back in signal
        for device in crew.devices:
            device.clock = RunningClock(back)  # and their phones keep the service's time
        for device in crew.devices:
            for event in device.plan:
                device.store.enqueue(event)
        killer_done = threading.Event()

        def kill_mid_batch() -> None:
            time.sleep(rng.uniform(0.05, 0.25))
            os.kill(proc.pid, signal.SIGKILL)
            killer_done.set()

        threading.Thread(target=kill_mid_batch).start()
        pushes = [threading.Thread(target=push_once, args=(d,)) for d in crew.devices]
        for t in pushes:
            t.start()
        for t in pushes:
            t.join(timeout=60)
        assert killer_done.wait(10)
        proc.wait(timeout=10)
        assert any(pending(d) for d in crew.devices)  # the kill really cut the delivery short
        proc = _serve(db, port, crew.approved_at + BACK_IN_SIGNAL + timedelta(minutes=1))
        drive(crew.devices, rng)
        sign_off(crew, SIGN_OFF_AFTER)
        drive([crew.lead], rng)
        assert_trust_chain(url, crew)
        assert db.stat().st_size > 0  # `serve` used FIELD_DISPATCH_DATABASE_URL, not its own default file
        with DispatchClient(url, DISPATCHER_TOKEN) as desk:
            received = next(e.received_at for e in desk.events(crew.assignment_id) if e.kind == "sign_off")
        assert_bill_as_fault_free(url, crew, received)
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_a_restarted_crew_member_and_a_late_one_still_agree(tmp_path: Path) -> None:
    """An engineer offline for the whole visit syncs last: their earlier-dated actions are still applied."""
    service_clock = FixedClock(clock())
    service = start_service(tmp_path / "d.sqlite3", clock=service_clock, mail_spool_dir=tmp_path / "mail")
    try:
        rng = random.Random(17)
        crew = hire_crew(service.url, tmp_path, 2, [service.url], clock=service_clock)
        plan_visit(crew, rng, logs_each=15)
        service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
        online, offline = crew.devices
        online.plan.append(
            LogEvent(
                assignment_id=crew.assignment_id,
                device_time=crew.approved_at + timedelta(hours=2),
                text="late entry from the online phone",
            )
        )
        drive([online], rng)
        drive([offline], rng)  # its entries are dated before the online phone's last one
        assert_trust_chain(service.url, crew)
        assert not any(isinstance(e, StartWorkEvent) for e in offline.plan)
    finally:
        service.stop()


def test_the_report_of_a_sign_off_survives_a_restart_before_it_was_made(tmp_path: Path) -> None:
    """The report and the mails are jobs written with the sign-off: a service that stops before making them
    leaves them in the table, and the next instance makes them."""
    service_clock = FixedClock(clock())
    db = tmp_path / "d.sqlite3"
    service = start_service(db, clock=service_clock)
    service.store.jobs.stop()  # this instance will never make the report: it goes down right after answering
    crew = hire_crew(service.url, tmp_path, 1, [service.url], clock=service_clock)
    plan_visit(crew, random.Random(8), logs_each=3)
    service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
    sign_off(crew, SIGN_OFF_AFTER)
    for event in crew.lead.plan:
        crew.lead.store.enqueue(event)
    assert push_once(crew.lead)
    assert service.store.jobs.pending() == 4  # the proposal and approval mails, the arrival mail and the report
    service.stop()
    restarted = start_service(db, clock=service_clock)
    try:
        restarted.settle()
        with DispatchClient(restarted.url, DISPATCHER_TOKEN) as desk:
            assert len(desk.report(crew.assignment_id).sha256) == 64
            assert [n.kind for n in desk.notifications(crew.assignment_id)].count("sign_off") == 1
    finally:
        restarted.stop()


def test_a_held_event_holds_its_visit_across_the_batches_of_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The device splits a backlog into several requests; when the server holds the first event of a visit, the
    visit's events in later requests of the same pass must wait too, or they would be refused for good."""
    import dispatch.ingest
    import field_app.sync

    service_clock = FixedClock(clock())
    service = start_service(tmp_path / "d.sqlite3", clock=service_clock)
    try:
        crew = hire_crew(service.url, tmp_path, 1, [service.url], clock=service_clock)
        plan_visit(crew, random.Random(6), logs_each=6)
        service_clock.set(crew.approved_at + BACK_IN_SIGNAL)
        device, arrival = crew.lead, crew.lead.plan[0]
        real_apply = dispatch.ingest.apply

        def failing_apply(state, request, event, **kw):  # type: ignore[no-untyped-def]
            if event.id == arrival.id:
                raise RuntimeError("injected fault")
            return real_apply(state, request, event, **kw)

        monkeypatch.setattr(field_app.sync, "BATCH", 2)  # several requests per pass
        monkeypatch.setattr(dispatch.ingest, "apply", failing_apply)
        for event in device.plan:
            device.store.enqueue(event)
        assert push_once(device)
        assert device.store.counts()[Delivery.refused] == 0  # nothing after the held arrival was refused
        assert pending(device) == len(device.plan)
        monkeypatch.setattr(dispatch.ingest, "apply", real_apply)
        assert push_once(device)
        assert_trust_chain(service.url, crew)
    finally:
        service.stop()
