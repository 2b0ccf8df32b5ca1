"""Settings, read from the environment (``RENCONTRE_*``) and an optional ``.env`` file.

Signing keys are never constants: when they are not given, they are generated on
first run and kept in the data directory (mode 0600), so that restarts and several
processes sharing the directory agree on them.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


@dataclass(frozen=True)
class KeyRing:
    """HMAC keys by key id; ``current`` signs, every listed key verifies."""

    current: str
    keys: dict[str, bytes]

    @property
    def signing_key(self) -> bytes:
        return self.keys[self.current]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RENCONTRE_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    environment: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("data")
    database_url: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    cors_origins: list[str] = Field(default_factory=list)

    # Secrets: given explicitly (e.g. by a deployment) or generated into data_dir.
    jwt_secret: str = ""
    jwt_key_id: str = ""
    jwt_retired_keys: dict[str, str] = Field(default_factory=dict)
    badge_secret: str = ""

    access_token_minutes: int = 60 * 24 * 3
    organiser_token_minutes: int = 60 * 12
    invite_token_days: int = 60
    ws_ticket_seconds: int = 30

    max_body_bytes: int = 3 * 1024 * 1024
    max_csv_bytes: int = 2 * 1024 * 1024
    max_csv_rows: int = 20_000
    max_batch_items: int = 500
    # Each scan costs one (a batch its item count) against this sustained rate, with a
    # burst on top: a phone back online sends its whole offline backlog at once.
    scan_rate_limit: str = "120/minute"
    scan_burst: int = 1000
    # A contact's note, re-scans included: a scan that would pass it is recorded without its note.
    max_note_chars: int = 5000
    login_rate_limit: str = "10/minute"

    feed_coalesce_ms: int = 250
    # Per organiser and per process: a wall screen and a few laptops, not a scraper.
    feed_dashboards_per_organiser: int = 20
    feed_ticket_rate_limit: str = "120/minute"
    # Sockets opened but not yet signed in (per process), and how long one may take to sign in.
    feed_unauthenticated_sockets: int = 200
    feed_auth_timeout_seconds: float = 5.0
    db_pool_size: int = 10
    # A database host that does not answer costs each request this long before its 503.
    db_connect_timeout: float = 5.0
    log_level: str = "info"

    @field_validator("public_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL, e.g. https://rencontre.example.org")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _burst_holds_a_batch(self) -> Settings:
        if self.scan_burst < self.max_batch_items:
            raise ValueError(
                f"scan_burst ({self.scan_burst}) must be at least max_batch_items ({self.max_batch_items}):"
                " a full offline batch must be able to sync"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'rencontre.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def uses_https(self) -> bool:
        return self.public_base_url.startswith("https://")

    # Both are read on every request: built once per distinct configuration, not per call.
    def jwt_keyring(self) -> KeyRing:
        retired = tuple(sorted(self.jwt_retired_keys.items()))
        return _keyring(self.jwt_secret, self.jwt_key_id, retired, self.data_dir)

    def badge_key(self) -> bytes:
        return _badge_key(self.badge_secret, self.data_dir)


@lru_cache(maxsize=64)
def _keyring(secret: str, key_id: str, retired: tuple[tuple[str, str], ...], data_dir: Path) -> KeyRing:
    if secret:
        kid = key_id or "k1"
        keys = {k: v.encode() for k, v in retired}
        keys[kid] = secret.encode()
        return KeyRing(current=kid, keys=keys)
    stored = _stored_secrets(data_dir)
    return KeyRing(current="k1", keys={"k1": stored["jwt"].encode()})


@lru_cache(maxsize=64)
def _badge_key(secret: str, data_dir: Path) -> bytes:
    if secret:
        return secret.encode()
    return _stored_secrets(data_dir)["badge"].encode()


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (``postgres://``, ``postgresql://``) and pick async drivers."""
    for prefix in (
        "postgres://",
        "postgresql://",
        "postgresql+psycopg://",
        "postgresql+psycopg2://",
    ):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


_SECRETS_FILE = "secrets.json"


def _stored_secrets(data_dir: Path) -> dict[str, str]:
    """Read the generated secrets, creating them atomically (0600) on first use."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / _SECRETS_FILE
    if not path.exists():
        fresh = {"jwt": secrets.token_urlsafe(48), "badge": secrets.token_urlsafe(48)}
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(fresh, handle)
        try:
            # link() fails if another process won the race; theirs is kept.
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    stored: dict[str, str] = json.loads(path.read_text())
    return stored


@lru_cache
def get_settings() -> Settings:
    return Settings()
