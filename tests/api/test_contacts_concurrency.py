"""Contact edits racing each other and rescans for real: separate sessions on separate
connections, each committing (SQLite and PostgreSQL), as in test_scans_concurrency."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from rencontre.models import Attendee, Encounter
from tests.api.conftest import Live
from tests.api.scan_support import scan_body
from tests.support import Factory


async def _contact(live: Live) -> tuple[Any, Attendee, Attendee, Factory, uuid.UUID]:
    event, (alice, zoe), factory = await live.event_with(2)
    first = await live.scan(factory, alice, scan_body(live.settings, event, zoe, note="Premier café"))
    assert first.status_code == 201, first.text
    return event, alice, zoe, factory, uuid.UUID(first.json()["contact_id"])


async def _etag(live: Live, factory: Factory, alice: Attendee, contact_id: uuid.UUID) -> str:
    response = await live.client.get(f"/api/contacts/{contact_id}", headers=factory.attendee_headers(alice))
    assert response.status_code == 200, response.text
    return response.headers["etag"]


def _edit(live: Live, factory: Factory, alice: Attendee, contact_id: uuid.UUID, note: str, etag: str) -> Any:
    headers = factory.attendee_headers(alice) | {"If-Match": etag}
    return live.client.patch(f"/api/contacts/{contact_id}", json={"note": note}, headers=headers)


async def _stored(live: Live, contact_id: uuid.UUID) -> Encounter:
    async with live.sessions() as session:
        encounter = await session.get(Encounter, contact_id)
        assert encounter is not None
        return encounter


class TestRacingEdits:
    async def test_edits_made_on_the_same_version_at_once_exactly_one_wins(self, live: Live) -> None:
        _, alice, _, factory, contact_id = await _contact(live)
        etag = await _etag(live, factory, alice, contact_id)
        notes = [f"version {i}" for i in range(6)]
        responses: list[httpx.Response] = await asyncio.gather(
            *(_edit(live, factory, alice, contact_id, note, etag) for note in notes)
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [200] + [412] * 5, [r.text for r in responses]
        [winner] = [r for r in responses if r.status_code == 200]
        stored = await _stored(live, contact_id)
        assert stored.note == winner.json()["note"]
        # Every refusal shows the winner's contact, to make the edit again on.
        for refused in (r for r in responses if r.status_code == 412):
            assert refused.json()["contact"]["note"] == stored.note
            assert refused.json()["contact"]["version"] == winner.json()["version"]

    async def test_an_edit_racing_a_rescan_never_loses_the_added_note(self, live: Live) -> None:
        event, alice, zoe, factory, contact_id = await _contact(live)
        for round_ in range(4):
            etag = await _etag(live, factory, alice, contact_id)
            before = (await _stored(live, contact_id)).note
            added = f"Revu {round_}"
            edit, scan = await asyncio.gather(
                _edit(live, factory, alice, contact_id, f"{before}\nédité {round_}", etag),
                live.scan(factory, alice, scan_body(live.settings, event, zoe, note=added)),
            )
            assert scan.status_code == 200, scan.text
            assert edit.status_code in (200, 412), edit.text
            stored = (await _stored(live, contact_id)).note
            # Whichever came first, the scan's note is there.
            assert added in stored
            if edit.status_code == 200:
                assert f"édité {round_}" in stored
            else:
                assert f"édité {round_}" not in stored
