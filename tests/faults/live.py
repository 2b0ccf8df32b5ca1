"""A real Rencontre server process on a database of its own, and a seeded event.

The fault and fuzz tests commit for real, kill servers and cut the database off, so
they never share the suite's database: each stage gets a fresh SQLite file in its
own data directory, or a fresh PostgreSQL database that is dropped afterwards.
The test process holds the same secrets as the server, so it can sign tokens and
badges the server accepts, and read what the server stored.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from anyio.from_thread import start_blocking_portal
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from devtools.postgres import (
    POSTGRES_ADMIN_URL,
    create_postgres_database,
    drop_postgres_database,
    postgres_available,
)
from rencontre import migrate
from rencontre.auth import service as auth_service
from rencontre.badges.token import BadgeRef, badge_url, issue
from rencontre.config import Settings
from rencontre.models import Attendee, Encounter, Event, Scan
from tests.support import Factory, ServerProcess, free_port, make_settings, require_or_skip

BACKENDS = ("sqlite", "postgresql")

T = TypeVar("T")


@dataclass(frozen=True)
class Person:
    """A seeded attendee: who they are, their access token and their badge's QR text."""

    id: uuid.UUID
    name: str
    token: str
    badge: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Seeded:
    event_id: uuid.UUID
    organiser_id: uuid.UUID
    organiser_token: str
    people: list[Person]

    @property
    def organiser_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.organiser_token}"}


@dataclass
class Stage:
    """One server process, its database and its settings (the secrets included)."""

    backend: str
    data_dir: Path
    database_url: str
    settings: Settings
    port: int
    extra_env: dict[str, str] = field(default_factory=dict)
    server: ServerProcess | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_name(self) -> str:
        return self.database_url.rsplit("/", 1)[1]

    def env(self) -> dict[str, str]:
        env = {
            "RENCONTRE_ENVIRONMENT": "test",
            "RENCONTRE_DATA_DIR": str(self.data_dir),
            "RENCONTRE_DATABASE_URL": self.database_url,
            "RENCONTRE_PUBLIC_BASE_URL": self.url,
            "RENCONTRE_JWT_SECRET": self.settings.jwt_secret,
            "RENCONTRE_BADGE_SECRET": self.settings.badge_secret,
            "RENCONTRE_SCAN_RATE_LIMIT": self.settings.scan_rate_limit,
            "RENCONTRE_LOGIN_RATE_LIMIT": self.settings.login_rate_limit,
            "RENCONTRE_LOGIN_ADDRESS_RATE_LIMIT": self.settings.login_address_rate_limit,
            "RENCONTRE_LOGIN_EMAIL_RATE_LIMIT": self.settings.login_email_rate_limit,
            "RENCONTRE_JOIN_RATE_LIMIT": self.settings.join_rate_limit,
        }
        env.update(self.extra_env)
        return env

    def start(self) -> ServerProcess:
        """Start (or restart, on the same port) the server and wait until it is healthy."""
        self.server = ServerProcess(self.env(), port=self.port).start(timeout=60)
        return self.server

    def kill(self) -> None:
        """``kill -9``: no shutdown, no flush, no goodbye."""
        if self.server is not None:
            self.server.stop(kill=True)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def log(self) -> str:
        return self.server.log.read_text(errors="replace") if self.server else ""

    def query(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run ``work`` in a session of its own on the stage's database, from a test thread."""

        async def run() -> T:
            engine = create_async_engine(self.database_url, poolclass=NullPool)
            try:
                async with AsyncSession(engine, expire_on_commit=False) as session:
                    result = await work(session)
                    await session.commit()
                    return result
            finally:
                await engine.dispose()

        # A thread and event loop of its own: never the one pytest-asyncio keeps for the suite.
        with start_blocking_portal() as portal:
            return portal.call(run)

    @contextmanager
    def reader(self) -> Iterator[DatabaseReader]:
        """A connection kept open for many reads, e.g. one per step of a state machine."""
        reader = DatabaseReader(self.database_url)
        try:
            yield reader
        finally:
            reader.close()

    def admin(self, sql: str, *args: object) -> None:
        """Run ``sql`` on the PostgreSQL server's maintenance database (never the stage's own)."""
        import asyncpg

        async def run() -> None:
            connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=10)
            try:
                await connection.execute(sql, *args)
            finally:
                await connection.close()

        with start_blocking_portal() as portal:
            portal.call(run)

    def refuse_connections(self, refuse: bool) -> None:
        """Take the stage's PostgreSQL database down for the app, or bring it back.

        Only this database goes: other tests on the same PostgreSQL server carry on.
        """
        allow = "false" if refuse else "true"
        self.admin(f'ALTER DATABASE "{self.database_name}" WITH ALLOW_CONNECTIONS {allow}')

    def terminate_backends(self) -> None:
        """Hang up every connection the app holds, as a PostgreSQL restart does."""
        self.admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            self.database_name,
        )

    def seed(self, attendees: int) -> Seeded:
        """An organiser, a running event and ``attendees`` people who joined it."""
        settings = self.settings

        async def work(session: AsyncSession) -> Seeded:
            factory = Factory(session, settings)
            organiser = await factory.organiser()
            event = await factory.event(organiser)
            people = [
                await factory.attendee(event, name=f"Person {index:04d}", email=f"p{index}@example.org")
                for index in range(attendees)
            ]
            return Seeded(
                event_id=event.id,
                organiser_id=organiser.id,
                organiser_token=auth_service.organiser_token(settings, organiser),
                people=[person_of(settings, event, attendee) for attendee in people],
            )

        return self.query(work)


