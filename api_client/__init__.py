"""eCorpOne Field — the contract between the app and the dispatch service.

Wire models (pydantic), the domain rules (lifecycle, billing, geofence, Maps URLs) and the typed client.
Imports neither the app nor the service.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AsyncDispatchClient, DispatchClient
    from .errors import APIStatusError, DispatchError, FieldError
    from .events import EventKind, VisitEvent
    from .rate_card import EXAMPLE_RATE_CARD, RateCard
    from .request import ServiceRequest, SkillLevel
    from .rules.lifecycle import Refused, Role, Status, VisitState
    from .wire import Assignment

# Loaded on first use (PEP 562): importing one part (the clock, the wire models) must not import the HTTP client
# and its dependencies too — the app's first frame needs the models, not httpx.
_EXPORTS = {
    "AsyncDispatchClient": ".client",
    "DispatchClient": ".client",
    "APIStatusError": ".errors",
    "DispatchError": ".errors",
    "FieldError": ".errors",
    "EventKind": ".events",
    "VisitEvent": ".events",
    "EXAMPLE_RATE_CARD": ".rate_card",
    "RateCard": ".rate_card",
    "ServiceRequest": ".request",
    "SkillLevel": ".request",
    "Refused": ".rules.lifecycle",
    "Role": ".rules.lifecycle",
    "Status": ".rules.lifecycle",
    "VisitState": ".rules.lifecycle",
    "Assignment": ".wire",
}


def __getattr__(name: str) -> Any:
    if (module := _EXPORTS.get(name)) is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


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
