"""Who-to-meet profile fields: offers, seeks, open to chat, directory opt-in, and the event's opening."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from tests.support import Factory


async def _me(factory: Factory, **fields: Any) -> tuple[Event, Attendee, dict[str, str]]:
    event = await factory.event(name="Rencontres Lyon")
    attendee = await factory.attendee(event, name="Zoé Lefèvre", **fields)
    return event, attendee, factory.attendee_headers(attendee)


class TestOffersAndSeeks:
    async def test_start_empty_and_off(self, client: httpx.AsyncClient, factory: Factory) -> None:
        _, _, headers = await _me(factory)
        body = (await client.get("/api/me", headers=headers)).json()
        assert (body["offers"], body["seeks"]) == ([], [])
        assert body["open_to_chat"] is False
        assert body["directory_opt_in"] is False
        assert body["event"]["directory_opens_at"] is None

    async def test_edit_keeps_clean_distinct_lines(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, me, headers = await _me(factory)
        response = await client.patch(
            "/api/me",
            json={
                "offers": ["  Intros to retail\nbuyers ", "Rust mentoring", "rust MENTORING"],
                "seeks": ["Un CTO associé"],
                "open_to_chat": True,
                "directory_opt_in": True,
            },
            headers=headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["offers"] == ["Intros to retail buyers", "Rust mentoring"]
        assert body["seeks"] == ["Un CTO associé"]
        assert body["open_to_chat"] is True
        assert body["directory_opt_in"] is True
        await session.refresh(me)
        assert me.offers == ["Intros to retail buyers", "Rust mentoring"]
        assert (me.open_to_chat, me.directory_opt_in) == (True, True)

        cleared = await client.patch("/api/me", json={"offers": [], "open_to_chat": False}, headers=headers)
        assert cleared.json()["offers"] == []
        assert cleared.json()["seeks"] == ["Un CTO associé"]
        assert cleared.json()["open_to_chat"] is False
        assert cleared.json()["directory_opt_in"] is True

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"offers": ["a", "b", "c", "d"]}, "offers"),
            ({"seeks": ["x" * 81]}, "seeks.0"),
            ({"seeks": ["   "]}, "seeks.0"),
            ({"offers": "Rust mentoring"}, "offers"),
            ({"offers": None}, "offers"),
            ({"open_to_chat": "yes"}, "open_to_chat"),
            ({"open_to_chat": 1}, "open_to_chat"),
            ({"directory_opt_in": None}, "directory_opt_in"),
        ],
    )
    async def test_bad_edit_changes_nothing(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        body: dict[str, Any],
        field: str,
    ) -> None:
        _, me, headers = await _me(factory, offers=["Avant"])
        response = await client.patch("/api/me", json={**body, "pitch": "Après"}, headers=headers)
        assert response.status_code == 422
        assert field in [e["field"] for e in response.json()["errors"]]
        await session.refresh(me)
        assert (me.offers, me.pitch, me.open_to_chat, me.directory_opt_in) == (["Avant"], "", False, False)


class TestCard:
    async def test_offers_seeks_and_chat_state_are_on_the_public_card(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        _, _, headers = await _me(
            factory, offers=["Rust mentoring"], seeks=["Pilot customers"], open_to_chat=True, phone="+33 6"
        )
        card = (await client.get("/api/me/card", headers=headers)).json()
        assert card["offers"] == ["Rust mentoring"]
        assert card["seeks"] == ["Pilot customers"]
        assert card["open_to_chat"] is True
        assert card["phone"] is None
        # The directory choice is the owner's own business, not part of what others see.
        assert "directory_opt_in" not in card

    async def test_a_scanner_sees_them_on_the_scan_card(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event, zoe, _ = await _me(factory, offers=["Rust mentoring"], seeks=["Pilot customers"])
        bob = await factory.attendee(event, name="Bob")
        await factory.encounter(bob, zoe)
        contacts = (await client.get("/api/contacts", headers=factory.attendee_headers(bob))).json()
        person = contacts["items"][0]["person"] if isinstance(contacts, dict) else contacts[0]["person"]
        assert person["offers"] == ["Rust mentoring"]
        assert person["seeks"] == ["Pilot customers"]
        assert person["open_to_chat"] is False

    async def test_deleting_the_account_blanks_them(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _, me, headers = await _me(
            factory, offers=["Rust mentoring"], seeks=["CTO"], open_to_chat=True, directory_opt_in=True
        )
        assert (await client.delete("/api/me", headers=headers)).status_code == 204
        await session.refresh(me)
        assert (me.offers, me.seeks, me.open_to_chat, me.directory_opt_in) == ([], [], False, False)


EVENT = {
    "name": "Soirée Réseau",
    "starts_at": "2026-12-03T18:00:00+01:00",
    "ends_at": "2026-12-03T23:00:00+01:00",
    "timezone": "Europe/Paris",
}


class TestDirectoryOpening:
    async def test_closed_until_the_organiser_picks_a_moment(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        headers = factory.organiser_headers(await factory.organiser())
        created = await client.post("/api/events", json=EVENT, headers=headers)
        assert created.status_code == 201
        event = created.json()
        assert event["directory_opens_at"] is None

        opened = await client.patch(
            f"/api/events/{event['id']}",
            json={"directory_opens_at": "2026-11-26T09:00:00+01:00"},
            headers=headers,
        )
        assert opened.status_code == 200, opened.text
        assert datetime.fromisoformat(opened.json()["directory_opens_at"]) == datetime(
            2026, 11, 26, 8, tzinfo=UTC
        )

        renamed = await client.patch(f"/api/events/{event['id']}", json={"venue": "Lyon"}, headers=headers)
        assert renamed.json()["directory_opens_at"] is not None

        closed = await client.patch(
            f"/api/events/{event['id']}", json={"directory_opens_at": None}, headers=headers
        )
        assert closed.status_code == 200
        assert closed.json()["directory_opens_at"] is None

    async def test_attendee_sees_the_opening(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await factory.event(directory_opens_at=utcnow())
        me = await factory.attendee(event)
        body = (await client.get("/api/me", headers=factory.attendee_headers(me))).json()
        assert body["event"]["directory_opens_at"] is not None

    async def test_created_open(self, client: httpx.AsyncClient, factory: Factory) -> None:
        headers = factory.organiser_headers(await factory.organiser())
        body = {**EVENT, "directory_opens_at": "2026-12-01T09:00:00+01:00"}
        created = await client.post("/api/events", json=body, headers=headers)
        assert created.status_code == 201
        assert created.json()["directory_opens_at"] is not None

    @pytest.mark.parametrize(
        "opens_at",
        ["2026-12-03T23:00:00+01:00", "2026-12-04T09:00:00+01:00", 1700000000, "soon", "2026-12-01"],
    )
    async def test_bad_opening_is_refused_on_create(
        self, client: httpx.AsyncClient, factory: Factory, opens_at: Any
    ) -> None:
        headers = factory.organiser_headers(await factory.organiser())
        response = await client.post(
            "/api/events", json={**EVENT, "directory_opens_at": opens_at}, headers=headers
        )
        assert response.status_code == 422
        assert "directory_opens_at" in response.text
        assert (await client.get("/api/events", headers=headers)).json() == []

    @pytest.mark.parametrize("opens_at", ["2030-01-01T00:00:00+00:00", "yesterday", 5])
    async def test_bad_opening_is_refused_on_update(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, opens_at: Any
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        response = await client.patch(
            f"/api/events/{event.id}",
            json={"directory_opens_at": opens_at, "venue": "Ailleurs"},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 422
        assert "directory_opens_at" in response.text
        await session.refresh(event)
        assert (event.directory_opens_at, event.venue) == (None, "Lyon")

    async def test_moving_the_end_before_the_opening_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser, directory_opens_at=utcnow())
        response = await client.patch(
            f"/api/events/{event.id}",
            json={"starts_at": "2000-01-01T00:00:00+00:00", "ends_at": "2000-01-01T01:00:00+00:00"},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 422
        assert "directory_opens_at" in response.json()["detail"]
