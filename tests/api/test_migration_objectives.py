"""Migration a16c0e550401: each attendee's one objective becomes the first of their objectives, and back."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

from rencontre import migrate
from tests.api.migration_support import BEFORE, event_at_first_revision
from tests.api.migration_support import run_sql as _run
from tests.api.test_migrations import scratch_url  # noqa: F401  (the fixture, on both databases)
from tests.support import make_settings

PREVIOUS_HEAD = "a17c0e550004"


class TestObjectivesMigration:
    async def test_an_objective_moves_into_the_list_and_back(
        self,
        scratch_url: str,  # noqa: F811
        tmp_path: Path,
    ) -> None:
        settings = make_settings(tmp_path)
        await asyncio.to_thread(migrate.upgrade, settings, scratch_url, BEFORE)
        event = await event_at_first_revision(scratch_url, tmp_path)
        for code, objective in (("hiring", "hiring"), ("none", "")):
            await _run(
                scratch_url,
                tmp_path,
                "INSERT INTO attendee (id, event_id, badge_code, name, email, company, job_title, phone, "
                "website, linkedin, pitch, objective, interests, shared_fields, language, badge_version, "
                "access_version, invite_state, created_at) VALUES (:id, :event, :code, 'A', :email, '', '', "
                "'', '', '', '', :objective, '[]', '[]', '', 1, 1, 'pending', CURRENT_TIMESTAMP)",
                id=uuid.uuid4(),
                event=event,
                code=code,
                email=f"{code}@example.org",
                objective=objective,
            )

        await asyncio.to_thread(migrate.upgrade, settings, scratch_url)
        rows = await _run(
            scratch_url, tmp_path, "SELECT badge_code, objectives, objective_other, photo_key FROM attendee"
        )
        moved = {code: (_json(objectives), other, key) for code, objectives, other, key in rows}
        assert moved == {"hiring": (["hiring"], "", None), "none": ([], "", None)}

        await asyncio.to_thread(migrate.downgrade, settings, scratch_url, PREVIOUS_HEAD)
        rows = await _run(scratch_url, tmp_path, "SELECT badge_code, objective FROM attendee")
        assert dict((str(code), str(objective)) for code, objective in rows) == {
            "hiring": "hiring",
            "none": "",
        }


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value
