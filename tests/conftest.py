"""Fixtures: each database test runs on SQLite and on PostgreSQL, in a transaction
rolled back at its end; the schema comes from ``alembic upgrade head`` once per run."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import hypothesis
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from devtools.postgres import create_postgres_database, drop_postgres_database, postgres_available
from rencontre import migrate
from rencontre.app import create_app
from rencontre.config import Settings
from rencontre.db import create_engine, session_info
from rencontre.feed.broker import InProcessBroker
from rencontre.kit import ratelimit
from tests.support import IN_CI, Factory, make_settings, require_or_skip

BACKENDS = ["sqlite", "postgresql"]

# CI runs every property the same way each time: derandomised, no example database, no
# deadline on a shared machine; the failing example is printed so it can be replayed.
hypothesis.settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
if IN_CI:
    hypothesis.settings.load_profile("ci")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``postgresql_only`` is not collected with the SQLite database at all:
    it would otherwise report a skip that looks like a missing service."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("database_url") == "sqlite"
        (dropped if on_sqlite and item.get_closest_marker("postgresql_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rencontre")


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, session_dir: Path) -> Iterator[str]:
    """A freshly migrated database of each backend, shared by the run."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{session_dir / 'test.db'}"
        migrate.upgrade(make_settings(session_dir), url)
        yield url
        return
    require_or_skip(postgres_available(), "PostgreSQL on 127.0.0.1:5432")
    name = f"rencontre_test_{os.getpid()}"
    url = create_postgres_database(name)
    migrate.upgrade(make_settings(session_dir), url)
    yield url
    drop_postgres_database(name)


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture(scope="session")
async def engine(database_url: str, session_dir: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(make_settings(session_dir), database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()


@pytest.fixture
def session_factory(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    # Each request's commit releases a SAVEPOINT; the test's outer transaction is rolled back.
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        join_transaction_mode="create_savepoint",
        info=session_info(connection),
    )


@pytest.fixture
async def session(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture
def factory(session: AsyncSession, settings: Settings) -> Factory:
    return Factory(session, settings)


@pytest.fixture
def app(
    settings: Settings, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> FastAPI:
    ratelimit.reset()
    app = create_app(settings)
    app.state.engine = engine
    app.state.session_factory = session_factory
    app.state.broker = InProcessBroker()
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
