"""Fixtures for API tests that need requests to really run in parallel."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rencontre.app import create_app
from rencontre.config import Settings
from rencontre.db import create_session_factory
from rencontre.feed.broker import InProcessBroker
from rencontre.kit import ratelimit
from rencontre.models import Attendee, Encounter, Event, Organiser
from tests.support import Factory


@dataclass
class Live:
    client: httpx.AsyncClient
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    broker: InProcessBroker
    organisers: list[uuid.UUID] = field(default_factory=list)

    async def event_with(self, count: int) -> tuple[Event, list[Attendee], Factory]:
        async with self.sessions() as session:
            factory = Factory(session, self.settings)
            organiser = await factory.organiser()
            self.organisers.append(organiser.id)
            event = await factory.event(organiser)
            people = [await factory.attendee(event, name=f"Person {i}") for i in range(count)]
            await session.commit()
        return event, people, factory

    async def scan(self, factory: Factory, scanner: Attendee, body: dict[str, Any]) -> httpx.Response:
        return await self.client.post("/api/scans", json=body, headers=factory.attendee_headers(scanner))

    async def encounters(self, event: Event) -> list[Encounter]:
        async with self.sessions() as session:
            return list(await session.scalars(select(Encounter).where(Encounter.event_id == event.id)))


@pytest.fixture
async def live(settings: Settings, engine: AsyncEngine) -> AsyncIterator[Live]:
    ratelimit.reset()
    app = create_app(settings)
    sessions = create_session_factory(engine)
    app.state.engine = engine
    app.state.session_factory = sessions
    broker = app.state.broker = InProcessBroker()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        world = Live(client=client, sessions=sessions, settings=settings, broker=broker)
        try:
            yield world
        finally:
            async with sessions() as session:
                await session.execute(delete(Organiser).where(Organiser.id.in_(world.organisers)))
                await session.commit()
