from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.feed.broker import FeedNotice
from rencontre.models import FollowUpState
from tests.api.scan_support import encounter_between, encounter_count, scan_body, scan_count
from tests.support import Factory


class TestBatch:
    async def test_each_item_answered_on_its_own(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
    ) -> None:
        event, other = await factory.event(), await factory.event()
        alice = await factory.attendee(event)
        zoe, bob = await factory.attendee(event), await factory.attendee(event)
        stranger = await factory.attendee(other)
        notices: list[FeedNotice] = []
        app.state.broker.subscribe(event.id, notices.append)
        items: list[Any] = [
            scan_body(settings, event, zoe, note="Rencontrée au café"),
            scan_body(settings, event, stranger),  # another event
            {**scan_body(settings, event, bob), "note": "x" * 501},  # invalid note
            scan_body(settings, event, alice),  # own badge
            scan_body(settings, event, bob, tags=["à suivre"]),
            scan_body(settings, event, zoe, note="Revue au déjeuner"),  # meeting again
            "not an object",
            {**scan_body(settings, event, bob), "client_id": "nope"},
        ]
        response = await client.post(
            "/api/scans/batch", json={"items": items}, headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 200
        results = response.json()["results"]
        assert [r["index"] for r in results] == list(range(len(items)))
        assert [r["status"] for r in results] == [
            "created",
            "error",
            "error",
            "error",
            "created",
            "updated",
            "error",
            "error",
        ]
        assert [r["http_status"] for r in results] == [201, 403, 422, 422, 201, 200, 422, 422]
        assert results[0]["client_id"] == items[0]["client_id"]
        assert results[0]["outcome"] == "created"
        assert "another event" in results[1]["detail"]
        assert results[1]["error"]["status"] == 403
        assert "note" in results[2]["detail"]
        assert results[2]["client_id"] == items[2]["client_id"]
        assert results[2]["error"]["errors"][0]["field"] == "note"
        assert "your own badge" in results[3]["detail"]
        assert results[5]["outcome"] == "again"
        assert results[5]["contact_id"] == results[0]["contact_id"]
        zoe_contact = await encounter_between(session, alice, zoe)
        assert zoe_contact is not None
        assert zoe_contact.note.startswith("Rencontrée au café\n\n[")
        assert results[6]["client_id"] is None
        assert results[7]["client_id"] is None
        assert await encounter_count(session) == 2
        assert await scan_count(session) == 3
        assert notices == [FeedNotice(event.id, 1), FeedNotice(event.id, 2)]

    async def test_retrying_the_whole_batch_duplicates_nothing(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
    ) -> None:
        event = await factory.event()
        alice = await factory.attendee(event)
        people = [await factory.attendee(event) for _ in range(4)]
        notices: list[FeedNotice] = []
        app.state.broker.subscribe(event.id, notices.append)
        items = [scan_body(settings, event, person, note=f"Note {i}") for i, person in enumerate(people)]
        items.append(scan_body(settings, event, people[0], note="Encore"))
        items.append(scan_body(settings, event, alice))
        headers = factory.attendee_headers(alice)
        first = await client.post("/api/scans/batch", json={"items": items}, headers=headers)
        retry = await client.post("/api/scans/batch", json={"items": items}, headers=headers)
        assert retry.status_code == 200
        stable = ("index", "client_id", "status", "http_status", "contact_id", "detail")
        assert [{k: r[k] for k in stable} for r in retry.json()["results"]] == [
            {k: r[k] for k in stable} for r in first.json()["results"]
        ]
        assert [r["outcome"] for r in retry.json()["results"]] == ["duplicate"] * 5 + ["error"]
        assert await encounter_count(session) == 4
        assert await scan_count(session) == 5
        assert len(notices) == 4
        encounter = await encounter_between(session, alice, people[0])
        assert encounter is not None
        assert encounter.scan_count == 2
        assert encounter.note.count("Encore") == 1

    async def test_a_batch_retry_after_a_single_send_of_the_same_scan(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        body = scan_body(settings, event, zoe, note="Vue au stand")
        headers = factory.attendee_headers(alice)
        single = await client.post("/api/scans", json=body, headers=headers)
        batch = await client.post("/api/scans/batch", json={"items": [body]}, headers=headers)
        [item] = batch.json()["results"]
        assert item["status"] == "created"
        assert item["http_status"] == 201
        assert item["contact_id"] == single.json()["contact_id"]
        assert await scan_count(session) == 1

    async def test_same_client_id_twice_in_one_batch(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        body = scan_body(settings, event, zoe, note="Une fois")
        items = [body, body, {**body, "note": "Autre chose"}]
        response = await client.post(
            "/api/scans/batch", json={"items": items}, headers=factory.attendee_headers(alice)
        )
        results = response.json()["results"]
        assert [r["http_status"] for r in results] == [201, 201, 409]
        assert results[1]["contact_id"] == results[0]["contact_id"]
        assert await encounter_count(session) == 1

    async def test_mutual_within_batches(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        await client.post(
            "/api/scans/batch",
            json={"items": [scan_body(settings, event, zoe)]},
            headers=factory.attendee_headers(alice),
        )
        back = await client.post(
            "/api/scans/batch",
            json={"items": [scan_body(settings, event, alice)]},
            headers=factory.attendee_headers(zoe),
        )
        assert back.json()["results"][0]["outcome"] == "mutual"
        first = await encounter_between(session, alice, zoe)
        assert first is not None
        assert first.mutual is True

    async def test_a_full_queue_of_people_met_before(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        """Hundreds of contacts met again in one batch are all found (the lookup is done in parts)."""
        event = await factory.event()
        alice = await factory.attendee(event)
        people = [await factory.attendee(event) for _ in range(300)]
        first = await client.post(
            "/api/scans/batch",
            json={"items": [scan_body(settings, event, person) for person in people]},
            headers=factory.attendee_headers(alice),
        )
        assert [r["status"] for r in first.json()["results"]] == ["created"] * 300
        for person in people[-20:]:  # the last ones scan back: their side is looked up last
            back = await client.post(
                "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(person)
            )
            assert back.status_code == 201
            assert back.json()["mutual"] is True
        again = await client.post(
            "/api/scans/batch",
            json={"items": [scan_body(settings, event, person, note="Revu") for person in people]},
            headers=factory.attendee_headers(alice),
        )
        results = again.json()["results"]
        assert [r["status"] for r in results] == ["updated"] * 300
        assert [r["outcome"] for r in results] == ["again"] * 300
        assert await encounter_count(session) == 320
        last = await encounter_between(session, alice, people[-1])
        assert last is not None
        assert (last.scan_count, last.mutual, last.note) == (2, True, "Revu")
        first_met = await encounter_between(session, alice, people[0])
        assert first_met is not None
        assert (first_met.scan_count, first_met.mutual) == (2, False)

    async def test_every_field_is_stored_as_sent(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        """What a batch writes in one statement reads back exactly, on either database."""
        event = await factory.event()
        alice, zoe, bob = [await factory.attendee(event) for _ in range(3)]
        items = [
            scan_body(
                settings,
                event,
                zoe,
                note="Café ☕ — 日本語",
                tags=["à suivre", "IA"],
                rating=4,
                device_at="2026-11-27T09:15:00+09:00",
            ),
            scan_body(settings, event, bob),
        ]
        response = await client.post(
            "/api/scans/batch", json={"items": items}, headers=factory.attendee_headers(alice)
        )
        assert [r["status"] for r in response.json()["results"]] == ["created", "created"]
        full, bare = (
            await encounter_between(session, alice, zoe),
            await encounter_between(session, alice, bob),
        )
        assert full is not None
        assert bare is not None
        assert (full.note, full.tags, full.rating) == ("Café ☕ — 日本語", ["à suivre", "IA"], 4)
        assert full.device_at == datetime(2026, 11, 27, 0, 15, tzinfo=UTC)
        assert full.follow_up is FollowUpState.todo
        assert full.client_id == uuid.UUID(items[0]["client_id"])
        assert (bare.note, bare.tags, bare.rating, bare.device_at) == ("", [], None, None)
        assert await scan_count(session, scanner_id=alice.id, created=True) == 2


class TestBatchLimits:
    async def test_over_the_cap_is_refused_whole(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        settings.max_batch_items = 3
        event = await factory.event()
        alice, zoe = await factory.attendee(event), await factory.attendee(event)
        items = [scan_body(settings, event, zoe) for _ in range(4)]
        response = await client.post(
            "/api/scans/batch", json={"items": items}, headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 413
        assert "at most 3" in response.json()["detail"]
        assert await encounter_count(session) == 0

    async def test_empty_batch(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await factory.event()
        alice = await factory.attendee(event)
        response = await client.post(
            "/api/scans/batch", json={"items": []}, headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 200
        assert response.json() == {"results": []}

    async def test_malformed_envelope(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await factory.event()
        alice = await factory.attendee(event)
        headers = factory.attendee_headers(alice)
        for body in ({}, {"items": "nope"}, {"items": [], "extra": 1}, [str(uuid.uuid4())]):
            response = await client.post("/api/scans/batch", json=body, headers=headers)
            assert response.status_code == 422, body
            assert response.json()["errors"]

    async def test_needs_an_attendee(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        assert (await client.post("/api/scans/batch", json={"items": []})).status_code == 401
        response = await client.post(
            "/api/scans/batch", json={"items": []}, headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 403
