"""Text no database can store (a NUL, half of a surrogate pair) and paths that are not
text: a clear 422 naming the field, or a 404, on every endpoint — never a 500 or 503."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.db import create_engine
from rencontre.models import Attendee, Event
from tests.api.scan_support import encounter_count, scan_body, scan_count
from tests.support import Factory

UNSTORABLE = ["nul\x00byte", "\x00", "lone \ud800 high", "lone \udfff low"]


async def _send(
    client: httpx.AsyncClient, method: str, url: str, body: Any, headers: dict[str, str]
) -> httpx.Response:
    # As a JavaScript client sends them: escaped (JSON.stringify writes "\ud800" for a lone half).
    content = json.dumps(body, ensure_ascii=True)
    return await client.request(
        method, url, content=content, headers={**headers, "Content-Type": "application/json"}
    )


def _refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "unstorable_text"
    assert [error["field"] for error in problem["errors"]] == [field]
    assert field in problem["detail"]


@pytest.mark.parametrize("bad", UNSTORABLE)
class TestJsonBodies:
    async def test_a_scan_note(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession, bad: str
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        body = scan_body(settings, event, zoe, note=f"Café {bad}")
        _refused(await _send(client, "POST", "/api/scans", body, factory.attendee_headers(alice)), "note")
        assert await scan_count(session) == 0

    async def test_a_tag_in_a_queued_scan(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession, bad: str
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        items = [scan_body(settings, event, zoe), scan_body(settings, event, zoe, tags=["ok", bad])]
        response = await _send(
            client, "POST", "/api/scans/batch", {"items": items}, factory.attendee_headers(alice)
        )
        _refused(response, "items.1.tags.1")
        assert await encounter_count(session) == 0

    async def test_a_profile_pitch(self, client: httpx.AsyncClient, factory: Factory, bad: str) -> None:
        event = await factory.event()
        alice = await factory.attendee(event, pitch="Avant")
        response = await _send(client, "PATCH", "/api/me", {"pitch": bad}, factory.attendee_headers(alice))
        _refused(response, "pitch")
        await factory.session.refresh(alice)
        assert alice.pitch == "Avant"

    async def test_a_contact_note(self, client: httpx.AsyncClient, factory: Factory, bad: str) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        contact = await factory.encounter(alice, zoe, note="Avant")
        response = await _send(
            client, "PATCH", f"/api/contacts/{contact.id}", {"note": bad}, factory.attendee_headers(alice)
        )
        _refused(response, "note")
        await factory.session.refresh(contact)
        assert contact.note == "Avant"

    async def test_an_attendee_added_by_hand(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, bad: str
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        body = {"name": f"Zoé {bad}", "email": "zoe@example.org"}
        response = await _send(
            client, "POST", f"/api/events/{event.id}/attendees", body, factory.organiser_headers(organiser)
        )
        _refused(response, "name")
        assert await session.scalar(select(func.count()).select_from(Attendee)) == 0

    async def test_an_event_created(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, bad: str
    ) -> None:
        organiser = await factory.organiser()
        body = {
            "name": "Meetup",
            "venue": bad,
            "starts_at": "2030-01-01T09:00:00+01:00",
            "ends_at": "2030-01-01T18:00:00+01:00",
        }
        response = await _send(client, "POST", "/api/events", body, factory.organiser_headers(organiser))
        _refused(response, "venue")
        assert await session.scalar(select(func.count()).select_from(Event)) == 0

    async def test_a_field_name(self, client: httpx.AsyncClient, factory: Factory, bad: str) -> None:
        event = await factory.event()
        alice = await factory.attendee(event)
        response = await _send(
            client, "PATCH", "/api/me", {"pitch": "ok", bad: 1}, factory.attendee_headers(alice)
        )
        _refused(response, "body")


class TestWhatStaysAllowed:
    async def test_escaped_emoji_and_an_escaped_backslash_u_pass(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        note = "Café 🏺 — a literal \\u0000 and \\ud800 typed out"
        body = scan_body(settings, event, zoe, note=note)
        response = await _send(client, "POST", "/api/scans", body, factory.attendee_headers(alice))
        assert response.status_code == 201
        assert response.json()["note"] == note


class TestQueryStrings:
    async def test_a_contact_search(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await factory.event()
        alice = await factory.attendee(event)
        response = await client.get("/api/contacts?q=caf%00e", headers=factory.attendee_headers(alice))
        _refused(response, "q")

    async def test_an_attendee_search(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        response = await client.get(
            f"/api/events/{event.id}/attendees",
            params={"q": "zo\x00e"},
            headers=factory.organiser_headers(organiser),
        )
        _refused(response, "q")


class TestCsvImport:
    async def test_a_nul_in_a_cell_refuses_the_file_naming_its_line(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        data = b"name,email\nAda,ada@example.org\nZo\x00e,zoe@example.org\n"
        response = await client.post(
            f"/api/events/{event.id}/attendees/import",
            params={"dry_run": "false"},
            files={"file": ("attendees.csv", data, "text/csv")},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 422
        problem = response.json()
        assert problem["code"] == "nul_character"
        assert "Line 3" in problem["detail"]
        assert await session.scalar(select(func.count()).select_from(Attendee)) == 0


class TestPaths:
    @pytest.mark.parametrize(
        "path",
        ["/b/x%00.js", "/b/%ff", "/x%00", "/assets/%00.js", "/api/contacts/%00", "/b/%ed%a0%80", "/%c3"],
    )
    async def test_a_path_with_a_nul_or_bytes_that_are_not_utf8_is_a_404_problem(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        response = await client.get(path)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"

    async def test_an_encoded_accent_in_a_path_is_still_served(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/no-such-th%C3%A9")
        assert response.status_code == 404
        assert "no-such-thé" in response.json()["detail"]


class TestDatabaseErrorsKeepNotesOutOfLogs:
    async def test_a_failed_statement_names_no_parameter(
        self, settings: Settings, caplog: pytest.LogCaptureFixture
    ) -> None:
        secret = f"Note privée {uuid.uuid4()}"
        engine = create_engine(settings)
        try:
            with caplog.at_level(logging.DEBUG):
                async with engine.connect() as connection:
                    with pytest.raises(DBAPIError) as failed:
                        await connection.execute(
                            text("SELECT * FROM no_such_table WHERE note = :note"), {"note": secret}
                        )
                    logging.getLogger("test").error("failed", exc_info=failed.value)
        finally:
            await engine.dispose()
        assert secret not in str(failed.value)
        assert secret not in caplog.text
