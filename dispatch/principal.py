"""Who is acting: an engineer, the desk (the dispatcher token), a client's person on the portal, or the service
itself."""

from __future__ import annotations

from dataclasses import dataclass

from api_client.rules.lifecycle import Role


@dataclass(frozen=True)
class Principal:
    role: Role
    engineer_id: str | None = None
    person_id: str | None = None  # a client's person (Role.client)
    company_id: str | None = None  # ... of this company: sees only its assignments

    @property
    def actor(self) -> str:
        if self.person_id:
            return f"person:{self.person_id}"
        return self.engineer_id or self.role.value

    @property
    def sees_everything(self) -> bool:
        return self.role not in (Role.engineer, Role.client)


def client(person_id: str, company_id: str) -> Principal:
    """A person of the ordering party acting on the portal (approve, answer a continuation)."""
    return Principal(Role.client, person_id=person_id, company_id=company_id)


DISPATCHER = Principal(Role.dispatcher)
# The service's own reads (notifications, reports, badge checks): sees every assignment, and the rules refuse
# every event it might try to record, so it can never be mistaken for the desk.
SYSTEM = Principal(Role.system)
