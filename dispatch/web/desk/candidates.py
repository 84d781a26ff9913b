"""The right engineer for a request: candidates ranked and explained (api_client/rules/matching.py), the others
excluded with their reasons; **Propose** the selected engineers (a ProposeEvent through the store's dispatcher
path: the proposal rules — exact count, `team_not_qualified` — still decide); the form for an approval the client
gave by phone is here too (its route: phone_approval.py). Every action is audited with the dispatcher's name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api_client import texts
from api_client.events import ProposeEvent
from api_client.request import SkillLevel
from api_client.rules import matching
from api_client.rules.lifecycle import Refused, Status
from api_client.texts import Language

from ... import audit, engineer_profiles
from ...principal import DISPATCHER
from ..csrf import CSRF
from ..pages import language, render
from ..sessions import DeskPage, WebSession
from .trail import names

router = APIRouter(prefix="/desk/assignments", dependencies=[CSRF], include_in_schema=False)
_SKILL_VALUES = {"level", "needed"}
_LANGUAGE_VALUES = {"speaks"}


def reason_text(reason: matching.Reason, lang: Language) -> str:
    """A ranking reason in the reader's language: skill levels and languages named from the catalog too."""
    values: dict[str, Any] = dict(reason.values)
    skill_codes = reason.code in {"match.skill", "match.ok.skill"}
    for key, value in values.items():
        if key in _SKILL_VALUES and skill_codes and value in SkillLevel.__members__:
            values[key] = texts.text(f"skill.{value}", lang)
        elif key in _LANGUAGE_VALUES or (key == "needed" and reason.code == "match.language"):
            codes = [c for c in str(value).split(",") if c]
            values[key] = " / ".join(texts.text(f"lang.{c}", lang) if texts.has_text(f"lang.{c}") else c for c in codes)
    return texts.text(reason.code, lang, **values)


def page(
    request: Request,
    assignment_id: str,
    *,
    error: str = "",
    status_code: int = 200,
    chosen: list[str] | None = None,
    approver: str = "",
) -> Response:
    store = request.app.state.store
    a = store.assignment(assignment_id, DISPATCHER)  # NotFound: the 404 page
    ranking = matching.rank(a.request, engineer_profiles.pool(store, a.request, a.id), a.id)
    lang = language(request)
    team = [e.id for e in a.engineers]
    team_names = ", ".join(e.name_ja if lang == "ja" and e.name_ja else e.name for e in a.engineers)
    trail = audit.trail(store, a.id)
    proposed = [e for entry in trail for e in entry.detail.get("engineers", [])]
    done = request.query_params.get("done", "")
    notice = ""
    if done == "proposed" and a.engineers:
        notice = texts.text("desk.cand.proposed", lang, names=team_names)
    elif done == "approved" and a.visit.approved_by:
        notice = texts.text("desk.cand.phone.done", lang, name=a.visit.approved_by)
    return render(
        request,
        "desk/candidates.html",
        {
            "a": a,
            "ranking": ranking,
            "candidates": [(c, [reason_text(r, lang) for r in c.reasons]) for c in ranking.candidates],
            "excluded": [(x, [reason_text(r, lang) for r in x.reasons]) for x in ranking.excluded],
            "chosen": set(chosen if chosen is not None else team),
            "error": error,
            "notice": notice,
            "approver": approver,
            "may_propose": a.status in {Status.requested, Status.proposed},
            "may_approve": a.status is Status.proposed,
            "trail": trail,
            "who": names(store, [entry.actor for entry in trail] + proposed),  # people and engineers by name
            "team_names": team_names,
            "languages_text": " / ".join(texts.text(f"lang.{x}", lang) for x in a.request.languages),
        },
        status_code=status_code,
    )


@router.get("/{assignment_id}/candidates", response_class=HTMLResponse)
def candidates(request: Request, assignment_id: str, session: DeskPage) -> Response:
    return page(request, assignment_id)


def refused_text(exc: Refused, lang: Language) -> str:
    general = texts.refusal(exc.code, lang)
    # The rule's own sentence names the engineers and languages; it is English (the wire's language).
    detail = exc.message if exc.message and exc.message != general else ""
    return texts.text("desk.cand.refused", lang, reason=general + (f" ({detail})" if detail else ""))


def _done(assignment_id: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/desk/assignments/{assignment_id}/candidates?done={what}", status_code=303)


@router.post("/{assignment_id}/propose", response_class=HTMLResponse)
def propose(
    request: Request,
    assignment_id: str,
    session: DeskPage,
    engineer_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    store = request.app.state.store
    chosen = list(dict.fromkeys(engineer_ids or []))
    a = store.assignment(assignment_id, DISPATCHER)
    lang = language(request)
    if len(chosen) != a.request.engineer_count:  # said next to the list, before the rules are asked
        error = texts.text("desk.cand.pick_count", lang, count=a.request.engineer_count, chosen=len(chosen))
        return page(request, assignment_id, error=error, status_code=422, chosen=chosen)
    event = ProposeEvent(assignment_id=a.id, device_time=store.clock(), engineer_ids=chosen)
    try:
        store.dispatcher_action(event)
    except Refused as exc:
        return page(request, assignment_id, error=refused_text(exc, lang), status_code=409, chosen=chosen)
    _audit(store, session, "propose", a.id, {"engineers": chosen, "event": str(event.id)})
    return _done(a.id, "proposed")


def _audit(store: Any, session: WebSession, action: str, assignment_id: str, detail: dict[str, Any]) -> None:
    audit.record(store, session.actor, action, assignment_id, {"by": session.name, **detail})
