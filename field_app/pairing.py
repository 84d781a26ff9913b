"""Signing in with the desk's pairing code instead of a token: the code (or the pairing link of the desk's QR)
is redeemed for a fresh token, which the sign-in then uses like a typed one. The old phone's token stops
working at that moment (the service rotates it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api_client.errors import AuthenticationError, DispatchError, RateLimitError
from api_client.pairing import PairingInput, parse

if TYPE_CHECKING:
    from .state import AppState

__all__ = ["PairingInput", "parse", "token_for"]


async def token_for(state: AppState, url: str, pair: PairingInput) -> str | None:
    """The new token for this code, or None with the reason in `state.sign_in_error`."""
    t = state.t
    client = state.client_factory(url, "")
    state.busy = True
    try:
        paired = await client.redeem_pairing_code(pair.code)
    except (AuthenticationError, RateLimitError):
        state.sign_in_error = t("sign_in.error.pairing")
        return None
    except DispatchError as exc:
        state.sign_in_error = t("sign_in.error.network", detail=str(exc)[:120])
        return None
    finally:
        state.busy = False
        await client.aclose()
    return paired.token