class DatabaseReader:
    """Reads the stage's database from a thread and event loop of its own, connection kept."""

    def __init__(self, database_url: str) -> None:
        self._portal_context = start_blocking_portal()
        self._portal = self._portal_context.__enter__()
        self._engine = create_async_engine(database_url, pool_size=1)

    def query(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async def run() -> T:
            async with AsyncSession(self._engine, expire_on_commit=False) as session:
                return await work(session)

        return self._portal.call(run)

    def close(self) -> None:
        try:
            self._portal.call(self._engine.dispose)
        finally:
            self._portal_context.__exit__(None, None, None)


def person_of(settings: Settings, event: Event, attendee: Attendee) -> Person:
    ref = BadgeRef(
        event_code=event.badge_code, attendee_code=attendee.badge_code, version=attendee.badge_version
    )
    return Person(
        id=attendee.id,
        name=attendee.name,
        token=auth_service.attendee_token(settings, attendee),
        badge=badge_url(settings.public_base_url, issue(settings.badge_key(), ref)),
    )


@contextmanager
def stage(backend: str, data_dir: Path, **settings: Any) -> Iterator[Stage]:
    """A migrated database of ``backend`` and settings for a server on a free port.

    The server is not started; whatever was started is stopped (killed if need be)
    and the PostgreSQL database dropped at the end.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    name = ""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'rencontre.db'}"
    else:
        require_or_skip(postgres_available(), "PostgreSQL on 127.0.0.1:5432")
        name = f"rencontre_live_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        url = create_postgres_database(name)
    values: dict[str, Any] = {"public_base_url": f"http://127.0.0.1:{port}"}
    values.update(settings)
    the_stage = Stage(
        backend=backend,
        data_dir=data_dir,
        database_url=url,
        settings=make_settings(data_dir, url, **values),
        port=port,
    )
    try:
        migrate.upgrade(the_stage.settings, url)
        yield the_stage
    finally:
        the_stage.kill()
        if name:
            drop_postgres_database(name)


async def scans_of(session: AsyncSession, scanner_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """client id → encounter id, for every scan the server recorded from these phones."""
    rows = await session.execute(
        select(Scan.client_id, Scan.encounter_id).where(Scan.scanner_id.in_(scanner_ids))
    )
    return {client_id: encounter_id for client_id, encounter_id in rows.all()}


async def pair_counts(session: AsyncSession, event_id: uuid.UUID) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """(scanner, scanned) → how many encounter rows the pair has (one, always, if all is well)."""
    rows = await session.execute(
        select(Encounter.scanner_id, Encounter.scanned_id, func.count())
        .where(Encounter.event_id == event_id)
        .group_by(Encounter.scanner_id, Encounter.scanned_id)
    )
    return {(scanner, scanned): count for scanner, scanned, count in rows.all()}
