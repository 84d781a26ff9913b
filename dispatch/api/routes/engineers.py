from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from api_client.rules.lifecycle import Role
from api_client.wire import Engineer, EngineerCreated, EngineerIn

from ..deps import Caller, Dispatcher, StoreDep

router = APIRouter(prefix="/v1/engineers", tags=["engineers"])


@router.post("", status_code=201)
def add_engineer(body: EngineerIn, _: Dispatcher, store: StoreDep) -> EngineerCreated:
    return store.add_engineer(body)


@router.get("")
def list_engineers(_: Dispatcher, store: StoreDep) -> list[Engineer]:
    return store.engineers()


@router.post("/{engineer_id}/token")
def rotate_token(engineer_id: str, _: Dispatcher, store: StoreDep) -> EngineerCreated:
    """Issue a new token (shown once); the previous one is refused from now on — e.g. a lost phone."""
    return store.rotate_token(engineer_id)


@router.get("/{engineer_id}/photo", responses={200: {"content": {"image/*": {}}}, 404: {}})
def engineer_photo(engineer_id: str, who: Caller, store: StoreDep) -> Response:
    if who.role is Role.engineer and who.engineer_id != engineer_id:
        raise HTTPException(404, "Not found")
    photo = store.engineer_photo(engineer_id)
    if photo is None:
        raise HTTPException(404, "This engineer has no photo on file.")
    media = "image/png" if photo.startswith(b"\x89PNG") else "image/jpeg"
    return Response(photo, media_type=media)
