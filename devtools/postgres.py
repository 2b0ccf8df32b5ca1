"""Throwaway PostgreSQL databases on the local server, for the test suite and the benchmarks.

Both need the same three things: to know whether the server answers, to create a
fresh database and to drop it. The server is reached as an administrator through
``RENCONTRE_TEST_POSTGRES_URL`` (trust authentication on 127.0.0.1 by default);
the benchmarks may point elsewhere with ``RENCONTRE_BENCH_POSTGRES_URL``.
"""

from __future__ import annotations

import asyncio
import os

import asyncpg  # type: ignore[import-untyped]

POSTGRES_ADMIN_URL = os.environ.get(
    "RENCONTRE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_available(admin_url: str = POSTGRES_ADMIN_URL) -> bool:
    async def probe() -> bool:
        try:
            connection = await asyncpg.connect(admin_url, timeout=3)
        except (OSError, asyncpg.PostgresError):
            return False
        await connection.close()
        return True

    return asyncio.run(probe())


def create_postgres_database(name: str, admin_url: str = POSTGRES_ADMIN_URL) -> str:
    """Create an empty database (dropping one left under that name) and return its async URL."""
    _run_as_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    return f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://", 1)


def drop_postgres_database(name: str, admin_url: str = POSTGRES_ADMIN_URL) -> None:
    _run_as_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_as_admin(admin_url: str, *statements: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(admin_url, timeout=10)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())
