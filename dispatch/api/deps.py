"""Route dependencies: the store, and who is calling (engineer or dispatcher) from the bearer token."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api_client.rules.lifecycle import Role

from ..principal import DISPATCHER, Principal
from ..settings import Settings
from ..store import Store

_bearer = HTTPBearer(auto_error=False, description="An engineer's token, or the dispatcher token")


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(
            401, "Sign in: send 'Authorization: Bearer <token>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    token = credentials.credentials
    settings: Settings = request.app.state.settings
    if hmac.compare_digest(token.encode(), settings.dispatcher_token.encode()):
        return DISPATCHER
    engineer = request.app.state.store.engineer_by_token(token)
    if engineer is None:
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
