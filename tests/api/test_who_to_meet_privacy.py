"""Who-to-meet for the organiser: counts only, never who asked whom, never a reason."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Event, Organiser
from tests.api.people_support import ask, member, open_event, requests_of
from tests.support import Factory


async def _organiser_headers(factory: Factory, session: AsyncSession, event: Event) -> dict[str, str]:
    return factory.organiser_headers(await session.get_one(Organiser, event.organiser_id))


class TestOrganiserFigures:
    async def test_uptake_requests_matches_and_met_are_counts(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé Secretname")
        bob = await member(factory, event, "Bob Hiddenname")
        chloe = await member(factory, event, "Chloé Quietname")
        await factory.attendee(event, name="Not in it")
        await ask(client, factory, zoe, bob, "raison confidentielle")
        await ask(client, factory, bob, zoe)
        await ask(client, factory, chloe, zoe, "autre raison confidentielle")
        await ask(client, factory, chloe, bob)
        await factory.encounter(bob, zoe)
        headers = await _organiser_headers(factory, session, event)

        response = await client.get(f"/api/events/{event.id}/who-to-meet", headers=headers)
        assert response.status_code == 200
        figures = response.json()
        assert {k: v for k, v in figures.items() if k != "directory_opens_at"} == {
            "attendees": 4,
            "opted_in": 3,
            "requests_sent": 3,
            "matches": 1,
            "matches_met": 1,
        }

        report = await client.get(f"/api/events/{event.id}/report", headers=headers)
        assert report.json()["who_to_meet"]["matches_met"] == 1
        csv = await client.get(f"/api/events/{event.id}/report.csv", headers=headers)
        assert "who_to_meet,requests_sent,3" in csv.text
        pdf = await client.get(f"/api/events/{event.id}/report.pdf", headers=headers)
        assert pdf.status_code == 200
        for body in (response.text, report.text, csv.text):
            for secret in (
                "Secretname",
                "Hiddenname",
                "Quietname",
                "confidentielle",
                str(zoe.id),
                str(bob.id),
            ):
                assert secret not in body

    async def test_only_the_events_organiser(self, client: httpx.AsyncClient, factory: Factory) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        other = factory.organiser_headers(await factory.organiser())
        assert (await client.get(f"/api/events/{event.id}/who-to-meet", headers=other)).status_code == 404
        attendee = factory.attendee_headers(zoe)
        assert (await client.get(f"/api/events/{event.id}/who-to-meet", headers=attendee)).status_code == 403
        assert (await client.get(f"/api/events/{event.id}/who-to-meet")).status_code == 401


class TestBetweenAttendees:
    async def test_a_reason_reaches_its_recipient_only(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await open_event(factory)
        zoe = await member(factory, event, "Zoé")
        bob = await member(factory, event, "Bob")
        chloe = await member(factory, event, "Chloé")
        await ask(client, factory, zoe, bob, "une raison pour Bob")
        assert "une raison pour Bob" in str(await requests_of(client, factory, bob))
        assert "une raison pour Bob" not in str(await requests_of(client, factory, zoe))
        assert "une raison pour Bob" not in str(await requests_of(client, factory, chloe))
        assert (await requests_of(client, factory, chloe))["received"] == []
