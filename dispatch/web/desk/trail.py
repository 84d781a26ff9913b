"""Who is who on the desk's pages: the names behind audit actors (`dispatcher:D-…`, `person:P-…`) and event
actors (engineer ids), resolved in one query per kind for a whole page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from api_client import texts
from api_client.texts import Language

from ...db import DispatcherRow, EngineerRow, PersonRow
from ...store import Store
from ..pages import templates


def names(store: Store, actors: Iterable[str]) -> dict[str, str]:
    """actor -> display name; unknown actors map to themselves."""
    wanted = set(actors)
    by_kind: dict[str, set[str]] = {"dispatcher": set(), "person": set(), "engineer": set()}
    for actor in wanted:
        kind, _, ident = actor.partition(":")
        if ident and kind in by_kind:
            by_kind[kind].add(ident)
        elif actor.startswith("ENG-"):
            by_kind["engineer"].add(actor)
    found: dict[str, str] = {}
    with store.sessions() as s:
        if by_kind["dispatcher"]:
            q = select(DispatcherRow.id, DispatcherRow.name).where(DispatcherRow.id.in_(by_kind["dispatcher"]))
            found |= {f"dispatcher:{r.id}": r.name for r in s.execute(q)}
        if by_kind["person"]:
            q = select(PersonRow.id, PersonRow.name).where(PersonRow.id.in_(by_kind["person"]))
            found |= {f"person:{r.id}": r.name for r in s.execute(q)}
        if by_kind["engineer"]:
            q = select(EngineerRow.id, EngineerRow.name).where(EngineerRow.id.in_(by_kind["engineer"]))
            found |= {r.id: r.name for r in s.execute(q)}
    return {a: found.get(a, a) for a in wanted}


def audit_line(action: str, detail: Mapping[str, Any], lang: Language) -> str:
    """One audit entry in words: `desk.audit.<action>` filled from its detail. An action without a text, or a
    detail missing a value its text names, still reads (as the action's code), never as an error page."""
    values = {k: str(v) for k, v in detail.items()}
    if action == "review_overtime":
        declined = detail.get("decision") == "declined"
        values["decision"] = texts.text("desk.audit.declined" if declined else "desk.audit.accepted", lang)
    key = f"desk.audit.{action}"
    if texts.has_text(key):
        try:
            return texts.text(key, lang, **values)
        except (KeyError, IndexError):
            pass
    return texts.text("desk.audit.other", lang, action=action)


templates.env.globals["audit_line"] = audit_line
