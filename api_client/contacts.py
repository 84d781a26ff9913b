"""Contact channels: phone numbers in E.164 (with country code), e-mail, WhatsApp, and their links."""

from __future__ import annotations

from urllib.parse import quote

import phonenumbers


class PhoneNumberError(ValueError):
    """The phone number cannot be used; the message states the rule."""


def normalise_phone(raw: str) -> str:
    """Return the number in E.164 form (+81312345678).

    The seed asks for "a phone number with country code": a number without a leading + (or 00)
    is refused rather than guessed, because guessing the country for a site abroad rings a stranger.
    """
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    if not text.startswith("+"):
        raise PhoneNumberError("must include the country code, e.g. +81 3-1234-5678")
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        raise PhoneNumberError(f"is not a phone number ({exc._msg})") from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberError("is not a valid number for its country code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """International format for reading aloud: +81 3-1234-5678."""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_url(e164: str) -> str:
    return f"tel:{e164}"


def whatsapp_url(e164: str) -> str:
    # wa.me wants the digits only, no + or separators.
    return f"https://wa.me/{e164.lstrip('+')}"


def mailto_url(email: str, subject: str = "") -> str:
    return f"mailto:{email}" + (f"?subject={quote(subject)}" if subject else "")
