"""Google Maps URLs: recognise them and pull out the destination point when the URL carries one.

The ordering party must give "the Google Maps URL of the exact destination point". We accept every
common form; coordinates are extracted in order of precision:

1. ``!3d<lat>!4d<lng>`` in the data segment — the dropped pin itself;
2. ``q=`` / ``query=`` / ``destination=`` / ``daddr=`` / ``ll=`` query parameters holding ``lat,lng``;
3. ``@<lat>,<lng>`` in the path — only the viewport centre, used when nothing better is present.

Short links (``maps.app.goo.gl/...``, ``goo.gl/maps/...``) are accepted but left unresolved: resolving them
needs the network, and the phone may have none.

Hosts are checked against an exact allowlist (the app opens these links, so a lookalike such as
``www.google.com.example.net`` must never pass): Google's own country domains (google.com, google.co.jp,
google.com.au ... — the list Google publishes as its search domains), bare or with ``www.`` / ``maps.``, plus
``maps.app.goo.gl`` and ``goo.gl/maps/...``. No user info, no port. ``http://`` links to an allowed host are
*upgraded* to ``https://`` (``MapsPoint.url`` is the https form, and that is what gets stored); any other scheme
is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

_PIN = re.compile(r"!3d(-?\d+(?:\.\d+)?)!4d(-?\d+(?:\.\d+)?)")
_AT = re.compile(r"@(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")
_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
_COORD_PARAMS = ("q", "query", "destination", "daddr", "ll")
_SHORT_HOSTS = {"maps.app.goo.gl", "goo.gl"}
# The suffixes after "google." of Google's country domains (its published list of search domains).
_SUFFIX_TEXT = """
ad ae al am as at az ba be bf bg bi bj bs bt by ca cat cd cf cg ch ci cl cm cn co.ao co.bw co.ck co.cr co.id
co.il co.in co.jp co.ke co.kr co.ls co.ma co.mz co.nz co.th co.tz co.ug co.uk co.uz co.ve co.vi co.za co.zm
co.zw com com.af com.ag com.ai com.ar com.au com.bd com.bh com.bn com.bo com.br com.bz com.co com.cu com.cy
com.do com.ec com.eg com.et com.fj com.gh com.gi com.gt com.hk com.jm com.kh com.kw com.lb com.ly com.mm com.mt
com.mx com.my com.na com.ng com.ni com.np com.om com.pa com.pe com.pg com.ph com.pk com.pr com.py com.qa com.sa
com.sb com.sg com.sl com.sv com.tj com.tr com.tw com.ua com.uy com.vc com.vn cv cz de dj dk dm dz ee es fi fm fr
ga ge gg gl gm gr gy hn hr ht hu ie im iq is it je jo kg ki kz la li lk lt lu lv md me mg mk ml mn ms mu mv mw
ne nl no nr nu pl pn ps pt ro rs ru rw sc se sh si sk sm sn so sr st td tg tl tm tn to tt vg vu ws
"""
GOOGLE_SUFFIXES = frozenset(_SUFFIX_TEXT.split())


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


def is_google_host(host: str) -> bool:
    """google.<country domain>, optionally prefixed by exactly one of www. / maps. — nothing else."""
    host = host.lower()
    for prefix in ("www.", "maps."):
        if host.startswith(prefix):
            host = host.removeprefix(prefix)
            break
    first, _, suffix = host.partition(".")
    return first == "google" and suffix in GOOGLE_SUFFIXES


def _pair(lat: str, lng: str) -> tuple[float, float] | None:
    la, lo = float(lat), float(lng)
    if -90 <= la <= 90 and -180 <= lo <= 180:
        return la, lo
    return None


def _has_port(parts: SplitResult) -> bool:
    try:
        return parts.port is not None
    except ValueError:  # a non-numeric port is still a port
        return True


def _under_maps(path: str) -> bool:
    return path == "/maps" or path.startswith("/maps/")


def parse_maps_url(url: str) -> MapsPoint:
    """Recognise a Google Maps URL and extract its destination coordinates when present.

    Raises MapsUrlError when the URL is not a Google Maps link; an http link is returned upgraded to https.
    """
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise MapsUrlError("must be an https URL from Google Maps")
    if "@" in parts.netloc or _has_port(parts):
        raise MapsUrlError("must not carry a user name or a port")
    host = (parts.hostname or "").lower()
    if host in _SHORT_HOSTS or is_google_host(host):
        text = parts._replace(scheme="https", netloc=host).geturl()
    if host in _SHORT_HOSTS:
        if host == "goo.gl" and not _under_maps(parts.path):
            raise MapsUrlError("goo.gl links must be Google Maps links (goo.gl/maps/...)")
        return MapsPoint(text, None, None, short_link=True)
    if not is_google_host(host):
        raise MapsUrlError(f"host {host!r} is not Google Maps")
    if not (host.startswith("maps.") or _under_maps(parts.path)):
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


def link_to_open(url: str, latitude: float | None, longitude: float | None, address: str) -> MapsPoint:
    """What the app may open for a site: the URL re-validated here (a cached assignment may come from an
    older server), otherwise a link built from the parsed coordinates or the address — never the raw text."""
    try:
        return parse_maps_url(url)
    except MapsUrlError:
        return MapsPoint(directions_url(latitude, longitude, address), latitude, longitude, short_link=False)


def directions_url(latitude: float | None, longitude: float | None, address: str) -> str:
    """A Google Maps directions link to the site: coordinates when known, else the address text."""
    from urllib.parse import quote

    dest = f"{latitude},{longitude}" if latitude is not None and longitude is not None else address
    return f"https://www.google.com/maps/dir/?api=1&destination={quote(dest)}"
