"""Migration a14c0e550001: whoever joined before it holds a session from their link, so that link is spent."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from sqlalchemy import Uuid, bindparam, text

from rencontre import migrate
from rencontre.db import create_engine
from tests.api.test_migrations import scratch_url  # noqa: F401  (the fixture, on both databases)
from tests.support import make_settings

BEFORE = "9a9d10e4a504"


async def _run(url: str, tmp_path: Path, statement: str, **params: object) -> list[tuple[object, ...]]:
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


class TestJoinLinksOnceMigration:
    async def test_joined_attendees_have_spent_their_link_and_others_have_not(
        self,
        scratch_url: str,  # noqa: F811
        tmp_path: Path,
    ) -> None:
        settings = make_settings(tmp_path)
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url, BEFORE)
        organiser, event = uuid.uuid4(), uuid.uuid4()
        await _run(
            scratch_url,
            tmp_path,
            "INSERT INTO organiser (id, email, name, password_hash, token_version, created_at) "
            "VALUES (:id, 'o@example.org', 'O', 'x', 1, CURRENT_TIMESTAMP)",
            id=organiser,
        )
        await _run(
            scratch_url,
            tmp_path,
            "INSERT INTO event (id, organiser_id, name, slug, starts_at, ends_at, timezone, venue, "
            "badge_code, feed_shows_names, feed_seq, created_at) VALUES (:id, :organiser, 'E', 'e', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Europe/Paris', '', 'abcd', false, 0, CURRENT_TIMESTAMP)",
            id=event,
            organiser=organiser,
        )
        people = {"joined": uuid.uuid4(), "sent": uuid.uuid4()}
        for state, person in people.items():
            await _run(
                scratch_url,
                tmp_path,
                "INSERT INTO attendee (id, event_id, badge_code, name, email, company, job_title, phone, "
                "website, linkedin, pitch, objective, interests, shared_fields, language, badge_version, "
                "access_version, invite_state, created_at) VALUES (:id, :event, :code, 'A', :email, '', '', "
                "'', '', '', '', '', '[]', '[]', '', 1, 3, :state, CURRENT_TIMESTAMP)",
                id=person,
                event=event,
                code=state,
                email=f"{state}@example.org",
                state=state,
            )
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url)
        rows = await _run(scratch_url, tmp_path, "SELECT invite_state, join_used_version FROM attendee")
        assert sorted((str(state), int(str(used))) for state, used in rows) == [("joined", 3), ("sent", 0)]
