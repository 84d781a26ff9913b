"""Who is acting: an engineer, the desk (the dispatcher token), or the service itself."""

from __future__ import annotations

from dataclasses import dataclass

from api_client.rules.lifecycle import Role


@dataclass(frozen=True)
class Principal:
    role: Role
    engineer_id: str | None = None

    @property
    def actor(self) -> str:
        return self.engineer_id or self.role.value

    @property
    def sees_everything(self) -> bool:
        return self.role is not Role.engineer


DISPATCHER = Principal(Role.dispatcher)
# The service's own reads (notifications, reports, badge checks): sees every assignment, and the rules refuse
# every event it might try to record, so it can never be mistaken for the desk.
SYSTEM = Principal(Role.system)
