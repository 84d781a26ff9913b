"""Service settings: one pydantic-settings class, read from FIELD_DISPATCH_* environment variables.

No global instance: `create_app(settings)` takes one, so every test builds its own service and database.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FIELD_DISPATCH_", extra="ignore")

    environment: Literal["development", "production"] = Field(
        default="development",
        description="production refuses to start without a contract rate card (no EXAMPLE rates billed)",
    )
    database_url: str = Field(
        default="sqlite:///var/dispatch.sqlite3",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://...",
    )
    dispatcher_token: str = Field(default_factory=lambda: secrets.token_urlsafe(24), min_length=16)
    rate_card_path: Path | None = Field(default=None, description="JSON rate card; the EXAMPLE card if unset")
    badge_secret: str = Field(
        default_factory=lambda: secrets.token_urlsafe(32),
        min_length=16,
        description="HMAC key that signs engineer badges",
    )
    public_base_url: str = Field(default="http://127.0.0.1:8787", description="Base of /verify links in badges")
    max_clock_skew_seconds: int = Field(
        default=300,
        ge=0,
        le=3600,
        description="The allowance between a device's clock and the server's: device times further ahead are "
        "refused, and a device time may precede the approval or the engineer's previous action by no more",
    )
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "eCorpOne Field <field@ecorpone.example>"
    mail_spool_dir: Path = Path("var/mail")
