"""`create_app(settings)`: the dispatch service as a FastAPI app, with its own engine and store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from api_client.clock import Clock, system_clock
from api_client.rate_card import EXAMPLE_RATE_CARD, RateCard

from . import web
from .api import errors
from .api.auth_limit import FailedAuthLimiter
from .api.guards import BodyLimit, SecurityHeaders, install_log_redaction
from .api.list_lane import DataVersion, ListLane, sqlite_file
from .api.paging import GZIP_ABOVE_BYTES
from .api.routes import (
    assignments,
    badges,
    clients,
    documents,
    engineers,
    events,
    meta,
    pairing,
    report_check,
    reports,
)
from .badge import load_keys
from .db import create_schema, make_engine
from .jobs import Jobs
from .live import LiveBus
from .notify import Mailer, Notifier
from .settings import Settings
from .store import Store
from .visit_mail import VisitMail, after_event


def build_store(settings: Settings, clock: Clock = system_clock) -> Store:
    if settings.database_url.startswith("sqlite:///"):
        db_path = Path(settings.database_url.removeprefix("sqlite:///"))
        if str(db_path) != ":memory:":
            db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    create_schema(engine)
    if settings.environment == "production" and settings.rate_card_path is None:
        # The EXAMPLE card's numbers are not a contract: a production service never bills with them.
        raise ValueError(
            "FIELD_DISPATCH_RATE_CARD_PATH: required when FIELD_DISPATCH_ENVIRONMENT=production "
            "(the built-in rate card is an EXAMPLE, not a contract)"
        )
    card = RateCard.load(settings.rate_card_path) if settings.rate_card_path else EXAMPLE_RATE_CARD
    store = Store(engine, card, max_clock_skew=timedelta(seconds=settings.max_clock_skew_seconds), clock=clock)
    # The after-event jobs are written by every store (the CLI's too: its `propose` mails the approvers through
    # a serving instance's worker); only a serving instance starts the worker.
    mailer = Mailer(settings)
    handler = after_event(Notifier(store, mailer, settings), VisitMail(store, mailer, settings))
    store.jobs = Jobs(store, handler, Notifier.KINDS | VisitMail.KINDS)
    return store


def create_app(settings: Settings | None = None, clock: Clock = system_clock) -> FastAPI:
    """`clock` is the service's only source of "now" (tests pin it; see api_client.clock)."""
    settings = settings or Settings()
    app = FastAPI(
        title="eCorpOne Field — dispatch service",
        version="1.0.0",
        description="Assignments, visit events (idempotent by client UUID), billing and badges for eCorpOne's "
        "on-site IT service. Errors answer {message, errors: [{field, rule, message}]}.",
        responses=errors.ERROR_RESPONSES,
        # No OpenTelemetry here: FastAPI's native telemetry would otherwise look up the global providers (three
        # environment reads) on every request — a fifth of the list's fast lane (bench/README.md).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.badge_keys = load_keys(
        settings.badge_secret, settings.badge_previous_secrets, settings.resolved_badge_key_file()
    )
    app.state.auth_limiter = FailedAuthLimiter(max_failures=settings.auth_failures_per_minute, window_s=60)
    store = build_store(settings, clock)
    assert store.jobs is not None
    store.jobs.start()
    store.live = LiveBus(store.engine, clock)
    app.state.store = store
    errors.install(app)
    # Outermost first: headers on every answer (a 413 too), then the body limit before any route or auth, then
    # gzip for answers above a packet (a list page shrinks ~8x; PDFs and images are compressed already).
    app.add_middleware(
        GZipMiddleware,
        minimum_size=GZIP_ABOVE_BYTES,
        compresslevel=5,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf"),
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # A phone asking again for a list page nothing in the database has changed since (SQLite's data version)
    # gets the answer it had, before routing, token lookup and page query (dispatch/api/list_lane.py).
    if (db_file := sqlite_file(settings.database_url)) is not None:
        app.state.data_version = DataVersion(db_file)
    app.add_middleware(ListLane, state=app.state)
    app.add_middleware(SecurityHeaders)
    install_log_redaction()
    routers = (meta, engineers, clients, assignments, events, badges, reports, report_check, documents, pairing)
    for module in routers:
        app.include_router(module.router)
    web.install(app)  # the portal's and the desk's pages (after the API's error handlers: it wraps them)
    return app
