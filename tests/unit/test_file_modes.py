"""The data directory is owner-only (0700) and the files in it are too (0600)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from rencontre.config import Settings
from rencontre.db import create_engine
from tests.support import make_settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common default, under which nothing made by mkdir or open would be private."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def _open_database(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
            await connection.execute(text("INSERT INTO probe VALUES (1)"))
    finally:
        await engine.dispose()


def _settings(data_dir: Path) -> Settings:
    return make_settings(data_dir, jwt_secret="", badge_secret="")


class TestNewDataDirectoryIsPrivate:
    async def test_directory_database_and_its_companions_are_owner_only(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        settings = _settings(data)
        engine = create_engine(settings)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("CREATE TABLE probe (x INTEGER)"))
                await connection.execute(text("INSERT INTO probe VALUES (1)"))
                # While a connection is open, SQLite's -wal and -shm files exist.
                companions = [data / "rencontre.db-wal", data / "rencontre.db-shm"]
                assert all(path.exists() for path in companions)
                assert {path.name: _mode(path) for path in companions} == {
                    path.name: 0o600 for path in companions
                }
        finally:
            await engine.dispose()
        assert _mode(data) == 0o700
        assert _mode(data / "rencontre.db") == 0o600

    def test_generated_secrets_are_owner_only(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        _settings(data).badge_key()
        assert _mode(data) == 0o700
        assert _mode(data / "secrets.json") == 0o600


class TestExistingDataDirectoryIsTightened:
    async def test_an_install_made_world_readable_is_made_private_at_start(self, tmp_path: Path) -> None:
        data = tmp_path / "data"
        await _open_database(_settings(data))
        _settings(data).badge_key()
        data.chmod(0o755)
        for name in ("rencontre.db", "secrets.json"):
            (data / name).chmod(0o644)

        await _open_database(_settings(data))
        # The keys are cached per directory: a fresh path name reads the file again.
        _settings(data / ".." / "data").badge_key()

        assert _mode(data) == 0o700
        assert _mode(data / "rencontre.db") == 0o600
        assert _mode(data / "secrets.json") == 0o600

    async def test_a_database_outside_the_data_directory_leaves_its_folder_alone(
        self, tmp_path: Path
    ) -> None:
        shared = tmp_path / "shared"
        shared.mkdir(mode=0o755)
        url = f"sqlite+aiosqlite:///{shared / 'elsewhere.db'}"
        await _open_database(make_settings(tmp_path / "data", url))
        assert _mode(shared) == 0o755
        assert _mode(shared / "elsewhere.db") == 0o600
