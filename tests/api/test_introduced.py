"""The staff's "introduced" mark: an isolated attendee taken care of, counted in the report
(a number only: never to whom they were introduced)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, Organiser
from tests.api.presence_support import introduction
from tests.support import Factory

ARRIVED = {"arrived_at": utcnow() - timedelta(minutes=45)}


async def _introduce(
    client: httpx.AsyncClient, factory: Factory, organiser: Organiser, event: Event, attendee_id: object
) -> httpx.Response:
    return await client.post(
        f"/api/events/{event.id}/attendees/{attendee_id}/introduced",
        headers=factory.organiser_headers(organiser),
    )


async def _lonely(factory: Factory) -> tuple[Organiser, Event, Attendee]:
    organiser = await factory.organiser()
    event = await factory.event(organiser)
    noah = await factory.attendee(event, name="Noah", **ARRIVED)
    return organiser, event, noah


class TestIntroducedMark:
    async def test_marks_the_attendee_once(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, noah = await _lonely(factory)
        response = await _introduce(client, factory, organiser, event, noah.id)
        assert response.status_code == 200, response.text
        marked = await introduction(session, noah)
        assert marked is not None
        assert response.json() == {
            "attendee_id": str(noah.id),
            "introduced_at": response.json()["introduced_at"],
        }
        assert datetime.fromisoformat(response.json()["introduced_at"]) == marked

    async def test_marking_again_keeps_the_first_time(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, noah = await _lonely(factory)
        first = (await _introduce(client, factory, organiser, event, noah.id)).json()
        again = await _introduce(client, factory, organiser, event, noah.id)
        assert again.status_code == 200, again.text
        assert again.json()["introduced_at"] == first["introduced_at"]


class TestTheReportCountsIntroductions:
    async def test_the_report_counts_arrivals_and_introductions_and_names_nobody(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, noah = await _lonely(factory)
        lea = await factory.attendee(event, name="Léa", **ARRIVED)
        await factory.attendee(event, name="Absent")
        await factory.attendee(event, name="Gone", deleted_at=utcnow(), introduced_at=utcnow(), **ARRIVED)
        for person in (noah, lea):
            assert (await _introduce(client, factory, organiser, event, person.id)).status_code == 200
        headers = factory.organiser_headers(organiser)
        report = (await client.get(f"/api/events/{event.id}/report", headers=headers)).json()
        assert (report["totals"]["arrived"], report["totals"]["introduced"]) == (2, 2)
        text = (await client.get(f"/api/events/{event.id}/report.csv", headers=headers)).text
        assert "totals,introduced,2" in text
        assert "Noah" not in text
        assert "Léa" not in text


class TestIntroducedRefusals:
    async def test_someone_not_arrived_cannot_be_introduced(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, _ = await _lonely(factory)
        absent = await factory.attendee(event, name="Absent")
        response = await _introduce(client, factory, organiser, event, absent.id)
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "attendee_not_arrived"
        assert await introduction(session, absent) is None

    async def test_a_removed_attendee_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, _ = await _lonely(factory)
        gone = await factory.attendee(event, name="Gone", deleted_at=utcnow(), **ARRIVED)
        response = await _introduce(client, factory, organiser, event, gone.id)
        assert response.status_code == 410, response.text
        assert response.json()["code"] == "attendee_removed"
        assert await introduction(session, gone) is None

    async def test_unknown_or_other_event_s_attendees_are_not_found(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, _ = await _lonely(factory)
        other = await factory.attendee(await factory.event(organiser, name="Other"), **ARRIVED)
        for attendee_id in (uuid.uuid4(), other.id):
            response = await _introduce(client, factory, organiser, event, attendee_id)
            assert response.status_code == 404, response.text
            assert response.json()["code"] == "attendee_not_found"
        response = await _introduce(client, factory, organiser, event, "not-a-uuid")
        assert response.status_code in (404, 422)

    async def test_only_the_event_s_organiser_may_mark(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _organiser, event, noah = await _lonely(factory)
        intruder = await factory.organiser()
        response = await _introduce(client, factory, intruder, event, noah.id)
        assert response.status_code in (403, 404)
        response = await client.post(
            f"/api/events/{event.id}/attendees/{noah.id}/introduced", headers=factory.attendee_headers(noah)
        )
        assert response.status_code in (401, 403)
        assert await introduction(session, noah) is None
