"""Who may be proposed for a request: the right engineer covers the requested skill level and languages.

Reading (DOMAIN.md, "the right engineer"): each proposed engineer has at least the requested skill level and
speaks at least one of the requested languages, and the team together speaks every requested language (a
visit in English and Japanese needs someone for each, not a bilingual engineer each).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..request import ServiceRequest
from ..wire import Engineer
from .lifecycle import Refused

_LANGUAGE_NAMES = {"en": "English", "ja": "Japanese"}


def covers_skill(request: ServiceRequest, engineer: Engineer) -> bool:
    """The engineer's level is the requested one or above."""
    return engineer.skill_level.rank >= request.skill_level.rank


def speaks_for(request: ServiceRequest, engineer: Engineer) -> bool:
    """The engineer speaks at least one of the requested languages."""
    return bool(set(request.languages) & set(engineer.languages))


def proposal_problems(request: ServiceRequest, team: Sequence[Engineer]) -> list[str]:
    """Every reason this team does not cover the request (empty when it does)."""
    wanted = set(request.languages)
    problems = [
        f"{e.name} ({e.id}) is {e.skill_level.value}; the request needs {request.skill_level.value} or above"
        for e in team
        if not covers_skill(request, e)
    ]
    problems += [
        f"{e.name} ({e.id}) speaks {_names(e.languages) or 'no recorded language'}; the request is in "
        f"{_names(request.languages)}"
        for e in team
        if not speaks_for(request, e)
    ]
    if missing := wanted - {lang for e in team for lang in e.languages}:
        problems.append(f"nobody on the team speaks {_names(sorted(missing))}")
    return problems


def check_proposal(request: ServiceRequest, team: Sequence[Engineer]) -> None:
    if problems := proposal_problems(request, team):
        raise Refused("team_not_qualified", "This team does not cover the request: " + "; ".join(problems) + ".")


def _names(languages: Sequence[str]) -> str:
    return " and ".join(_LANGUAGE_NAMES.get(lang, lang) for lang in languages)
