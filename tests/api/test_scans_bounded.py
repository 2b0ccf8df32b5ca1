"""No scan answer and no note grows without bound, however often one person is scanned."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from rencontre.config import Settings
from rencontre.contacts.versions import contact_version
from rencontre.encounters.schemas import MAX_NOTE
from tests.api.scan_support import encounter_between, scan_body, scan_count
from tests.support import Factory


def _note(i: int) -> str:
    return f"{i:03d} " + "x" * (MAX_NOTE - 4)


class TestNoteCap:
    async def test_rescans_stop_adding_to_the_note_at_its_cap_and_are_still_recorded(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        headers = factory.attendee_headers(alice)
        answers = [
            await client.post(
                "/api/scans", json=scan_body(settings, event, zoe, note=_note(i)), headers=headers
            )
            for i in range(12)
        ]
        assert [a.status_code for a in answers] == [201] + [200] * 11
        full = [a.json()["note_full"] for a in answers]
        # Each re-scan adds a blank line, a time stamp and the note: 9 notes fit in the default 5,000.
        assert full == [False] * 9 + [True] * 3
        contact = await encounter_between(session, alice, zoe)
        assert contact is not None
        assert len(contact.note) <= settings.max_note_chars == 5000
        assert contact.note.count(" xxx") == 9
        assert "009 x" not in contact.note
        assert contact.scan_count == 12
        assert await scan_count(session) == 12
        # Once full, the answer stays the same size: it carries the capped note, not the rescans.
        assert len(answers[-1].content) == len(answers[-2].content)
        assert answers[-1].json()["note"] == contact.note

    async def test_a_rescan_past_the_cap_still_merges_tags_and_rating(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        settings.max_note_chars = 30
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        headers = factory.attendee_headers(alice)
        first = scan_body(settings, event, zoe, note="Vue au stand B12")
        assert (await client.post("/api/scans", json=first, headers=headers)).json()["note_full"] is False
        again = scan_body(settings, event, zoe, note="Revue au déjeuner", tags=["IA"], rating=5)
        answer = await client.post("/api/scans", json=again, headers=headers)
        assert answer.status_code == 200
        assert (answer.json()["note_full"], answer.json()["outcome"]) == (True, "again")
        contact = await encounter_between(session, alice, zoe)
        assert contact is not None
        assert (contact.note, contact.tags, contact.rating, contact.scan_count) == (
            "Vue au stand B12",
            ["IA"],
            5,
            2,
        )
        # The same scan sent again (its answer was lost) still says its note was not kept.
        replay = await client.post("/api/scans", json=again, headers=headers)
        assert (replay.json()["note_full"], replay.json()["outcome"]) == (True, "duplicate")

    async def test_a_first_note_longer_than_the_cap_is_not_kept_but_the_contact_is_made(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        settings.max_note_chars = 10
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        body = scan_body(settings, event, zoe, note="Bien plus de dix caractères")
        answer = await client.post("/api/scans", json=body, headers=factory.attendee_headers(alice))
        assert answer.status_code == 201
        assert (answer.json()["note_full"], answer.json()["note"]) == (True, "")


class TestBatchAnswers:
    async def test_a_full_batch_of_rescans_of_one_person_answers_in_a_few_bytes_per_item(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        items = [scan_body(settings, event, zoe, note=_note(i)) for i in range(settings.max_batch_items)]
        response = await client.post(
            "/api/scans/batch", json={"items": items}, headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 200
        results = response.json()["results"]
        assert len(response.content) < 400 * len(items)
        assert all("note" not in r and "card" not in r for r in results)
        assert [r["outcome"] for r in results] == ["created"] + ["again"] * (len(items) - 1)
        assert [r["note_full"] for r in results] == [False] * 9 + [True] * (len(items) - 9)
        assert len({r["contact_id"] for r in results}) == 1
        contact = await encounter_between(session, alice, zoe)
        assert contact is not None
        assert contact.scan_count == len(items)
        assert len(contact.note) <= settings.max_note_chars
        # The last item's version is the contact's: the phone can edit it with If-Match at once.
        assert results[-1]["version"] == contact_version(contact.id, contact.updated_at, contact.scan_count)
        assert len({r["version"] for r in results}) == len(items)

    async def test_the_version_in_a_batch_answer_is_the_contacts_etag(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        headers = factory.attendee_headers(alice)
        items = [scan_body(settings, event, zoe, note="Café")]
        [item] = (await client.post("/api/scans/batch", json={"items": items}, headers=headers)).json()[
            "results"
        ]
        contact = await client.get(f"/api/contacts/{item['contact_id']}", headers=headers)
        assert contact.headers["etag"] == f'"{item["version"]}"'
        edited = await client.patch(
            f"/api/contacts/{item['contact_id']}",
            json={"note": "Café, puis déjeuner"},
            headers={**headers, "If-Match": f'"{item["version"]}"'},
        )
        assert edited.status_code == 200


@contextmanager
def _contact_writes(engine: AsyncEngine) -> Iterator[list[int]]:
    """Rows written to the contacts table, one entry per statement (its count of parameter sets)."""
    writes: list[int] = []

    def seen(
        _conn: Any, _cursor: Any, statement: str, parameters: Sequence[Any], _ctx: Any, many: bool
    ) -> None:
        if statement.lstrip().upper().startswith(("INSERT INTO ENCOUNTER", "UPDATE ENCOUNTER")):
            writes.append(len(parameters) if many else 1)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        yield writes
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)


class TestRepeatsInABatch:
    async def test_repeats_of_one_new_pair_are_one_insert_of_one_row(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        engine: AsyncEngine,
    ) -> None:
        event_ = await factory.event()
        alice, zoe = await factory.attendee(event_), await factory.attendee(event_)
        items = [scan_body(settings, event_, zoe, note=f"Note {i}") for i in range(50)]
        with _contact_writes(engine) as writes:
            response = await client.post(
                "/api/scans/batch", json={"items": items}, headers=factory.attendee_headers(alice)
            )
        assert response.status_code == 200
        assert writes == [1]
        contact = await encounter_between(session, alice, zoe)
        assert contact is not None
        assert contact.scan_count == 50
        assert await scan_count(session) == 50

    async def test_repeats_of_one_known_pair_are_one_update_of_one_row(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        engine: AsyncEngine,
    ) -> None:
        event_ = await factory.event()
        alice, zoe = await factory.attendee(event_), await factory.attendee(event_)
        await factory.encounter(alice, zoe, note="Avant")
        items = [scan_body(settings, event_, zoe, tags=[f"t{i}"]) for i in range(50)]
        with _contact_writes(engine) as writes:
            response = await client.post(
                "/api/scans/batch", json={"items": items}, headers=factory.attendee_headers(alice)
            )
        assert response.status_code == 200
        assert writes == [1]
        contact = await encounter_between(session, alice, zoe)
        assert contact is not None
        assert contact.scan_count == 51
