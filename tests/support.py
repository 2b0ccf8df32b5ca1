"""Helpers shared by the test suites: databases, settings and factories."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from devtools.postgres import create_postgres_database, drop_postgres_database, postgres_available
from rencontre.auth import service as auth_service
from rencontre.auth.passwords import hash_password
from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Event, Organiser

IN_CI = os.environ.get("CI", "").lower() == "true"
REPO = Path(__file__).resolve().parents[1]

# One argon2 hash for every test organiser: hashing is deliberately slow.
TEST_PASSWORD = "correct horse battery staple"
_TEST_PASSWORD_HASH = hash_password(TEST_PASSWORD)


def require_or_skip(available: bool, what: str) -> None:
    """Skip when a tool or service is absent, except in CI where everything is provided."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available on this machine")


def scratch_database(backend: str, tmp_path: Path, label: str) -> Iterator[str]:
    """An empty database of ``backend`` for one test: a SQLite file, or a PostgreSQL one dropped after."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / f'{label}.db'}"
        return
    require_or_skip(postgres_available(), "PostgreSQL on 127.0.0.1:5432")
    name = f"rencontre_{label}_{os.getpid()}"
    yield create_postgres_database(name)
    drop_postgres_database(name)


def make_settings(data_dir: Path, database_url: str = "", **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": data_dir,
        "database_url": database_url,
        "jwt_secret": secrets.token_urlsafe(32),
        "badge_secret": secrets.token_urlsafe(32),
        "scan_rate_limit": "100000/minute",
        "login_rate_limit": "100000/minute",
        "login_address_rate_limit": "100000/minute",
        "login_email_rate_limit": "100000/minute",
        "join_rate_limit": "100000/minute",
        "session_renewal_rate_limit": "100000/minute",
        # Short badge codes: the slow derivation at its floor, so that sealing a cache is quick.
        "short_code_kdf_iterations": 1000,
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class World:
    """A small event: its organiser, and the attendees made by the test."""

    organiser: Organiser
    event: Event


class Factory:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def organiser(self, email: str | None = None, name: str = "Org") -> Organiser:
        organiser = Organiser(
            email=email or f"org-{uuid.uuid4().hex[:8]}@example.org",
            name=name,
            password_hash=_TEST_PASSWORD_HASH,
        )
        self.session.add(organiser)
        await self.session.flush()
        return organiser

    async def event(self, organiser: Organiser | None = None, **fields: Any) -> Event:
        organiser = organiser or await self.organiser()
        start = utcnow() - timedelta(hours=1)
        values: dict[str, Any] = {
            "name": "Meetup",
            "slug": f"meetup-{uuid.uuid4().hex[:8]}",
            "starts_at": start,
            "ends_at": start + timedelta(hours=4),
            "timezone": "Europe/Paris",
            "venue": "Lyon",
            "badge_code": secrets.token_hex(4),
        }
        values.update(fields)
        event = Event(organiser_id=organiser.id, **values)
        self.session.add(event)
        await self.session.flush()
        return event

    async def attendee(self, event: Event, **fields: Any) -> Attendee:
        values: dict[str, Any] = {
            "name": "Zoé Lefèvre",
            "email": f"a-{uuid.uuid4().hex[:8]}@example.org",
            "company": "Atelier",
            "job_title": "Designer",
            "badge_code": secrets.token_hex(6),
        }
        values.update(fields)
        attendee = Attendee(event_id=event.id, **values)
        self.session.add(attendee)
        await self.session.flush()
        return attendee

    async def encounter(self, scanner: Attendee, scanned: Attendee, **fields: Any) -> Encounter:
        """A contact of ``scanner`` with ``scanned``, as a scan would record it."""
        if "seq" not in fields:
            last = await self.session.scalar(
                select(func.max(Encounter.seq)).where(Encounter.event_id == scanner.event_id)
            )
            fields["seq"] = (last or 0) + 1
        values: dict[str, Any] = {"client_id": uuid.uuid4(), "note": "", "tags": []}
        values.update(fields)
        encounter = Encounter(
            event_id=scanner.event_id, scanner_id=scanner.id, scanned_id=scanned.id, **values
        )
        self.session.add(encounter)
        # Keep the event's feed sequence in step, as the scan path does.
        event = await self.session.get(Event, scanner.event_id)
        assert event is not None
        event.feed_seq = max(event.feed_seq, encounter.seq)
        await self.session.flush()
        return encounter

    def organiser_headers(self, organiser: Organiser) -> dict[str, str]:
        return {"Authorization": f"Bearer {auth_service.organiser_token(self.settings, organiser)}"}

    def attendee_headers(self, attendee: Attendee) -> dict[str, str]:
        return {"Authorization": f"Bearer {auth_service.attendee_token(self.settings, attendee)}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A real ``uvicorn`` process serving Rencontre on a free port of 127.0.0.1."""

    def __init__(self, env: dict[str, str], port: int | None = None) -> None:
        self.port = port or free_port()
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(self.env.get("RENCONTRE_DATA_DIR", "/tmp")) / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "rencontre", "migrate"],
            env=self.env,
            check=True,
            capture_output=True,
        )

    def command(self) -> list[str]:
        uvicorn = [sys.executable, "-m", "uvicorn", "rencontre.app:create_app", "--factory"]
        listen = ["--host", "127.0.0.1", "--port", str(self.port)]
        return [*uvicorn, *listen, "--log-level", "warning", "--timeout-graceful-shutdown", "5"]

    def start(self, timeout: float = 30) -> ServerProcess:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=REPO,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not become healthy: {self.log.read_text()[-2000:]}")

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")
