"""Arrival by scanning: the first scan made or received during the event's hours shows both
people are at the venue; outside those hours a scan says nothing about presence."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.kit.time import utcnow
from tests.api.presence_support import arrival
from tests.api.scan_support import scan_body
from tests.support import Factory


class TestTheFirstScanDuringTheEventIsAnArrival:
    async def test_scanner_and_scanned_arrive(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()  # started an hour ago, ends in three
        alice = await factory.attendee(event, name="Alice")
        zoe = await factory.attendee(event, name="Zoé")
        before = utcnow()
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 201, response.text
        for person in (alice, zoe):
            arrived = await arrival(session, person)
            assert arrived is not None
            assert arrived >= before

    async def test_a_later_scan_keeps_the_first_arrival(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        earlier = utcnow() - timedelta(minutes=30)
        alice = await factory.attendee(event, name="Alice", arrived_at=earlier)
        zoe = await factory.attendee(event, name="Zoé")
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 201, response.text
        assert await arrival(session, alice) == earlier
        assert await arrival(session, zoe) is not None

    async def test_an_offline_batch_during_the_event_makes_everyone_in_it_arrive(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        alice = await factory.attendee(event, name="Alice")
        others = [await factory.attendee(event, name=f"P{i}") for i in range(3)]
        response = await client.post(
            "/api/scans/batch",
            json={"items": [scan_body(settings, event, other) for other in others]},
            headers=factory.attendee_headers(alice),
        )
        assert response.status_code == 200, response.text
        for person in (alice, *others):
            assert await arrival(session, person) is not None


class TestAScanOutsideTheEventIsNoArrival:
    async def test_before_the_event_starts(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        start = utcnow() + timedelta(days=2)
        event = await factory.event(starts_at=start, ends_at=start + timedelta(hours=4))
        alice = await factory.attendee(event, name="Alice")
        zoe = await factory.attendee(event, name="Zoé")
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 201, response.text
        assert await arrival(session, alice) is None
        assert await arrival(session, zoe) is None

    async def test_after_the_event_ended(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        start = utcnow() - timedelta(days=1)
        event = await factory.event(starts_at=start, ends_at=start + timedelta(hours=4))
        alice = await factory.attendee(event, name="Alice")
        zoe = await factory.attendee(event, name="Zoé")
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 201, response.text
        assert await arrival(session, alice) is None
        assert await arrival(session, zoe) is None


class TestARefusedScanIsNoArrival:
    async def test_a_self_scan_during_the_event_leaves_presence_alone(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        alice = await factory.attendee(event, name="Alice")
        response = await client.post(
            "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 422, response.text
        assert await arrival(session, alice) is None
