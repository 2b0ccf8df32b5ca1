"""Check-in at the door: the organiser scans a badge (or finds the person by name) and the
attendee is present from then on; checking in again keeps the first arrival."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, Organiser
from tests.api.presence_support import arrival
from tests.api.scan_support import token_of, url_of
from tests.support import Factory


async def _door(factory: Factory) -> tuple[Organiser, Event, Attendee]:
    organiser = await factory.organiser()
    event = await factory.event(organiser)
    zoe = await factory.attendee(event, name="Zoé Lefèvre", company="Atelier")
    return organiser, event, zoe


async def _check_in(
    client: httpx.AsyncClient, factory: Factory, organiser: Organiser, event: Event, body: object
) -> httpx.Response:
    return await client.post(
        f"/api/events/{event.id}/check-in", json=body, headers=factory.organiser_headers(organiser)
    )


class TestCheckInByBadge:
    async def test_the_badge_link_checks_its_holder_in(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser, event, zoe = await _door(factory)
        before = utcnow()
        response = await _check_in(client, factory, organiser, event, {"badge": url_of(settings, event, zoe)})
        assert response.status_code == 200, response.text
        out = response.json()
        assert (out["attendee_id"], out["name"], out["company"], out["already"]) == (
            str(zoe.id),
            "Zoé Lefèvre",
            "Atelier",
            False,
        )
        arrived = await arrival(session, zoe)
        assert arrived is not None
        assert arrived >= before
        assert datetime.fromisoformat(out["arrived_at"]) == arrived

    async def test_the_bare_token_works_as_well(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser, event, zoe = await _door(factory)
        response = await _check_in(
            client, factory, organiser, event, {"badge": token_of(settings, event, zoe)}
        )
        assert response.status_code == 200, response.text
        assert await arrival(session, zoe) is not None


class TestCheckingInAgainKeepsTheFirstArrival:
    async def test_a_second_check_in_says_already_and_changes_nothing(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser, event, zoe = await _door(factory)
        body = {"badge": url_of(settings, event, zoe)}
        first = (await _check_in(client, factory, organiser, event, body)).json()
        arrived = await arrival(session, zoe)
        again = await _check_in(client, factory, organiser, event, {"attendee_id": str(zoe.id)})
        assert again.status_code == 200, again.text
        assert again.json()["already"] is True
        assert again.json()["arrived_at"] == first["arrived_at"]
        assert await arrival(session, zoe) == arrived

    async def test_someone_who_arrived_by_scanning_is_already_in(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, _ = await _door(factory)
        earlier = utcnow() - timedelta(minutes=40)
        sam = await factory.attendee(event, name="Sam", arrived_at=earlier)
        response = await _check_in(client, factory, organiser, event, {"attendee_id": str(sam.id)})
        assert response.status_code == 200, response.text
        assert response.json()["already"] is True
        assert await arrival(session, sam) == earlier


class TestCheckInByName:
    async def test_the_attendee_id_from_a_search_checks_them_in(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, zoe = await _door(factory)
        response = await _check_in(client, factory, organiser, event, {"attendee_id": str(zoe.id)})
        assert response.status_code == 200, response.text
        assert response.json()["already"] is False
        assert await arrival(session, zoe) is not None

    async def test_the_attendee_list_shows_the_arrival(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        organiser, event, zoe = await _door(factory)
        await _check_in(client, factory, organiser, event, {"attendee_id": str(zoe.id)})
        response = await client.get(
            f"/api/events/{event.id}/attendees/{zoe.id}", headers=factory.organiser_headers(organiser)
        )
        assert response.status_code == 200
        assert response.json()["arrived_at"] is not None


class TestCheckInRefusals:
    async def _refused(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        organiser: Organiser,
        event: Event,
        body: object,
        status: int,
        code: str,
    ) -> None:
        response = await _check_in(client, factory, organiser, event, body)
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code
        assert response.json()["detail"]

    async def test_a_badge_of_another_event_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser, event, _ = await _door(factory)
        elsewhere = await factory.event(organiser, name="Ailleurs")
        stranger = await factory.attendee(elsewhere, name="Stranger")
        body = {"badge": url_of(settings, elsewhere, stranger)}
        await self._refused(client, factory, organiser, event, body, 403, "badge_of_other_event")
        assert await arrival(session, stranger) is None

    async def test_a_re_issued_badge_is_refused(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser, event, _ = await _door(factory)
        reissued = await factory.attendee(event, name="Re-issued", badge_version=2)
        body = {"badge": url_of(settings, event, reissued, version=1)}
        await self._refused(client, factory, organiser, event, body, 410, "badge_revoked")
        assert await arrival(session, reissued) is None

    async def test_a_removed_attendee_is_refused_by_badge_and_by_id(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        organiser, event, _ = await _door(factory)
        gone = await factory.attendee(event, name="Gone", deleted_at=utcnow())
        body = {"badge": url_of(settings, event, gone)}
        await self._refused(client, factory, organiser, event, body, 410, "badge_holder_gone")
        by_id = {"attendee_id": str(gone.id)}
        await self._refused(client, factory, organiser, event, by_id, 410, "attendee_removed")
        assert await arrival(session, gone) is None

    async def test_an_unknown_attendee_or_one_of_another_event_is_not_found(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, _ = await _door(factory)
        other = await factory.attendee(await factory.event(organiser, name="Other"))
        for attendee_id in (uuid.uuid4(), other.id):
            body = {"attendee_id": str(attendee_id)}
            await self._refused(client, factory, organiser, event, body, 404, "attendee_not_found")

    async def test_a_qr_code_that_is_no_badge_is_refused(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, _ = await _door(factory)
        for text in ("hello", "https://example.org/b/abc", "x" * 512):
            await self._refused(
                client, factory, organiser, event, {"badge": text}, 422, "invalid_badge_token"
            )

    async def test_badge_and_id_are_one_or_the_other(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser, event, zoe = await _door(factory)
        for body in (
            {},
            {"badge": "abc", "attendee_id": str(zoe.id)},
            {"badge": ""},
            {"badge": "x" * 513},
            {"attendee_id": "not-a-uuid"},
            {"attendee_id": str(zoe.id), "name": "Zoé"},
            ["not", "an", "object"],
        ):
            response = await _check_in(client, factory, organiser, event, body)
            assert response.status_code == 422, (body, response.text)
            assert response.json()["detail"]

    async def test_only_the_event_s_organiser_may_check_in(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession
    ) -> None:
        _organiser, event, zoe = await _door(factory)
        intruder = await factory.organiser()
        body = {"attendee_id": str(zoe.id)}
        response = await _check_in(client, factory, intruder, event, body)
        assert response.status_code in (403, 404)
        response = await client.post(
            f"/api/events/{event.id}/check-in", json=body, headers=factory.attendee_headers(zoe)
        )
        assert response.status_code in (401, 403)
        response = await client.post(f"/api/events/{event.id}/check-in", json=body)
        assert response.status_code == 401
        assert await arrival(session, zoe) is None
