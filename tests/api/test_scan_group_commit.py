"""Group commit and the scan path's caches: fast, and never at the cost of a scan or a revocation.

Concurrent scans share one transaction; none is answered before that transaction is
committed, and if it cannot be, none is answered as saved. The caches in front of the
database (the signed-in attendee, the badge's holder) forget what this process changes
at once.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select
from sqlalchemy import event as sa_event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import Request

from rencontre.app import create_app
from rencontre.config import Settings
from rencontre.db import create_session_factory
from rencontre.encounters import writer
from rencontre.encounters.endpoints import _writer
from rencontre.feed.broker import FeedNotice, InProcessBroker
from rencontre.kit import ratelimit
from rencontre.models import Attendee, Encounter, Event, Organiser, Scan
from tests.api.scan_support import scan_body
from tests.support import Factory


class Live:
    def __init__(
        self,
        app: FastAPI,
        engine: AsyncEngine,
        client: httpx.AsyncClient,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
    ):
        self.app, self.engine = app, engine
        self.client, self.sessions, self.settings = client, sessions, settings
        self.organisers: list[uuid.UUID] = []

    async def event_with(self, count: int) -> tuple[Event, list[Attendee], Factory]:
        async with self.sessions() as session:
            factory = Factory(session, self.settings)
            organiser = await factory.organiser()
            self.organisers.append(organiser.id)
            event = await factory.event(organiser)
            people = [await factory.attendee(event, name=f"Person {i}") for i in range(count)]
            await session.commit()
        return event, people, factory

    async def count(self, model: Any, event: Event) -> int:
        async with self.sessions() as session:
            if model is Scan:
                statement = (
                    select(func.count())
                    .select_from(Scan)
                    .join(Encounter)
                    .where(Encounter.event_id == event.id)
                )
            else:
                statement = select(func.count()).select_from(Encounter).where(Encounter.event_id == event.id)
            return int(await session.scalar(statement) or 0)


@pytest.fixture
async def live(settings: Settings, engine: AsyncEngine) -> AsyncIterator[tuple[Live, InProcessBroker]]:
    ratelimit.reset()
    app = create_app(settings)
    sessions = create_session_factory(engine)
    app.state.engine = engine
    app.state.session_factory = sessions
    broker = app.state.broker = InProcessBroker()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        world = Live(app, engine, client, sessions, settings)
        try:
            yield world, broker
        finally:
            async with sessions() as session:
                await session.execute(delete(Organiser).where(Organiser.id.in_(world.organisers)))
                await session.commit()
            if (scan_writer := getattr(app.state, "scan_writer", None)) is not None:
                scan_writer.close()


class TestGroupCommit:
    async def test_concurrent_scans_are_all_recorded_and_numbered(
        self, live: tuple[Live, InProcessBroker], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        world, broker = live
        event, people, factory = await world.event_with(21)
        groups: list[int] = []
        record_scans = writer.service.record_scans

        async def counting(session: AsyncSession, settings: Settings, requests: Any, **kw: Any) -> Any:
            groups.append(len(requests))
            return await record_scans(session, settings, requests, **kw)

        monkeypatch.setattr(writer.service, "record_scans", counting)
        notices: list[FeedNotice] = []
        broker.subscribe(event.id, notices.append)
        target, scanners = people[0], people[1:]
        responses = await asyncio.gather(
            *(
                world.client.post(
                    "/api/scans",
                    json=scan_body(world.settings, event, target),
                    headers=factory.attendee_headers(scanner),
                )
                for scanner in scanners
            )
        )
        assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses]
        assert await world.count(Encounter, event) == 20
        assert await world.count(Scan, event) == 20
        assert sorted(n.seq for n in notices) == list(range(1, 21))
        # Fewer transactions than requests: they were grouped.
        assert sum(groups) == 20
        assert len(groups) < 20

    async def test_a_failed_commit_acknowledges_none_and_a_retry_records_each_once(
        self, live: tuple[Live, InProcessBroker]
    ) -> None:
        world, broker = live
        event, people, factory = await world.event_with(6)
        notices: list[FeedNotice] = []
        broker.subscribe(event.id, notices.append)
        target, scanners = people[0], people[1:]
        bodies = [scan_body(world.settings, event, target, note="hello") for _ in scanners]

        def refuse(_connection: Any) -> None:
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

        async def send() -> list[httpx.Response]:
            return await asyncio.gather(
                *(
                    world.client.post("/api/scans", json=body, headers=factory.attendee_headers(scanner))
                    for scanner, body in zip(scanners, bodies, strict=True)
                )
            )

        # The commit fails on whichever engine the writer writes with (SQLite: its thread's own).
        scan_writer = _writer(Request({"type": "http", "app": world.app}))
        committing = scan_writer._thread.engine if scan_writer._thread else world.engine.sync_engine
        sa_event.listen(committing, "commit", refuse)
        try:
            failed = await send()
        finally:
            sa_event.remove(committing, "commit", refuse)
        assert [r.status_code for r in failed] == [503] * 5
        assert all(r.headers["retry-after"].isdigit() for r in failed)
        assert await world.count(Encounter, event) == 0
        assert notices == []

        retried = await send()
        assert [r.status_code for r in retried] == [201] * 5
        again = await send()
        assert [r.status_code for r in again] == [201] * 5
        assert {r.json()["contact_id"] for r in again} == {r.json()["contact_id"] for r in retried}
        assert await world.count(Encounter, event) == 5
        assert await world.count(Scan, event) == 5
        assert len(notices) == 5

    async def test_one_failing_request_does_not_fail_the_others(
        self, live: tuple[Live, InProcessBroker], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        world, _ = live
        event, people, factory = await world.event_with(5)
        target, scanners = people[0], people[1:]
        poison = scanners[0].id
        record_scans = writer.service.record_scans

        async def poisoned(session: AsyncSession, settings: Settings, requests: Any, **kw: Any) -> Any:
            if any(request.caller.subject == poison for request in requests):
                raise RuntimeError("a bug that only this request triggers")
            return await record_scans(session, settings, requests, **kw)

        monkeypatch.setattr(writer.service, "record_scans", poisoned)
        responses = await asyncio.gather(
            *(
                world.client.post(
                    "/api/scans",
                    json=scan_body(world.settings, event, target),
                    headers=factory.attendee_headers(scanner),
                )
                for scanner in scanners
            )
        )
        assert [r.status_code for r in responses] == [503, 201, 201, 201]
        assert await world.count(Encounter, event) == 3


class _DeadlockDetected(Exception):
    sqlstate = "40P01"


class TestGivingWay:
    async def test_a_group_chosen_to_give_way_in_a_deadlock_is_written_again(
        self, live: tuple[Live, InProcessBroker], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """PostgreSQL breaks a deadlock by failing one transaction, which did nothing: the
        writer writes its group again rather than failing every scan in it."""
        world, broker = live
        event, (alice, zoe), factory = await world.event_with(2)
        notices: list[FeedNotice] = []
        broker.subscribe(event.id, notices.append)
        record_scans = writer.service.record_scans
        attempts: list[int] = []

        async def chosen_once(session: AsyncSession, settings: Settings, requests: Any, **kw: Any) -> Any:
            attempts.append(len(requests))
            if len(attempts) == 1:
                raise DBAPIError(
                    "SELECT pg_advisory_xact_lock(…)", {}, _DeadlockDetected("deadlock detected")
                )
            return await record_scans(session, settings, requests, **kw)

        monkeypatch.setattr(writer.service, "record_scans", chosen_once)
        response = await world.client.post(
            "/api/scans", json=scan_body(world.settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert response.status_code == 201, response.text
        assert attempts == [1, 1]
        assert await world.count(Encounter, event) == 1
        assert [n.seq for n in notices] == [1]


class TestCachesForgetAtOnce:
    async def test_reissued_badge_is_refused_right_after_a_scan_of_it(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        alice, bob, zoe = [await factory.attendee(event) for _ in range(3)]
        first = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(alice)
        )
        assert first.status_code == 201
        old = scan_body(settings, event, zoe)
        reissued = await client.post(
            f"/api/events/{event.id}/attendees/{zoe.id}/badge/reissue",
            headers=factory.organiser_headers(organiser),
        )
        assert reissued.status_code == 200
        response = await client.post("/api/scans", json=old, headers=factory.attendee_headers(bob))
        assert response.status_code == 410

    async def test_removed_attendee_can_neither_be_scanned_nor_scan(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        alice, bob, zoe = [await factory.attendee(event) for _ in range(3)]
        for scanner, scanned in ((alice, zoe), (zoe, bob)):
            response = await client.post(
                "/api/scans",
                json=scan_body(settings, event, scanned),
                headers=factory.attendee_headers(scanner),
            )
            assert response.status_code == 201
        removed = await client.delete(
            f"/api/events/{event.id}/attendees/{zoe.id}", headers=factory.organiser_headers(organiser)
        )
        assert removed.is_success
        scanned = await client.post(
            "/api/scans", json=scan_body(settings, event, zoe), headers=factory.attendee_headers(bob)
        )
        assert scanned.status_code == 410
        scanning = await client.post(
            "/api/scans", json=scan_body(settings, event, alice), headers=factory.attendee_headers(zoe)
        )
        assert scanning.status_code == 401

    async def test_reissued_access_signs_the_old_session_out_at_once(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        alice, zoe, bob = [await factory.attendee(event) for _ in range(3)]
        old_headers = factory.attendee_headers(alice)
        first = await client.post("/api/scans", json=scan_body(settings, event, zoe), headers=old_headers)
        assert first.status_code == 201
        reissued = await client.post(
            f"/api/events/{event.id}/attendees/{alice.id}/access/reissue",
            headers=factory.organiser_headers(organiser),
        )
        assert reissued.is_success
        response = await client.post("/api/scans", json=scan_body(settings, event, bob), headers=old_headers)
        assert response.status_code == 401
