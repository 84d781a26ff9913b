"""The pairing code's shape, shared by the desk that shows it and the app that takes it: 8 characters from an
alphabet without look-alikes (no 0/O, 1/I/L), shown as XXXX-XXXX; case, spaces and dashes are ignored when
typed. The desk's QR holds a link `ecorpone-field://pair?server=<url>&code=<code>` that the app's sign-in
field accepts as well (pasted, or from a scanner app)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
LINK_SCHEME = "ecorpone-field"


@dataclass(frozen=True)
class PairingInput:
    code: str  # normalised: 8 characters of ALPHABET
    server: str | None = None  # from a pairing link


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def display(code: str) -> str:
    code = normalise(code)
    return f"{code[:4]}-{code[4:]}"


def is_code(text: str) -> bool:
    key = normalise(text)
    return len(text.strip()) <= 12 and len(key) == CODE_LENGTH and all(ch in ALPHABET for ch in key)


def link(server_url: str, code: str) -> str:
    return f"{LINK_SCHEME}://pair?" + urlencode({"server": server_url, "code": display(code)})


def parse(text: str) -> PairingInput | None:
    """A typed code or a pairing link as a PairingInput; None when the text is neither (e.g. a token)."""
    text = text.strip()
    if text.startswith(f"{LINK_SCHEME}://"):
        query = parse_qs(urlsplit(text).query)
        code, server = (query.get("code") or [""])[0], (query.get("server") or [""])[0]
        if not is_code(code):
            return None
        return PairingInput(normalise(code), server if server.startswith(("http://", "https://")) else None)
    return PairingInput(normalise(text)) if is_code(text) else None
