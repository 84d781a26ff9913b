from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api_client.rate_card import RateCard
from api_client.wire import Me

from ..deps import Caller, StoreDep

router = APIRouter(prefix="/v1", tags=["meta"])


@router.get("/health")
def health() -> dict[str, Any]:
    return {"status": "ok", "service": "field-dispatch", "api": "v1"}


@router.get("/me")
def me(who: Caller, store: StoreDep) -> Me:
    engineer = next((e for e in store.engineers() if e.id == who.engineer_id), None) if who.engineer_id else None
    return Me(role=who.role.value, engineer=engineer)


@router.get("/rate-card")
def rate_card(_: Caller, store: StoreDep) -> RateCard:
    return store.card
