"""Alembic is the only schema path: the migrated schema equals the models, both ways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from rencontre import migrate
from rencontre.db import create_engine
from rencontre.models import Base
from tests.support import make_settings, scratch_database


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from scratch_database(request.param, tmp_path, "migrations")


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def _inspect(url: str, tmp_path: Path) -> tuple[list[Any], set[str]]:
    engine = create_engine(make_settings(tmp_path), url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
            tables = await connection.run_sync(_tables)
    finally:
        await engine.dispose()
    return differences, tables


class TestMigrations:
    async def test_upgrade_matches_models_and_round_trips(self, scratch_url: str, tmp_path: Path) -> None:
        import asyncio

        settings = make_settings(tmp_path)
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url)
        differences, tables = await _inspect(scratch_url, tmp_path)
        assert differences == []
        assert tables == set(Base.metadata.tables)

        await asyncio.to_thread(migrate.downgrade, settings, scratch_url, "base")
        _, tables = await _inspect(scratch_url, tmp_path)
        assert tables == set()

        await asyncio.to_thread(migrate.upgrade, settings, scratch_url)
        differences, tables = await _inspect(scratch_url, tmp_path)
        assert differences == []
        assert tables == set(Base.metadata.tables)
