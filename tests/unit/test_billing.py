from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api_client.rate_card import EXAMPLE_RATE_CARD as CARD
from api_client.request import SkillLevel
from api_client.rules.billing import (
    ReservationPhase,
    VisitOutcome,
    bill,
    is_expedited,
    overtime_minutes,
    reservation_phase,
    round_up,
)

SENIOR = CARD.hourly_rates[SkillLevel.senior]  # 12000 JPY/h in the EXAMPLE card
OT_RATE = SENIOR * CARD.overtime_multiplier  # 18000 JPY/h


def completed(reserved, grace, on_site, *, engineers=1, skill=SkillLevel.senior, expedited=False, retainer=False):
    return bill(
        skill_level=skill,
        engineer_count=engineers,
        reserved_hours=Decimal(str(reserved)),
        grace_minutes=grace,
        outcome=VisitOutcome.completed,
        on_site=on_site,
        expedited=expedited,
        retainer_sla=retainer,
        card=CARD,
    )


def test_exactly_two_hours_is_two_hours():
    b = completed(2, 0, timedelta(hours=2))
    assert b.charged_hours == 2 and b.total == 2 * SENIOR and b.overtime_minutes == 0


def test_under_the_minimum_is_charged_two_hours():
    b = completed(1, 0, timedelta(minutes=40))
    assert b.charged_hours == 2 and b.total == 2 * SENIOR
    assert any("2-hour minimum" in n for n in b.notes)


def test_short_visit_still_charges_the_full_reservation():
    assert completed(4, 0, timedelta(minutes=10)).total == 4 * SENIOR


@pytest.mark.parametrize(
    ("reserved", "grace", "on_site", "over", "billed"),
    [
        (2, 30, timedelta(hours=2, minutes=30), 0, 0),  # default reservation: grace fully used, no overtime
        (2, 30, timedelta(hours=2, minutes=30, seconds=1), 1, 15),  # one second past grace
        (3, 0, timedelta(hours=3, seconds=1), 1, 15),  # explicit reservation: no grace
        (3, 0, timedelta(hours=3, minutes=15), 15, 15),  # exactly one increment
        (3, 0, timedelta(hours=3, minutes=15, seconds=1), 16, 30),  # just past an increment
        (3, 15, timedelta(hours=3, minutes=44), 29, 30),
        (1, 0, timedelta(hours=2, minutes=1), 1, 15),  # the 2-hour minimum lifts the overtime threshold too
    ],
)
def test_overtime_past_reservation_and_grace_rounds_up(reserved, grace, on_site, over, billed):
    b = completed(reserved, grace, on_site)
    assert (b.overtime_minutes, b.overtime_billed_minutes) == (over, billed)
    expected_ot = OT_RATE * billed / 60
    assert b.total == max(Decimal(reserved), Decimal(2)) * SENIOR + expected_ot


def test_overtime_line_is_at_the_higher_rate():
    b = completed(2, 0, timedelta(hours=2, minutes=10))
    line = next(line for line in b.lines if line.code == "overtime")
    assert line.unit_price == OT_RATE and line.amount == Decimal(4500)


def test_crew_is_charged_per_engineer():
    b = completed(3, 0, timedelta(hours=3, minutes=20), engineers=2)
    assert b.total == 2 * (3 * SENIOR + OT_RATE * 30 / 60)


def test_rate_follows_skill_level():
    assert completed(2, 0, timedelta(hours=1), skill=SkillLevel.specialist).total == 2 * Decimal(18000)
    assert completed(2, 0, timedelta(hours=1), skill=SkillLevel.entry).total == 2 * Decimal(8000)


def test_unable_to_enter_charges_full_reservation():
    b = bill(
        skill_level=SkillLevel.senior,
        engineer_count=1,
        reserved_hours=Decimal(3),
        grace_minutes=0,
        outcome=VisitOutcome.unable_to_enter,
        on_site=timedelta(minutes=5),
        expedited=False,
        retainer_sla=False,
        card=CARD,
    )
    assert b.total == 3 * SENIOR and b.overtime_minutes == 0 and b.lines[0].description.startswith("Unable")


def test_expedite_fee_without_retainer():
    b = completed(2, 0, timedelta(hours=1), expedited=True, retainer=False)
    assert b.total == 2 * SENIOR + CARD.expedite_fee


def test_no_expedite_fee_with_retainer_sla():
    b = completed(2, 0, timedelta(hours=1), expedited=True, retainer=True)
    assert b.total == 2 * SENIOR and any("retainer" in n for n in b.notes)


def test_cancelled_visit_has_no_on_site_charge():
    b = bill(
        skill_level=SkillLevel.senior,
        engineer_count=1,
        reserved_hours=Decimal(2),
        grace_minutes=30,
        outcome=VisitOutcome.cancelled,
        on_site=None,
        expedited=False,
        retainer_sla=False,
        card=CARD,
    )
    assert b.total == 0


def test_expedited_by_lead_time_or_class_4():
    start = datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert is_expedited(start - timedelta(hours=47), start, 1, CARD)
    assert not is_expedited(start - timedelta(hours=48), start, 1, CARD)
    assert is_expedited(start - timedelta(days=30), start, 4, CARD)


@pytest.mark.parametrize(
    ("minutes", "phase"),
    [
        (100, ReservationPhase.within),
        (105, ReservationPhase.ending_soon),
        (120, ReservationPhase.ending_soon),
        (121, ReservationPhase.grace),
        (150, ReservationPhase.grace),
        (151, ReservationPhase.overtime),
    ],
)
def test_reservation_phase_warns_before_the_end(minutes, phase):
    assert reservation_phase(timedelta(minutes=minutes), Decimal(2), 30, 15) is phase


def test_rounding_helpers():
    assert round_up(0, 15) == 0 and round_up(1, 15) == 15 and round_up(15, 15) == 15
    assert overtime_minutes(timedelta(hours=2), Decimal(2), 0) == 0


@given(st.integers(0, 12 * 3600), st.integers(0, 600), st.sampled_from([1, 2, 2.5, 3, 8]), st.integers(0, 60))
def test_total_never_decreases_with_more_time_and_never_below_minimum(secs, more, reserved, grace):
    a = completed(reserved, grace, timedelta(seconds=secs))
    b = completed(reserved, grace, timedelta(seconds=secs + more))
    assert b.total >= a.total >= 2 * SENIOR
    assert a.overtime_billed_minutes % CARD.overtime_increment_minutes == 0
