"""Service settings: one pydantic-settings class, read from FIELD_DISPATCH_* environment variables.

No global instance: `create_app(settings)` takes one, so every test builds its own service and database.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_EMERGENCY_PHONE = "+81 3-4567-8900"  # demo only: the pages say so until FIELD_DISPATCH_EMERGENCY_PHONE is set


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
    badge_secret: str | None = Field(
        default=None,
        min_length=32,
        description="HMAC key that signs engineer badges; the same on every instance. Unset: the key file.",
    )
    badge_previous_secrets: list[str] = Field(
        default_factory=list,
        description="Older badge keys that still verify during a rotation (JSON list in the environment)",
    )
    badge_key_file: Path | None = Field(
        default=None,
        description="Badge keys, one per line, signing key first; default: badge-keys beside the SQLite file "
        "(created once). A server database (PostgreSQL) needs badge_secret or this file.",
    )
    max_body_bytes: int = Field(
        default=16_000_000, ge=1_000, description="Largest request body; larger gets 413 before parsing or auth"
    )
    auth_failures_per_minute: int = Field(
        default=10, ge=1, description="Bad tokens per client address per minute before 429 + Retry-After"
    )
    public_base_url: str = Field(default="http://127.0.0.1:8787", description="Base of /verify links in badges")
    max_clock_skew_seconds: int = Field(
        default=300,
        ge=0,
        le=3600,
        description="The allowance between a device's clock and the server's: device times further ahead are "
        "refused, and a device time may precede the approval or the engineer's previous action by no more",
    )
    emergency_phone: str = Field(
        default=DEMO_EMERGENCY_PHONE,
        description="eCorpOne's number a Class 4 (visit immediately) request is told to call now; the default is "
        "a labelled demo number",
    )
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "eCorpOne Field <field@ecorpone.example>"
    mail_spool_dir: Path = Path("var/mail")

    def sqlite_path(self) -> Path | None:
        """The SQLite database file, when the database is one (not in memory)."""
        if not self.database_url.startswith("sqlite:///"):
            return None
        path = self.database_url.removeprefix("sqlite:///")
        return None if path in {"", ":memory:"} else Path(path)

    def resolved_badge_key_file(self) -> Path | None:
        if self.badge_key_file is not None:
            return self.badge_key_file
        db = self.sqlite_path()
        return None if db is None else db.resolve().parent / "badge-keys"
