"""A visit's fold kept on the device, so that a restart with a day's backlog does not fold it all again.

The screens show the server's copy of a visit with this device's unsent actions folded on top through the rules
(`AppState.visit`). Folding 5,000 actions takes ~50 ms of CPU (each decoded, then checked by the rules): after a
restart, that was the first render's cost. So the folded visit is stored every `SAVE_EVERY` actions, and a restart
reads it back (one JSON parse) and folds only the actions recorded after it.

It is a cache, never the truth: it is used only when it was folded from the same inputs as now — the same server
copy, rate card, engineer and rules (`basis`), and the same actions, in order, as the first ones still to fold
(`seqs`). Anything else (a new copy from the server, an action refused, other rules) folds from the server's copy
again, as before.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from api_client import events
from api_client.rate_card import RateCard
from api_client.rules import billing, geofence, lifecycle, refusal, timing
from api_client.rules.lifecycle import VisitState
from api_client.wire import Assignment

from .device_store import DeviceStore, OutboxEntry

SAVE_EVERY = 100  # actions folded beyond the stored fold before it is stored again (a restart folds fewer)


@cache
def rules_id() -> str:
    """Which rules fold: the code of the modules a fold runs (as installed, .py or compiled), so that a build
    that changes a rule does not show a visit folded by the old one."""
    digest = hashlib.sha256()
    for module in (events, lifecycle, timing, billing, geofence, refusal):
        digest.update(module.__name__.encode())
        try:  # through the loader: a packaged app may import from an archive
            digest.update(module.__loader__.get_data(module.__file__))
        except (AttributeError, OSError, TypeError):  # no source to read: the release's version says which rules
            digest.update(_release().encode())
    return digest.hexdigest()


def _release() -> str:
    from importlib import metadata  # ~10 ms of imports (email, zipfile...): only where there is no source to read

    try:
        return metadata.version("ecorpone-field")
    except metadata.PackageNotFoundError:
        return "unknown"


def basis(a: Assignment, card: RateCard, engineer_id: str) -> str:
    """What a fold of this visit starts from, besides the actions: a stored fold with another basis is stale."""
    digest = hashlib.sha256(f"{rules_id()}\n{engineer_id}\n".encode())
    digest.update(card.model_dump_json().encode())
    digest.update(a.model_dump_json().encode())
    return digest.hexdigest()


def load(store: DeviceStore, a: Assignment, basis: str, todo: list[OutboxEntry]) -> tuple[list[int], VisitState] | None:
    """The stored fold of `a`, if it was made from `basis` and from the first actions of `todo` (its seqs)."""
    saved = store.saved_fold(a.id)
    if saved is None or saved[0] != basis:
        return None
    try:
        seqs = json.loads(saved[1])
        if len(seqs) > len(todo) or [e.seq for e in todo[: len(seqs)]] != seqs:
            return None
        return seqs, VisitState.model_validate_json(saved[2])
    except ValueError:  # written by a build with another state model, or damaged: fold again
        return None


def save(store: DeviceStore, assignment_id: str, basis: str, seqs: list[int], state: VisitState) -> None:
    # Without the fields at their defaults (`has_photo: false` on every log entry...): read back 40 % faster.
    store.save_fold(assignment_id, basis, json.dumps(seqs), state.model_dump_json(exclude_defaults=True))
