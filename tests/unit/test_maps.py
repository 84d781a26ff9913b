import pytest

from api_client.maps import MapsUrlError, directions_url, parse_maps_url


@pytest.mark.parametrize(
    ("url", "lat", "lng"),
    [
        ("https://www.google.com/maps/place/Tokyo+Station/@35.6812362,139.7645499,17z", 35.6812362, 139.7645499),
        # the pin (!3d!4d) wins over the viewport centre (@)
        (
            "https://www.google.com/maps/place/X/@35.0,139.0,17z/data=!3m1!4b1!4m6!3m5!8m2!3d35.6812!4d139.7671",
            35.6812,
            139.7671,
        ),
        ("https://www.google.com/maps?q=34.7025,135.4959", 34.7025, 135.4959),
        ("https://maps.google.com/?q=-33.8568,151.2153", -33.8568, 151.2153),
        ("https://www.google.com/maps/search/?api=1&query=35.6797%2C139.7649", 35.6797, 139.7649),
        ("https://www.google.com/maps/dir/?api=1&destination=34.6386,135.4180", 34.6386, 135.4180),
        ("https://www.google.co.jp/maps/@35.1,139.2,15z", 35.1, 139.2),
        ("https://www.google.com/maps?ll=35.5,139.5", 35.5, 139.5),
    ],
)
def test_coordinates_are_extracted_from_every_common_form(url, lat, lng):
    point = parse_maps_url(url)
    assert (point.latitude, point.longitude) == (lat, lng)
    assert not point.short_link


@pytest.mark.parametrize("url", ["https://maps.app.goo.gl/5xYz9AbCdEfGhIjK7", "https://goo.gl/maps/abc123"])
def test_short_links_are_accepted_but_unresolved(url):
    point = parse_maps_url(url)
    assert point.short_link and not point.has_coordinates


def test_address_query_is_accepted_without_coordinates():
    point = parse_maps_url("https://www.google.com/maps/search/?api=1&query=Tokyo+Tower")
    assert point.latitude is None and not point.short_link


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("www.google.com/maps?q=1,2", "http"),
        ("https://www.bing.com/maps?q=35,139", "not Google Maps"),
        ("https://www.google.com/search?q=35,139", "not a Maps link"),
        ("https://goo.gl/abc", "goo.gl/maps"),
        ("https://evilgoogle.com/maps?q=1,2", "not Google Maps"),
    ],
)
def test_non_maps_urls_are_refused_with_the_reason(url, reason):
    with pytest.raises(MapsUrlError, match=reason):
        parse_maps_url(url)


def test_out_of_range_coordinates_are_ignored():
    assert parse_maps_url("https://www.google.com/maps?q=95.0,139.0").latitude is None


def test_directions_link_prefers_coordinates():
    assert directions_url(35.1, 139.2, "x").endswith("destination=35.1%2C139.2")
    assert directions_url(None, None, "1-1 Minatomirai").endswith("destination=1-1%20Minatomirai")
