"""Geofenced arrival: compare the device position with the site. Never blocks an arrival — an arrival
far away or without a position is still recorded, only flagged as unverified with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ArrivalCheck(StrEnum):
    verified = "verified"
    no_position = "no_position"
    site_unlocated = "site_unlocated"  # the Maps link carried no coordinates
    too_far = "too_far"


@dataclass(frozen=True)
class ArrivalVerification:
    check: ArrivalCheck
    distance_m: float | None

    @property
    def verified(self) -> bool:
        return self.check is ArrivalCheck.verified


def verify_arrival(
    position: tuple[float, float, float | None] | None,
    site: tuple[float | None, float | None],
    radius_m: float,
) -> ArrivalVerification:
    """position = (lat, lng, accuracy_m or None). The reported accuracy widens the radius: a fix that
    says "within 80 m" 350 m away may still be at the door."""
    if position is None:
        return ArrivalVerification(ArrivalCheck.no_position, None)
    lat, lng = site
    if lat is None or lng is None:
        return ArrivalVerification(ArrivalCheck.site_unlocated, None)
    # Imported here: `geopy` pulls in its geocoders and `requests` (~0.5 s), which the app's first frame need not wait
    # for (the app loads it in the background after that frame).
    from geopy.distance import geodesic

    distance = geodesic((position[0], position[1]), (lat, lng)).meters
    slack = min(position[2] or 0.0, radius_m)  # do not let a wild accuracy verify anything
    check = ArrivalCheck.verified if distance <= radius_m + slack else ArrivalCheck.too_far
    return ArrivalVerification(check, round(distance, 1))
