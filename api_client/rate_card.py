"""The rate card: contract configuration, not code.

The service loads it from a JSON file (settings.rate_card_path); the app receives it from the service so
its live estimate and the invoice use the same numbers. EXAMPLE_RATE_CARD is an example only.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import Field

from ._base import RequestModel
from .request import SkillLevel


class RateCard(RequestModel):
    label: str = Field(description="Where these numbers come from, e.g. 'Contract 2026-A' or 'EXAMPLE'")
    currency: str = Field(min_length=3, max_length=3)
    minor_units: int = Field(default=0, ge=0, le=3, description="Decimal places of the currency (JPY 0)")
    hourly_rates: dict[SkillLevel, Decimal] = Field(description="Per engineer per hour, by skill level")
    overtime_multiplier: Decimal = Field(ge=1, le=5)
    overtime_increment_minutes: int = Field(ge=1, le=120, description="Overtime is rounded up to this")
    expedite_fee: Decimal = Field(ge=0)
    expedite_lead_hours: int = Field(ge=0, le=720, description="A request made with less lead time is expedited")
    warn_before_minutes: int = Field(
        default=15, ge=0, le=240, description="Warn the engineer this long before the reservation ends"
    )
    arrival_radius_m: int = Field(
        default=300, ge=10, le=50_000, description="An arrival farther than this from the site is unverified"
    )
    arrival_window_before_minutes: int = Field(
        default=180, ge=0, le=7 * 24 * 60, description="An arrival is accepted from this long before the visit start"
    )
    arrival_window_after_minutes: int = Field(
        default=12 * 60, ge=0, le=7 * 24 * 60, description="... until this long after the visit start"
    )
    overtime_review_after_minutes: int = Field(
        default=240,
        ge=0,
        le=7 * 24 * 60,
        description="Overtime beyond this is held for the dispatcher's review instead of billed",
    )

    def rate(self, level: SkillLevel) -> Decimal:
        try:
            return self.hourly_rates[level]
        except KeyError as exc:
            raise ValueError(f"rate card {self.label!r} has no hourly rate for skill level {level}") from exc

    @classmethod
    def load(cls, path: Path) -> RateCard:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))


EXAMPLE_RATE_CARD = RateCard(
    label="EXAMPLE rates — replace with the contract's rate card",  # = catalog "rate_card.example_label" (EN)
    currency="JPY",
    minor_units=0,
    hourly_rates={
        SkillLevel.entry: Decimal(8000),
        SkillLevel.senior: Decimal(12000),
        SkillLevel.specialist: Decimal(18000),
    },
    overtime_multiplier=Decimal("1.5"),
    overtime_increment_minutes=15,
    expedite_fee=Decimal(30000),
    expedite_lead_hours=48,
    warn_before_minutes=15,
    arrival_radius_m=300,
    arrival_window_before_minutes=180,
    arrival_window_after_minutes=720,
    overtime_review_after_minutes=240,
)
