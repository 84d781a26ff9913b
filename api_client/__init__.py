"""eCorpOne Field — the contract between the app and the dispatch service.

Wire models (pydantic), the domain rules (lifecycle, billing, geofence, Maps URLs) and the typed client.
Imports neither the app nor the service.
"""

from .client import AsyncDispatchClient, DispatchClient
from .errors import APIStatusError, DispatchError, FieldError
from .events import EventKind, VisitEvent
from .rate_card import EXAMPLE_RATE_CARD, RateCard
from .request import ServiceRequest, SkillLevel
from .rules.lifecycle import Refused, Role, Status, VisitState
from .wire import Assignment

__all__ = [
    "EXAMPLE_RATE_CARD",
    "APIStatusError",
    "Assignment",
    "AsyncDispatchClient",
    "DispatchClient",
    "DispatchError",
    "EventKind",
    "FieldError",
    "RateCard",
    "Refused",
    "Role",
    "ServiceRequest",
    "SkillLevel",
    "Status",
    "VisitEvent",
    "VisitState",
]
