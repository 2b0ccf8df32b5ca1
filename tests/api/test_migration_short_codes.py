"""Migration a16c0e550201: every attendee already registered gets a short code, unique in their event."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from rencontre import migrate
from rencontre.badges.short_code import ALPHABET, LENGTH
from tests.api.test_migration_join_links_once import _run
from tests.api.test_migrations import scratch_url  # noqa: F401  (the fixture, on both databases)
from tests.support import make_settings

BEFORE = "a17c0e550004"


class TestShortCodesMigration:
    async def test_existing_attendees_get_distinct_codes_and_the_step_reverses(
        self,
        scratch_url: str,  # noqa: F811
        tmp_path: Path,
    ) -> None:
        settings = make_settings(tmp_path)
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url, BEFORE)
        organiser = uuid.uuid4()
        await _run(
            scratch_url,
            tmp_path,
            "INSERT INTO organiser (id, email, name, password_hash, token_version, created_at) "
            "VALUES (:id, 'o@example.org', 'O', 'x', 1, CURRENT_TIMESTAMP)",
            id=organiser,
        )
        events = [uuid.uuid4(), uuid.uuid4()]
        for index, event in enumerate(events):
            await _run(
                scratch_url,
                tmp_path,
                "INSERT INTO event (id, organiser_id, name, slug, starts_at, ends_at, timezone, venue, "
                "badge_code, feed_shows_names, feed_seq, created_at) VALUES (:id, :organiser, 'E', :slug, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Europe/Paris', '', :code, false, 0, "
                "CURRENT_TIMESTAMP)",
                id=event,
                organiser=organiser,
                slug=f"e{index}",
                code=f"abc{index}",
            )
            for person in range(25):
                await _run(
                    scratch_url,
                    tmp_path,
                    "INSERT INTO attendee (id, event_id, badge_code, name, email, company, job_title, phone, "
                    "website, linkedin, pitch, objective, interests, shared_fields, language, badge_version, "
                    "access_version, invite_state, created_at) VALUES (:id, :event, :code, 'A', :email, '', "
                    "'', '', '', '', '', '', '[]', '[]', '', 1, 1, 'pending', CURRENT_TIMESTAMP)",
                    id=uuid.uuid4(),
                    event=event,
                    code=f"{index}{person:011d}",
                    email=f"p{person}@example.org",
                )
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url)
        rows = await _run(scratch_url, tmp_path, "SELECT event_id, short_code, short_code_key FROM attendee")
        assert len(rows) == 50
        by_event: dict[object, set[str]] = {}
        for event_id, code, key in rows:
            assert isinstance(code, str)
            assert len(code) == LENGTH
            assert set(code) <= set(ALPHABET)
            assert key is None
            by_event.setdefault(event_id, set()).add(code)
        assert sorted(len(codes) for codes in by_event.values()) == [25, 25]
        await asyncio.to_thread(migrate.downgrade, settings, scratch_url, BEFORE)
        assert len(await _run(scratch_url, tmp_path, "SELECT id FROM attendee")) == 50
