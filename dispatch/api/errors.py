"""Every error answers with one JSON shape: {"message": ..., "errors": [{"field", "rule", "message"}]}.

Bad input is a 4xx that names the field and the rule; never a 500 with a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api_client.rules.lifecycle import Refused

from ..safe_text import printable
from ..store import NotFound, Unavailable

log = logging.getLogger(__name__)


def field_errors(errors: list[dict[str, Any]], strip_first: bool = True) -> list[dict[str, str]]:
    out = []
    for e in errors:
        loc = list(e.get("loc", ()))
        if strip_first and loc and loc[0] in {"body", "query", "path", "header"}:
            loc = loc[1:]
        field = printable(".".join(str(p) for p in loc))  # a hostile key must not break the answer
        out.append({"field": field, "rule": str(e.get("type", "")), "message": printable(str(e.get("msg", "")))})
    return out


def _body(message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"message": message, "errors": errors or []}


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = field_errors(list(exc.errors()))
        summary = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors[:5])
        return JSONResponse(_body(f"Invalid input — {summary}", errors), status_code=422)

    @app.exception_handler(ValidationError)
    async def _model_validation(_: Request, exc: ValidationError) -> JSONResponse:
        errors = field_errors(list(exc.errors()), strip_first=False)
        return JSONResponse(_body("Invalid input", errors), status_code=422)

    @app.exception_handler(Refused)
    async def _refused(_: Request, exc: Refused) -> JSONResponse:
        return JSONResponse(
            _body(exc.message, [{"field": "", "rule": exc.code, "message": exc.message}]), status_code=409
        )

    @app.exception_handler(Unavailable)
    async def _unavailable(_: Request, exc: Unavailable) -> JSONResponse:
        message = f"The service is busy; nothing was recorded. Try again. ({exc})"
        return JSONResponse(_body(printable(message)), status_code=503, headers={"Retry-After": "2"})

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(_body(f"Not found: {exc.args[0] if exc.args else ''}"), status_code=404)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(_body("Internal error; it has been logged."), status_code=500)
