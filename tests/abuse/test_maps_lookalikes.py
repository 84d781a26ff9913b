"""The Maps check is an exact allowlist: lookalike hosts are refused, http is upgraded, and the app opens only
a link that passed the check (or one it builds from the coordinates)."""

from __future__ import annotations

import pytest

from api_client.maps import MapsUrlError, link_to_open, parse_maps_url

Q = "/maps?q=35.68,139.76"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.google.com.attacker.net{Q}",
        f"https://www.google.com.evil{Q}",
        f"https://google.com.example.org{Q}",
        f"https://maps.google.attacker.com{Q}",
        f"https://google.evil.com{Q}",
        f"https://www.google.zz{Q}",
        f"https://www.google.xyz{Q}",
        f"https://www.google.co.attacker{Q}",
        f"https://maps.www.google.com{Q}",
        f"https://evil.www.google.com{Q}",
        f"https://www.googIe.com{Q}",  # capital I for l
        f"https://www.google.com@evil.example{Q}",
        f"https://user:pw@www.google.com{Q}",
        f"https://www.google.com:8443{Q}",
        f"https://www.google.com.{Q}",
        "https://goo.gl/mapsevil/abc",
        "https://goo.gl.evil.com/maps/abc",
        "https://maps.app.goo.gl.evil.com/abc",
        "javascript:alert(1)//www.google.com/maps",
        "ftp://www.google.com/maps?q=1,2",
        "//www.google.com/maps?q=1,2",
    ],
)
def test_lookalike_hosts_and_other_schemes_are_refused(url: str):
    with pytest.raises(MapsUrlError):
        parse_maps_url(url)


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.google.com{Q}",
        f"https://google.co.jp{Q}",
        f"https://www.google.com.au{Q}",
        f"https://maps.google.de{Q}",
        f"https://MAPS.GOOGLE.CO.UK{Q}",
        "https://maps.app.goo.gl/AbCdEf",
        "https://goo.gl/maps/AbCdEf",
    ],
)
def test_google_maps_hosts_are_accepted(url: str):
    assert parse_maps_url(url).url.startswith("https://")


def test_http_is_upgraded_to_https():
    point = parse_maps_url(f"http://www.google.co.jp{Q}")
    assert point.url == f"https://www.google.co.jp{Q}" and point.latitude == 35.68


def test_the_app_never_opens_an_unchecked_link():
    bad = link_to_open(f"https://www.google.com.attacker.net{Q}", 35.0, 139.0, "Somewhere")
    assert bad.url.startswith("https://www.google.com/maps/dir/?api=1&destination=35.0%2C139.0")
    assert link_to_open(f"http://maps.google.com{Q}", None, None, "x").url == f"https://maps.google.com{Q}"
