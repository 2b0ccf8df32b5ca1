"""The embedded database is set up to keep what it acknowledged: write-ahead log with a
full sync on every commit (an acknowledged scan survives ``kill -9`` and power loss),
foreign keys enforced, and a busy timeout so that writers wait their turn instead of
failing with "database is locked"."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from rencontre.db import create_engine
from tests.support import make_settings

FULL = 2


class TestSqliteConnections:
    async def test_every_connection_is_durable_and_strict(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path)
        engine = create_engine(settings)
        try:
            for _ in range(2):  # a fresh connection and a pooled one alike
                async with engine.connect() as connection:
                    pragmas = {
                        name: (await connection.execute(text(f"PRAGMA {name}"))).scalar()
                        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
                    }
                assert pragmas == {
                    "journal_mode": "wal",
                    "synchronous": FULL,
                    "foreign_keys": 1,
                    "busy_timeout": 30000,
                }
        finally:
            await engine.dispose()
        assert (tmp_path / "rencontre.db").exists()
