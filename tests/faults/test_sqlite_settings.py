"""The embedded database is set up to keep what it acknowledged: write-ahead log with a
full sync on every commit (an acknowledged scan survives ``kill -9`` and power loss),
foreign keys enforced, and a busy timeout so that writers wait their turn instead of
failing with "database is locked" — on the app's connections and on the scan writer's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import make_url, text

from rencontre.db import create_engine, create_sqlite_writer_engine
from tests.support import make_settings

FULL = 2
EXPECTED = {"journal_mode": "wal", "synchronous": FULL, "foreign_keys": 1, "busy_timeout": 30000}
PRAGMAS = tuple(EXPECTED)


class TestSqliteConnections:
    async def test_every_connection_is_durable_and_strict(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path)
        engine = create_engine(settings)
        try:
            for _ in range(2):  # a fresh connection and a pooled one alike
                async with engine.connect() as connection:
                    pragmas = {
                        name: (await connection.execute(text(f"PRAGMA {name}"))).scalar() for name in PRAGMAS
                    }
                assert pragmas == EXPECTED
        finally:
            await engine.dispose()
        assert (tmp_path / "rencontre.db").exists()

    def test_the_scan_writers_connection_too(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path)
        engine = create_sqlite_writer_engine(make_url(settings.resolved_database_url))
        try:
            for _ in range(2):
                with engine.connect() as connection:
                    pragmas: dict[str, Any] = {
                        name: connection.execute(text(f"PRAGMA {name}")).scalar() for name in PRAGMAS
                    }
                assert pragmas == EXPECTED
        finally:
            engine.dispose()
