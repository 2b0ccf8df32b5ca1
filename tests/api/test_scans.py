"""Recording scans: the first meeting, a scan sent twice, meeting again, mutual connections."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.feed.broker import FeedNotice
from rencontre.kit.time import utcnow
from tests.api.scan_support import (
    encounter_between,
    encounter_count,
    pair,
    scan_body,
    scan_count,
    token_of,
    url_of,
)
from tests.support import Factory


class TestFirstScan:
    async def test_creates_a_contact_and_shows_the_card(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await pair(factory, pitch="Outils d'atelier", shared_fields=["email"])
        device_at = "2026-11-27T09:15:00+01:00"
        body = scan_body(
            settings,
            event,
            zoe,
            note="Parle de céramique 🏺",
            tags=["design", "à rappeler"],
            rating=4,
            device_at=device_at,
        )
        before = utcnow()
        response = await client.post("/api/scans", json=body, headers=factory.attendee_headers(alice))
        assert response.status_code == 201, response.text
        out = response.json()
        assert out["status"] == "created"
        assert out["already_met"] is False
        assert out["mutual"] is False
        assert out["scan_count"] == 1
        assert out["client_id"] == body["client_id"]
        assert out["note"] == "Parle de céramique 🏺"
        assert out["tags"] == ["design", "à rappeler"]
        assert out["rating"] == 4
        assert out["card"]["name"] == "Zoé Lefèvre"
        assert out["card"]["pitch"] == "Outils d'atelier"
        assert out["card"]["email"] == zoe.email
        assert out["card"]["phone"] is None
        encounter = await encounter_between(session, alice, zoe)
        assert encounter is not None
        assert str(encounter.id) == out["contact_id"]
        assert encounter.seq == 1
        # The phone's clock is kept as given; the meeting time is the server's.
        assert encounter.device_at == datetime(2026, 11, 27, 8, 15, tzinfo=UTC)
        assert encounter.met_at >= before
        await session.refresh(alice)
        assert alice.last_seen_at is not None
        assert alice.last_seen_at >= before

    @pytest.mark.parametrize(
        "qr",
        [
            "{url}",
            "  {token}\n",
            "https://rencontre.example.org/b/{token}",
            "https://another-host.example/events/x/b/{token}/?from=camera",
        ],
    )
    async def test_url_on_any_host_or_bare_token(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, qr: str
    ) -> None:
        event, alice, zoe = await pair(factory)
        text = qr.format(url=url_of(settings, event, zoe), token=token_of(settings, event, zoe))
        response = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, qr=text),
            headers=factory.attendee_headers(alice),
        )
        assert response.status_code == 201, response.text

    async def test_notes_in_any_script_up_to_500_characters(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event, alice, zoe = await pair(factory)
        note = ("Ça va ? 日本語 العربية ไทย 👍🏽 " * 30)[:500]
        response = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, note=note),
            headers=factory.attendee_headers(alice),
        )
        assert response.status_code == 201, response.text
        assert response.json()["note"] == note.strip()

    async def test_each_new_contact_is_published_after_commit(
        self, app: FastAPI, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event, alice, zoe = await pair(factory)
        bob = await factory.attendee(event)
        notices: list[FeedNotice] = []
        app.state.broker.subscribe(event.id, notices.append)
        headers = factory.attendee_headers(alice)
        await client.post("/api/scans", json=scan_body(settings, event, zoe), headers=headers)
        await client.post("/api/scans", json=scan_body(settings, event, bob), headers=headers)
        assert notices == [FeedNotice(event.id, 1), FeedNotice(event.id, 2)]
        # A repeat meeting and a refused scan are not new connections.
        await client.post("/api/scans", json=scan_body(settings, event, zoe), headers=headers)
        await client.post("/api/scans", json=scan_body(settings, event, alice), headers=headers)
        assert len(notices) == 2


class TestIdempotency:
    async def test_same_scan_twice_is_recorded_once(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        app: FastAPI,
    ) -> None:
        event, alice, zoe = await pair(factory)
        notices: list[FeedNotice] = []
        app.state.broker.subscribe(event.id, notices.append)
        body = scan_body(settings, event, zoe, note="Première", tags=["a"], device_at="2026-11-27T10:00:00Z")
        headers = factory.attendee_headers(alice)
        first = await client.post("/api/scans", json=body, headers=headers)
        again = await client.post("/api/scans", json=body, headers=headers)
        assert first.status_code == again.status_code == 201
        # The same answer, but for saying that this one was a repeat.
        assert {**again.json(), "outcome": "created"} == first.json()
        assert again.json()["outcome"] == "duplicate"
        assert await encounter_count(session) == 1
        assert await scan_count(session) == 1
        assert len(notices) == 1

    async def test_same_client_id_other_content_is_a_conflict(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await pair(factory)
        body = scan_body(settings, event, zoe, note="Première")
        headers = factory.attendee_headers(alice)
        assert (await client.post("/api/scans", json=body, headers=headers)).status_code == 201
        conflict = await client.post("/api/scans", json={**body, "note": "Autre"}, headers=headers)
        assert conflict.status_code == 409
        assert "client_id" in conflict.json()["detail"]
        encounter = await encounter_between(session, alice, zoe)
        assert encounter is not None
        assert encounter.note == "Première"
        assert encounter.scan_count == 1

    async def test_replay_still_answers_after_the_badge_was_reissued(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await pair(factory)
        body = scan_body(settings, event, zoe)
        headers = factory.attendee_headers(alice)
        first = await client.post("/api/scans", json=body, headers=headers)
        zoe.badge_version += 1
        await session.flush()
        # The phone never got the first answer: its retry is acknowledged, not refused.
        again = await client.post("/api/scans", json=body, headers=headers)
        assert again.status_code == 201
        assert again.json()["contact_id"] == first.json()["contact_id"]

    async def test_client_ids_are_per_scanner(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await pair(factory)
        bob = await factory.attendee(event)
        client_id = str(uuid.uuid4())
        one = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, client_id=client_id),
            headers=factory.attendee_headers(alice),
        )
        other = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, client_id=client_id),
            headers=factory.attendee_headers(bob),
        )
        assert one.status_code == other.status_code == 201
        assert await encounter_count(session) == 2


class TestMeetingAgain:
    async def test_updates_the_contact_and_appends_the_note(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await pair(factory)
        headers = factory.attendee_headers(alice)
        first = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, note="Céramique", tags=["design"], rating=3),
            headers=headers,
        )
        again = await client.post(
            "/api/scans",
            json=scan_body(settings, event, zoe, note="Veut un devis", tags=["Design", "devis"]),
            headers=headers,
        )
        assert again.status_code == 200
        out = again.json()
        assert out["status"] == "updated"
        assert out["already_met"] is True
        assert out["contact_id"] == first.json()["contact_id"]
        assert out["scan_count"] == 2
        assert out["tags"] == ["design", "devis"]
        assert out["rating"] == 3  # not given again: kept
        first_note, second_note = out["note"].split("\n\n")
        assert first_note == "Céramique"
        assert second_note.startswith("[")
        assert second_note.endswith("] Veut un devis")
        third = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe, rating=5), headers=headers
        )
        assert third.json()["rating"] == 5
        assert third.json()["note"] == out["note"]
        assert await encounter_count(session) == 1
        encounter = await encounter_between(session, alice, zoe)
        assert encounter is not None
        assert encounter.scan_count == 3
        assert encounter.last_scanned_at > encounter.met_at


class TestMutual:
    async def test_scanning_back_marks_both_mutual(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event, alice, zoe = await pair(factory)
        first = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert first.json()["mutual"] is False
        back = await client.post(
            "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(zoe)
        )
        assert back.status_code == 201
        assert back.json()["mutual"] is True
        for scanner, scanned in ((alice, zoe), (zoe, alice)):
            encounter = await encounter_between(session, scanner, scanned)
            assert encounter is not None
            assert encounter.mutual is True
        again = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert again.json()["mutual"] is True
