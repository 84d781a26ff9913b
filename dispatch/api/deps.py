"""Route dependencies: the store, and who is calling (engineer or dispatcher) from the bearer token."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api_client.rules.lifecycle import Role

from ..badge import BadgeKeys
from ..principal import DISPATCHER, Principal
from ..settings import Settings
from ..store import Store
from .auth_limit import FailedAuthLimiter

_bearer = HTTPBearer(auto_error=False, description="An engineer's token, or the dispatcher token")


# No I/O: async, so FastAPI runs them on the event loop instead of sending each to a worker thread.
async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_badge_keys(request: Request) -> BadgeKeys:
    return request.app.state.badge_keys


def is_dispatcher_token(token: str, settings: Settings) -> bool:
    """The desk's shared token (scripts), compared in constant time."""
    return hmac.compare_digest(token.encode(), settings.dispatcher_token.encode())


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(
            401, "Sign in: send 'Authorization: Bearer <token>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    limiter: FailedAuthLimiter = request.app.state.auth_limiter
    client = request.client.host if request.client else "unknown"
    if (wait := limiter.retry_after(client)) is not None:
        raise HTTPException(
            429, f"Too many bad tokens from your address; try again in {wait} s.", headers={"Retry-After": str(wait)}
        )
    token = credentials.credentials
    settings: Settings = request.app.state.settings
    if is_dispatcher_token(token, settings):
        return DISPATCHER
    engineer = request.app.state.store.engineer_by_token(token)
    if engineer is None:
        limiter.failed(client)
        raise HTTPException(401, "Unknown or revoked token.", headers={"WWW-Authenticate": "Bearer"})
    return Principal(Role.engineer, engineer.id)


def require_dispatcher(who: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if who.role is not Role.dispatcher:
        raise HTTPException(403, "Only the dispatcher can do this.")
    return who


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Caller = Annotated[Principal, Depends(get_principal)]
Dispatcher = Annotated[Principal, Depends(require_dispatcher)]
BadgeKeysDep = Annotated[BadgeKeys, Depends(get_badge_keys)]
