"""Helpers for the format sessions' API tests: a room of attendees, a session set up and
started by its organiser, and the seats of a round as stored."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.formats import service
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, FormatSeat, FormatSession, Organiser
from tests.support import Factory

ANY_UUID = str(uuid.uuid4())


async def room(
    factory: Factory, count: int, *, arrived: bool = True, **person: Any
) -> tuple[Organiser, Event, list[Attendee]]:
    organiser = await factory.organiser()
    event = await factory.event(organiser)
    people = [
        await factory.attendee(event, name=f"Person {i}", arrived_at=utcnow() if arrived else None, **person)
        for i in range(count)
    ]
    return organiser, event, people


def speed_meeting(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Speed-meeting",
        "kind": "speed_meeting",
        "rounds_total": 3,
        "round_seconds": 300,
    } | overrides


async def create(
    client: httpx.AsyncClient, factory: Factory, organiser: Organiser, event: Event, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"/api/events/{event.id}/sessions", json=body, headers=factory.organiser_headers(organiser)
    )


async def control(
    client: httpx.AsyncClient,
    factory: Factory,
    organiser: Organiser,
    event: Event,
    sid: str,
    action: str,
    **body: Any,
) -> httpx.Response:
    return await client.post(
        f"/api/events/{event.id}/sessions/{sid}/{action}",
        json=body or None,
        headers=factory.organiser_headers(organiser),
    )


async def started(
    client: httpx.AsyncClient, factory: Factory, organiser: Organiser, event: Event, **overrides: Any
) -> str:
    created = await create(client, factory, organiser, event, speed_meeting(**overrides))
    assert created.status_code == 201, created.text
    sid: str = created.json()["id"]
    started = await control(client, factory, organiser, event, sid, "start")
    assert started.status_code == 200, started.text
    return sid


async def seats(session: AsyncSession, sid: str, round_: int) -> dict[int, set[uuid.UUID]]:
    rows = (
        await session.scalars(
            select(FormatSeat).where(FormatSeat.session_id == uuid.UUID(sid), FormatSeat.round == round_)
        )
    ).all()
    tables: dict[int, set[uuid.UUID]] = {}
    for row in rows:
        tables.setdefault(row.table, set()).add(row.attendee_id)
    return tables


async def advance_past_phase(session: AsyncSession, sid: str) -> bool:
    found = await session.get(FormatSession, uuid.UUID(sid), populate_existing=True)
    assert found is not None
    assert found.phase_ends_at is not None
    return (
        await service.advance(session, found.id, now=found.phase_ends_at + timedelta(seconds=1)) is not None
    )
