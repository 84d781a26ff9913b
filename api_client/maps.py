"""Google Maps URLs: recognise them and pull out the destination point when the URL carries one.

The ordering party must give "the Google Maps URL of the exact destination point". We accept every
common form; coordinates are extracted in order of precision:

1. ``!3d<lat>!4d<lng>`` in the data segment — the dropped pin itself;
2. ``q=`` / ``query=`` / ``destination=`` / ``daddr=`` / ``ll=`` query parameters holding ``lat,lng``;
3. ``@<lat>,<lng>`` in the path — only the viewport centre, used when nothing better is present.

Short links (``maps.app.goo.gl/...``, ``goo.gl/maps/...``) are accepted but left unresolved: resolving them
needs the network, and the phone may have none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

_PIN = re.compile(r"!3d(-?\d+(?:\.\d+)?)!4d(-?\d+(?:\.\d+)?)")
_AT = re.compile(r"@(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")
_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
_COORD_PARAMS = ("q", "query", "destination", "daddr", "ll")
_SHORT_HOSTS = {"maps.app.goo.gl", "goo.gl"}


class MapsUrlError(ValueError):
    """The text is not a Google Maps URL we can use; the message says why."""


@dataclass(frozen=True)
class MapsPoint:
    url: str
    latitude: float | None
    longitude: float | None
    short_link: bool

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _is_google_host(host: str) -> bool:
    # google.com, google.co.jp, maps.google.de, www.google.com.au ...
    labels = host.split(".")
    return "google" in labels[:-1] and (labels[0] in {"google", "www", "maps"})


def _pair(lat: str, lng: str) -> tuple[float, float] | None:
    la, lo = float(lat), float(lng)
    if -90 <= la <= 90 and -180 <= lo <= 180:
        return la, lo
    return None


def parse_maps_url(url: str) -> MapsPoint:
    """Recognise a Google Maps URL and extract its destination coordinates when present.

    Raises MapsUrlError when the URL is not an https Google Maps link.
    """
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise MapsUrlError("must be an http(s) URL from Google Maps")
    host = parts.hostname or ""
    if host in _SHORT_HOSTS:
        if host == "goo.gl" and not parts.path.startswith("/maps"):
            raise MapsUrlError("goo.gl links must be Google Maps links (goo.gl/maps/...)")
        return MapsPoint(text, None, None, short_link=True)
    if not _is_google_host(host):
        raise MapsUrlError(f"host {host!r} is not Google Maps")
    if not (host.startswith("maps.") or parts.path.startswith("/maps")):
        raise MapsUrlError("Google URL is not a Maps link (expected /maps/...)")

    path = unquote(parts.path)
    if (m := _PIN.search(path) or _PIN.search(unquote(parts.query))) and (found := _pair(*m.groups())):
        return MapsPoint(text, *found, short_link=False)
    query = parse_qs(parts.query)
    for name in _COORD_PARAMS:
        for value in query.get(name, []):
            if (m := _PAIR.match(value)) and (found := _pair(*m.groups())):
                return MapsPoint(text, *found, short_link=False)
    if (m := _AT.search(path)) and (found := _pair(*m.groups())):
        return MapsPoint(text, *found, short_link=False)
    return MapsPoint(text, None, None, short_link=False)


def directions_url(latitude: float | None, longitude: float | None, address: str) -> str:
    """A Google Maps directions link to the site: coordinates when known, else the address text."""
    from urllib.parse import quote

    dest = f"{latitude},{longitude}" if latitude is not None and longitude is not None else address
    return f"https://www.google.com/maps/dir/?api=1&destination={quote(dest)}"
