from api_client.rules.geofence import ArrivalCheck, verify_arrival

SITE = (35.681236, 139.767125)


def test_at_the_site_is_verified():
    v = verify_arrival((35.6813, 139.7672, 5.0), SITE, 300)
    assert v.verified and v.distance_m < 20


def test_far_away_is_unverified_with_distance():
    v = verify_arrival((35.6586, 139.7454, 5.0), SITE, 300)  # Tokyo Tower, ~3 km
    assert v.check is ArrivalCheck.too_far and 2500 < v.distance_m < 3500


def test_reported_accuracy_widens_the_radius_but_only_so_far():
    just_out = (35.6812 + 0.0032, 139.767125, None)  # ~350 m north
    assert not verify_arrival(just_out, SITE, 300).verified
    assert verify_arrival((*just_out[:2], 80.0), SITE, 300).verified
    assert not verify_arrival((35.70, 139.77, 50_000.0), SITE, 300).verified


def test_no_position_or_unlocated_site():
    assert verify_arrival(None, SITE, 300).check is ArrivalCheck.no_position
    assert verify_arrival((35.0, 139.0, None), (None, None), 300).check is ArrivalCheck.site_unlocated
