"""Settings, read from the environment (``RENCONTRE_*``) and an optional ``.env`` file.

Signing keys are never constants: when they are not given, they are generated on
first run and kept in the data directory (mode 0600), so that restarts and several
processes sharing the directory agree on them.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from limits import parse
from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rencontre.kit.private import private_dir, private_file


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
    # How long the phone that joined can renew its session without being used; each
    # renewal starts a new period. A join link works once, so this is what keeps an
    # attendee signed in on their own phone past the access token's lifetime.
    device_token_days: int = 60
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
    # Organiser sign-in (auth/throttle.py): failures of one e-mail from one address; every
    # attempt from one address, whatever the e-mail (password spraying); failures of one
    # e-mail from anywhere, which past its cap refuses only the addresses that failed too.
    login_rate_limit: str = "10/minute"
    login_address_rate_limit: str = "30/minute"
    login_email_rate_limit: str = "100/hour"
    # A venue's phones share one public address: joins are counted per attendee's link,
    # and per address only as a safety valve far above a queue at the door.
    join_rate_limit: str = "5/minute"
    join_address_rate_limit: str = "3000/minute"
    # A phone renews its session when its access token nears its end, or asks for its device
    # token once: per attendee, a handful a minute is far more than a phone ever needs.
    session_renewal_rate_limit: str = "10/minute"
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (uvicorn's
    # forwarded_allow_ips): comma-separated addresses or networks, "*" for any, "" for none.
    forwarded_allow_ips: str = "127.0.0.1"

    # WebAuthn relying party: by default the host and origin of public_base_url.
    passkey_rp_id: str = ""
    passkey_origin: str = ""
    passkey_rp_name: str = "Rencontre"
    passkey_challenge_seconds: int = 300

    feed_coalesce_ms: int = 250
    # Per organiser and per process: a wall screen and a few laptops, not a scraper.
    feed_dashboards_per_organiser: int = 20
    feed_ticket_rate_limit: str = "120/minute"
    # The ranked lists (most connected, isolated) are recomputed this often, and then only
    # as of a multiple of feed_lists_min_connections connections: a list never moves with
    # one connection, so it never tells who met whom. The bound is the feed's resume window.
    feed_lists_refresh_seconds: float = Field(default=60.0, ge=1.0, le=3600.0)
    feed_lists_min_connections: int = Field(default=3, ge=1, le=1000)
    # A dashboard this many connections behind or fewer catches up by deltas; further, a snapshot.
    feed_resume_window: int = Field(default=1000, ge=100, le=100_000)
    # Sockets opened but not yet signed in (per process), and how long one may take to sign in.
    feed_unauthenticated_sockets: int = 200
    feed_auth_timeout_seconds: float = 5.0
    # A dashboard's own messages (sign-in, pings, resyncs): each at most this long, and this
    # many a second with a burst allowance, before the socket is closed.
    feed_client_message_bytes: int = Field(default=4096, ge=512, le=65_536)
    feed_client_messages_per_second: float = Field(default=5.0, gt=0.0, le=1000.0)
    feed_client_message_burst: int = Field(default=20, ge=1, le=10_000)
    # Dashboards offered a frame per turn of the event loop: a scan waits for one slice of the
    # fan-out, never for all of it.
    feed_fanout_slice: int = Field(default=100, ge=1, le=100_000)
    # The garbage collector's young generation is collected after this many net allocations
    # (CPython's default is 700): see rencontre.kit.collector.
    gc_young_threshold: int = Field(default=50_000, ge=700, le=10_000_000)
    # Invitations by e-mail (rencontre.invitations): no host, no mail, and the console keeps
    # the CSV of join links for a mail-merge.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    # Kept out of reprs and logs.
    smtp_password: SecretStr = SecretStr("")
    # starttls upgrades a plain connection (port 587), tls speaks TLS from the start (465).
    smtp_tls: Literal["starttls", "tls", "none"] = "starttls"
    smtp_from_address: str = ""
    smtp_from_name: str = "Rencontre"
    # What the organiser's mail server accepts, across every instance of the app.
    smtp_rate_per_minute: int = Field(default=30, ge=1, le=10_000)
    smtp_timeout_seconds: float = Field(default=30.0, gt=0.0, le=300.0)
    # Messages in flight at once per instance: one slow conversation does not hold up the rest.
    smtp_connections: int = Field(default=4, ge=1, le=50)
    # A temporary failure (4xx, no connection) is retried after this, doubled each time.
    smtp_retry_seconds: float = Field(default=60.0, ge=0.0, le=86_400.0)
    smtp_max_attempts: int = Field(default=5, ge=1, le=50)
    # How often an idle sender looks for queued invitations.
    smtp_poll_seconds: float = Field(default=2.0, gt=0.0, le=600.0)
    # The report's connections by objective and by interest: a smaller group is folded into
    # "other", so that no figure describes one or two people.
    report_min_group_size: int = Field(default=5, ge=2, le=1000)
    db_pool_size: int = 10
    # A database host that does not answer costs each request this long before its 503.
    db_connect_timeout: float = 5.0
    log_level: str = "info"
    # Profile photos (issue 16): an upload's weight, its pixels (more is a decompression bomb,
    # refused before decoding) and its smallest side. The phone sends about 100 KB at 512 px.
    max_photo_bytes: int = Field(default=2 * 1024 * 1024, ge=64 * 1024, le=20 * 1024 * 1024)
    max_photo_pixels: int = Field(default=50_000_000, ge=1_000_000, le=200_000_000)
    min_photo_side: int = Field(default=128, ge=32, le=512)
    # Next steps (issue 19): proposals and counter-proposals one attendee may make to one contact,
    # and how far ahead a coffee or a call may be set.
    next_step_rate_limit: str = "10/hour"
    next_step_horizon_days: int = Field(default=180, ge=1, le=730)
    # Reminders by Web Push and retention (rencontre.push, rencontre.retention; issue 19).
    # The VAPID key signs every push (PEM, or unset to have one generated in data_dir); the
    # subject tells push services whom to contact (mailto: or https:, default public_base_url).
    vapid_private_key: SecretStr = SecretStr("")
    vapid_subject: str = ""
    # Contacts still to do this long after the meeting are reminded (the window is 48 h).
    reminder_first_hours: int = Field(default=24, ge=1, le=47)
    reminder_second_hours: int = Field(default=40, ge=1, le=47)
    # At most this many reminders an attendee's day, this far apart; contacts due within the
    # gap join the reminder that leaves, so one notification carries them all.
    reminder_max_per_day: int = Field(default=3, ge=1, le=24)
    reminder_gap_minutes: int = Field(default=120, ge=1, le=24 * 60)
    # Never at night in the event's time zone: from quiet_start to quiet_end (local hours).
    reminder_quiet_start_hour: int = Field(default=22, ge=0, le=23)
    reminder_quiet_end_hour: int = Field(default=8, ge=0, le=23)
    # How often the background loop looks for due reminders and purges; 0 turns it off
    # (deployments running `rencontre reminders` and `rencontre purge` from cron).
    reminder_poll_seconds: float = Field(default=60.0, ge=0.0, le=3600.0)
    push_timeout_seconds: float = Field(default=10.0, gt=0.0, le=120.0)
    push_concurrency: int = Field(default=20, ge=1, le=500)
    # Push endpoints are https:// on the internet; plain http or this machine only for tests.
    push_allow_loopback_http: bool = False
    # Attendees are warned this many days before their event's data is purged.
    retention_warning_days: int = Field(default=7, ge=1, le=60)
    # Short badge codes and the sealed offline card cache (badges.short_code, badges.sealed).
    # Every lookup of a typed code counts against the first limit, every code that names no
    # one against the second: guessing codes online meets the second long before a hit.
    short_code_rate_limit: str = "12/minute"
    short_code_miss_rate_limit: str = "30/hour"
    # PBKDF2-HMAC-SHA256 iterations sealing a card under its short code: what one guess costs
    # a phone and an attacker with a copy of the cache, and each attendee costs the server once.
    short_code_kdf_iterations: int = Field(default=50_000, ge=1_000, le=10_000_000)
    # How long one directory request may spend deriving the short-code keys still missing.
    short_code_kdf_seconds: float = Field(default=2.0, gt=0.0, le=60.0)
    # How long the sealed cache of an event is served from memory before being built again.
    sealed_cache_seconds: float = Field(default=60.0, ge=0.0, le=3600.0)
    # Who-to-meet: "I'd like to meet you" requests one attendee may send at an event, and how fast.
    meet_requests_per_event: int = Field(default=30, ge=1, le=10_000)
    meet_request_rate_limit: str = "10/minute"
    # Suggestions (who-to-meet): how long "not now" keeps a person out of a reader's list,
    # how many people a list holds, and the most readers one person is suggested to (a share
    # of the directory, never fewer than a list's length in a small room).
    suggestion_not_now_hours: float = Field(default=4.0, gt=0.0, le=24 * 30)
    suggestion_list_size: int = Field(default=8, ge=1, le=30)
    suggestion_max_share: float = Field(default=0.04, gt=0.0, le=1.0)

    @field_validator("public_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL, e.g. https://rencontre.example.org")
        return value.rstrip("/")

    @field_validator("jwt_secret", "badge_secret")
    @classmethod
    def _long_enough(cls, value: str, info: ValidationInfo) -> str:
        if value:
            _check_key_length(f"RENCONTRE_{str(info.field_name).upper()}", value)
        return value

    @field_validator("jwt_retired_keys")
    @classmethod
    def _retired_long_enough(cls, value: dict[str, str]) -> dict[str, str]:
        for key_id, secret in value.items():
            _check_key_length(f"RENCONTRE_JWT_RETIRED_KEYS[{key_id!r}]", secret)
        return value

    @field_validator(
        "scan_rate_limit",
        "login_rate_limit",
        "login_address_rate_limit",
        "login_email_rate_limit",
        "join_rate_limit",
        "join_address_rate_limit",
        "session_renewal_rate_limit",
        "feed_ticket_rate_limit",
        "next_step_rate_limit",
        "short_code_rate_limit",
        "short_code_miss_rate_limit",
        "meet_request_rate_limit",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate; write e.g. 10/minute or 100/hour") from None
        return value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies(cls, value: str) -> str:
        for item in (part.strip() for part in value.split(",")):
            if item in ("", "*"):
                continue
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"{item!r} is neither an IP address nor a network; write e.g. 10.0.0.5,10.1.0.0/16"
                ) from None
        return value

    @model_validator(mode="after")
    def _burst_holds_a_batch(self) -> Settings:
        if self.scan_burst < self.max_batch_items:
            raise ValueError(
                f"scan_burst ({self.scan_burst}) must be at least max_batch_items ({self.max_batch_items}):"
                " a full offline batch must be able to sync"
            )
        return self

    @model_validator(mode="after")
    def _lists_within_the_resume_window(self) -> Settings:
        # The lists are computed back from the room's recent connections, which must reach them.
        if self.feed_lists_min_connections > self.feed_resume_window:
            raise ValueError(
                f"feed_lists_min_connections ({self.feed_lists_min_connections}) must be at most"
                f" feed_resume_window ({self.feed_resume_window})"
            )
        return self

    @model_validator(mode="after")
    def _mail_has_a_sender(self) -> Settings:
        if self.smtp_host and "@" not in self.smtp_from_address:
            raise ValueError(
                "RENCONTRE_SMTP_FROM_ADDRESS must be an e-mail address when RENCONTRE_SMTP_HOST is set"
            )
        return self

    @model_validator(mode="after")
    def _reminders_in_order(self) -> Settings:
        if self.reminder_second_hours <= self.reminder_first_hours:
            raise ValueError(
                f"reminder_second_hours ({self.reminder_second_hours}) must be after"
                f" reminder_first_hours ({self.reminder_first_hours})"
            )
        return self

    @property
    def mail_configured(self) -> bool:
        return bool(self.smtp_host)

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
    def webauthn_rp_id(self) -> str:
        return self.passkey_rp_id or (urlsplit(self.public_base_url).hostname or "")

    @property
    def webauthn_origin(self) -> str:
        return self.passkey_origin.rstrip("/") or self.public_origin

    @property
    def uses_https(self) -> bool:
        return self.public_base_url.startswith("https://")

    # Both are read on every request: built once per distinct configuration, not per call.
    def jwt_keyring(self) -> KeyRing:
        retired = tuple(sorted(self.jwt_retired_keys.items()))
        return _keyring(self.jwt_secret, self.jwt_key_id, retired, self.data_dir)

    def badge_key(self) -> bytes:
        return _badge_key(self.badge_secret, self.data_dir)

    def vapid_pem(self) -> bytes:
        """The VAPID private key (PEM): given, or generated once into data_dir."""
        return _vapid_pem(self.vapid_private_key.get_secret_value(), self.data_dir)

    @property
    def push_subject(self) -> str:
        return self.vapid_subject or self.public_base_url


# HMAC-SHA256 keys (tokens, badges) shorter than the hash's output weaken it (RFC 7518 §3.2).
MIN_KEY_BYTES = 32


def _check_key_length(name: str, value: str) -> None:
    if len(value.encode()) < MIN_KEY_BYTES:
        raise ValueError(
            f"{name} is {len(value.encode())} bytes long; signing keys need at least {MIN_KEY_BYTES}. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))' "
            "(or leave it unset to have one generated in the data directory)"
        )


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
_VAPID_FILE = "vapid.pem"


def _create_once(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` (0600) unless it exists; the first process to write wins."""
    if path.exists():
        private_file(path)
        return
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    try:
        # link() fails if another process won the race; theirs is kept.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def _stored_secrets(data_dir: Path) -> dict[str, str]:
    """Read the generated secrets, creating them atomically (0600) on first use."""
    private_dir(data_dir)
    path = data_dir / _SECRETS_FILE
    if not path.exists():
        fresh = {"jwt": secrets.token_urlsafe(48), "badge": secrets.token_urlsafe(48)}
        _create_once(path, json.dumps(fresh))
    else:
        private_file(path)
    stored: dict[str, str] = json.loads(path.read_text())
    return stored


@lru_cache(maxsize=8)
def _vapid_pem(given: str, data_dir: Path) -> bytes:
    """A P-256 key in its own file beside secrets.json: installs made before push get one too."""
    if given:
        return given.encode()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    private_dir(data_dir)
    path = data_dir / _VAPID_FILE
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _create_once(path, pem.decode())
    else:
        private_file(path)
    return path.read_bytes()


@lru_cache
def get_settings() -> Settings:
    return Settings()
