"""The desk's accounts (`/desk/dispatchers`, administrators only): add a dispatcher with a password (argon2, via
dispatch/accounts.py), deactivate one (their browsers are signed out at once) or reactivate. Audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api_client.texts import text

from ... import accounts, audit
from ...store import NotFound, Store
from ..csrf import CSRF
from ..pages import language, render
from ..sessions import AdminPage, end_sessions_of

router = APIRouter(prefix="/desk/dispatchers", dependencies=[CSRF], include_in_schema=False)


def _store(request: Request) -> Store:
    return request.app.state.store


def _page(request: Request, status_code: int = 200, **values: object) -> Response:
    values = {
        "dispatchers": accounts.dispatchers(_store(request)),
        "min_password": accounts.MIN_PASSWORD_CHARS,
        "created": request.query_params.get("created", "")[:200],
        **values,
    }
    return render(request, "desk/dispatchers.html", values, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def dispatchers_page(request: Request, session: AdminPage) -> Response:
    return _page(request)


@router.post("", response_class=HTMLResponse)
def add_dispatcher(
    request: Request,
    session: AdminPage,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    is_admin: Annotated[str, Form(max_length=5)] = "",
    language_code: Annotated[str, Form(alias="language", max_length=2)] = "en",
) -> Response:
    store = _store(request)
    form = {"name": name, "email": email, "is_admin": is_admin == "on", "language": language_code}
    for field, value in (("name", name), ("email", email)):
        if not value.isprintable():  # a NUL or a control character cannot be stored (PostgreSQL) nor shown
            return _page(request, 422, error=f"{field}: must not contain control characters", form=form)
    try:
        new_id = accounts.add_dispatcher(
            store, name, email, password, is_admin=is_admin == "on", language=language_code
        )
    except ValueError as exc:  # Conflict is a ValueError too; both name the field
        return _page(request, 422 if not isinstance(exc, accounts.Conflict) else 409, error=str(exc), form=form)
    audit.record(store, session.actor, "dispatcher_add", None, {"dispatcher": new_id, "admin": is_admin == "on"})
    return RedirectResponse(f"/desk/dispatchers?created={new_id}", status_code=303)


@router.post("/{dispatcher_id}/active", response_class=HTMLResponse)
def set_active(
    request: Request,
    dispatcher_id: str,
    session: AdminPage,
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    store = _store(request)
    if len(dispatcher_id) > 40 or not dispatcher_id.isprintable() or accounts.dispatcher(store, dispatcher_id) is None:
        raise NotFound(dispatcher_id)
    on = active == "1"
    if not on and dispatcher_id == session.dispatcher_id:
        return _page(request, 409, error=text("desk.dispatchers.not_self", language(request)))
    accounts.set_dispatcher_active(store, dispatcher_id, on)
    if not on:
        end_sessions_of(store, dispatcher_id)
    audit.record(store, session.actor, "dispatcher_activate" if on else "dispatcher_deactivate", None,
                 {"dispatcher": dispatcher_id})  # fmt: skip
    return RedirectResponse("/desk/dispatchers", status_code=303)
