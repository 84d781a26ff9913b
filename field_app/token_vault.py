"""Where the engineer's bearer token is kept: the platform's secure storage on phones (Keychain / Android
Keystore), the device store in the user's data folder on desktop and in web mode."""

from __future__ import annotations

from typing import Protocol

from .device_store import DeviceStore

_KEY = "field.token"


class TokenVault(Protocol):
    async def load(self) -> str: ...

    async def save(self, token: str) -> None: ...

    async def clear(self) -> None: ...


class DeviceStoreVault:
    def __init__(self, store: DeviceStore) -> None:
        self.store = store

    async def load(self) -> str:
        return self.store.get("token") or ""

    async def save(self, token: str) -> None:
        self.store.put("token", token)

    async def clear(self) -> None:
        self.store.put("token", None)


class SecureStorageVault:
    """Needs a running page (a Flet service); created by field_app.main on Android and iOS."""

    def __init__(self) -> None:
        from flet_secure_storage import SecureStorage

        self._storage = SecureStorage()

    async def load(self) -> str:
        value = await self._storage.get(_KEY)
        return value if isinstance(value, str) else ""

    async def save(self, token: str) -> None:
        await self._storage.set(_KEY, token)

    async def clear(self) -> None:
        await self._storage.remove(_KEY)
