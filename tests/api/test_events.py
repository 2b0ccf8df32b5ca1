from __future__ import annotations

import httpx
import pytest

from tests.support import Factory

EVENT = {
    "name": "Soirée Réseau",
    "starts_at": "2026-12-03T18:00:00+01:00",
    "ends_at": "2026-12-03T23:00:00+01:00",
    "timezone": "Europe/Paris",
    "venue": "Lyon",
}


class TestEventLifecycle:
    async def test_create_list_read_update(self, client: httpx.AsyncClient, factory: Factory) -> None:
        organiser = await factory.organiser()
        headers = factory.organiser_headers(organiser)
        created = await client.post("/api/events", json=EVENT, headers=headers)
        assert created.status_code == 201
        event = created.json()
        assert event["slug"] == "soiree-reseau"
        assert event["feed_shows_names"] is False
        listed = await client.get("/api/events", headers=headers)
        assert [e["id"] for e in listed.json()] == [event["id"]]
        await client.post(
            f"/api/events/{event['id']}/attendees",
            json={"name": "Ada", "email": "ada@example.org"},
            headers=headers,
        )
        read = await client.get(f"/api/events/{event['id']}", headers=headers)
        assert read.json()["attendee_count"] == 1
        updated = await client.patch(
            f"/api/events/{event['id']}",
            json={"venue": "La Sucrière", "feed_shows_names": True},
            headers=headers,
        )
        assert updated.status_code == 200
        assert updated.json()["venue"] == "La Sucrière"
        assert (await client.get(f"/api/events/{event['id']}", headers=headers)).json()["feed_shows_names"]

    async def test_same_name_gets_a_distinct_slug(self, client: httpx.AsyncClient, factory: Factory) -> None:
        headers = factory.organiser_headers(await factory.organiser())
        first = (await client.post("/api/events", json=EVENT, headers=headers)).json()
        second = (await client.post("/api/events", json=EVENT, headers=headers)).json()
        assert first["slug"] != second["slug"]


class TestEventIsolation:
    async def test_another_organisers_event_is_not_found(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        owner = await factory.organiser()
        event = await factory.event(owner)
        intruder = factory.organiser_headers(await factory.organiser())
        for method, path in [
            ("GET", f"/api/events/{event.id}"),
            ("PATCH", f"/api/events/{event.id}"),
            ("GET", f"/api/events/{event.id}/attendees"),
        ]:
            response = await client.request(method, path, headers=intruder, json={"venue": "x"})
            assert response.status_code == 404, path
        assert (await client.get("/api/events", headers=intruder)).json() == []
        await factory.session.refresh(event)
        assert event.venue == "Lyon"


class TestEventValidation:
    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"ends_at": "2026-12-03T17:00:00+01:00"}, "ends_at"),
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"name": "x" * 201}, "name"),
            ({"name": "   "}, "name"),
            ({"starts_at": "2026-12-03T18:00:00"}, "starts_at"),
            ({"colour": "red"}, "colour"),
        ],
    )
    async def test_bad_event_is_refused_and_nothing_created(
        self, client: httpx.AsyncClient, factory: Factory, change: dict[str, str], field: str
    ) -> None:
        headers = factory.organiser_headers(await factory.organiser())
        response = await client.post("/api/events", json={**EVENT, **change}, headers=headers)
        assert response.status_code == 422
        assert field in response.json()["detail"] or field in str(response.json()["errors"])
        assert (await client.get("/api/events", headers=headers)).json() == []

    async def test_update_that_reverses_dates_is_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        response = await client.patch(
            f"/api/events/{event.id}",
            json={"ends_at": "2000-01-01T00:00:00+00:00"},
            headers=factory.organiser_headers(organiser),
        )
        assert response.status_code == 422
        assert "after it starts" in response.json()["detail"]
