"""Rows written with plain SQL at an old revision, for the tests of a migration's data moves."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import Uuid, bindparam, text

from rencontre.db import create_engine
from tests.support import make_settings

# The first revision: the schema these tests write their rows into.
BEFORE = "9a9d10e4a504"


async def run_sql(url: str, tmp_path: Path, statement: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_engine(make_settings(tmp_path), url)
    try:
        async with engine.begin() as connection:
            # The ids as each database stores a UUID (SQLite: 32 hex digits).
            typed = [
                bindparam(name, type_=Uuid())
                for name, value in params.items()
                if isinstance(value, uuid.UUID)
            ]
            result = await connection.execute(text(statement).bindparams(*typed), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


async def event_at_first_revision(url: str, tmp_path: Path) -> uuid.UUID:
    """An organiser and their event, as the first revision stores them; the event's id."""
    organiser, event = uuid.uuid4(), uuid.uuid4()
    await run_sql(
        url,
        tmp_path,
        "INSERT INTO organiser (id, email, name, password_hash, token_version, created_at) "
        "VALUES (:id, 'o@example.org', 'O', 'x', 1, CURRENT_TIMESTAMP)",
        id=organiser,
    )
    await run_sql(
        url,
        tmp_path,
        "INSERT INTO event (id, organiser_id, name, slug, starts_at, ends_at, timezone, venue, "
        "badge_code, feed_shows_names, feed_seq, created_at) VALUES (:id, :organiser, 'E', 'e', "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Europe/Paris', '', 'abcd', false, 0, CURRENT_TIMESTAMP)",
        id=event,
        organiser=organiser,
    )
    return event
