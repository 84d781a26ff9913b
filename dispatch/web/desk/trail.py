"""Who is who on the desk's pages: the names behind audit actors (`dispatcher:D-…`, `person:P-…`) and event
actors (engineer ids), resolved in one query per kind for a whole page."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from ...db import DispatcherRow, EngineerRow, PersonRow
from ...store import Store


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
