"""Migration a14c0e550001: whoever joined before it holds a session from their link, so that link is spent."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from rencontre import migrate
from tests.api.migration_support import BEFORE, event_at_first_revision
from tests.api.migration_support import run_sql as _run
from tests.api.test_migrations import scratch_url  # noqa: F401  (the fixture, on both databases)
from tests.support import make_settings


class TestJoinLinksOnceMigration:
    async def test_joined_attendees_have_spent_their_link_and_others_have_not(
        self,
        scratch_url: str,  # noqa: F811
        tmp_path: Path,
    ) -> None:
        settings = make_settings(tmp_path)
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url, BEFORE)
        event = await event_at_first_revision(scratch_url, tmp_path)
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
