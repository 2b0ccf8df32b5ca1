"""What the database says, read straight from it: the yardstick the feed's frames are held to."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import aliased

from rencontre.config import Settings
from rencontre.db import create_engine
from rencontre.kit.time import utcnow
from rencontre.models import Encounter, Event, FeedTicket, FormatParticipant, LiveTicket

T = TypeVar("T")


@dataclass(frozen=True)
class FeedTruth:
    seq: int
    connections: int
    unique_pairs: int
    mutual: int

    def matches(self, seq: int, counts: dict[str, int]) -> bool:
        return (
            seq == self.seq
            and counts.get("connections") == self.connections
            and counts.get("unique_pairs") == self.unique_pairs
            and counts.get("mutual") == self.mutual
        )


def insert_tickets(settings: Settings, organiser_id: uuid.UUID, event_id: uuid.UUID, count: int) -> list[str]:
    """Feed tickets as ``POST …/feed/ticket`` makes them (it allows 60 a minute; 1,000 are needed here)."""

    async def run() -> list[str]:
        now = utcnow()
        rows = [
            {
                "id": uuid.uuid4(),
                "organiser_id": organiser_id,
                "event_id": event_id,
                "expires_at": now + timedelta(minutes=10),
                "used_at": None,
                "created_at": now,
            }
            for _ in range(count)
        ]
        engine = create_engine(settings)
        try:
            async with engine.begin() as connection:
                await connection.execute(insert(FeedTicket), rows)
        finally:
            await engine.dispose()
        return [str(row["id"]) for row in rows]

    return asyncio.run(run())


def insert_live_tickets(settings: Settings, event_id: uuid.UUID, attendee_ids: list[uuid.UUID]) -> list[str]:
    """Phones' live-channel tickets as ``POST /api/me/live/ticket`` makes them, one per attendee."""
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "attendee_id": attendee_id,
            "event_id": event_id,
            "expires_at": now + timedelta(minutes=10),
            "used_at": None,
            "created_at": now,
        }
        for attendee_id in attendee_ids
    ]
    _insert(settings, LiveTicket, rows)
    return [str(row["id"]) for row in rows]


def sign_up(settings: Settings, session_id: uuid.UUID, attendee_ids: list[uuid.UUID]) -> None:
    """Attendees signed up for a session, as ``POST /api/me/sessions/{id}/join`` records them."""
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "session_id": session_id,
            "attendee_id": attendee_id,
            "host": False,
            "joined_at": now,
            "left_at": None,
        }
        for attendee_id in attendee_ids
    ]
    _insert(settings, FormatParticipant, rows)


def _insert(settings: Settings, table: Any, rows: list[dict[str, Any]]) -> None:
    async def run() -> None:
        engine = create_engine(settings)
        try:
            async with engine.begin() as connection:
                await connection.execute(insert(table), rows)
        finally:
            await engine.dispose()

    asyncio.run(run())


async def _with_engine(settings: Settings, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    engine = create_engine(settings)
    try:
        return await work(engine)
    finally:
        await engine.dispose()


async def _encounter_seqs(
    engine: AsyncEngine, event_id: uuid.UUID, client_ids: Iterable[str]
) -> dict[str, int]:
    wanted = [uuid.UUID(c) for c in client_ids]
    found: dict[str, int] = {}
    async with engine.connect() as connection:
        for start in range(0, len(wanted), 500):
            rows = await connection.execute(
                select(Encounter.client_id, Encounter.seq).where(
                    Encounter.event_id == event_id,
                    Encounter.client_id.in_(wanted[start : start + 500]),
                )
            )
            found.update((str(client_id), seq) for client_id, seq in rows)
    return found


def encounter_seqs(settings: Settings, event_id: uuid.UUID, client_ids: Iterable[str]) -> dict[str, int]:
    """The feed number of the contact each scan (by client id) created."""
    return asyncio.run(_with_engine(settings, lambda engine: _encounter_seqs(engine, event_id, client_ids)))


async def _feed_truth(engine: AsyncEngine, event_id: uuid.UUID) -> FeedTruth:
    back = aliased(Encounter)
    # A connection per reading: on SQLite a read transaction keeps its snapshot.
    async with engine.connect() as connection:
        seq = await connection.scalar(select(Event.feed_seq).where(Event.id == event_id))
        connections = await connection.scalar(
            select(func.count()).select_from(Encounter).where(Encounter.event_id == event_id)
        )
        # A pair met both ways counts once among pairs, and once among mutual pairs.
        both_ways = await connection.scalar(
            select(func.count())
            .select_from(Encounter)
            .join(
                back,
                and_(back.scanner_id == Encounter.scanned_id, back.scanned_id == Encounter.scanner_id),
            )
            .where(Encounter.event_id == event_id)
        )
    mutual = int(both_ways or 0) // 2
    return FeedTruth(
        seq=int(seq or 0),
        connections=int(connections or 0),
        unique_pairs=int(connections or 0) - mutual,
        mutual=mutual,
    )


def feed_truth(settings: Settings, event_id: uuid.UUID) -> FeedTruth:
    return asyncio.run(_with_engine(settings, lambda engine: _feed_truth(engine, event_id)))


async def _settled(engine: AsyncEngine, event_id: uuid.UUID, within: float, poll: float) -> FeedTruth:
    deadline = time.monotonic() + within
    final = await _feed_truth(engine, event_id)
    while time.monotonic() < deadline:
        await asyncio.sleep(poll)
        again = await _feed_truth(engine, event_id)
        if again == final:
            break
        final = again
    return final


def settled(settings: Settings, event_id: uuid.UUID, within: float, poll: float = 0.5) -> FeedTruth:
    """The database's feed once it stops moving: scans the client gave up on may still commit."""
    return asyncio.run(_with_engine(settings, lambda engine: _settled(engine, event_id, within, poll)))


@dataclass(frozen=True)
class WindowTruth:
    after: FeedTruth
    found: dict[str, int]  # acknowledged client id → its contact's feed number
    numbers: list[int]  # every feed number above the window's start, duplicates included


def window(
    settings: Settings, event_id: uuid.UUID, before: FeedTruth, acked: list[str], within: float, poll: float
) -> WindowTruth:
    """After a load window: the settled feed, the acknowledged scans' contacts, the numbers handed out."""

    async def work(engine: AsyncEngine) -> WindowTruth:
        after = await _settled(engine, event_id, within, poll)
        found = await _encounter_seqs(engine, event_id, acked)
        async with engine.connect() as connection:
            rows = await connection.scalars(
                select(Encounter.seq).where(Encounter.event_id == event_id, Encounter.seq > before.seq)
            )
            numbers = [int(seq) for seq in rows]
        return WindowTruth(after, found, numbers)

    return asyncio.run(_with_engine(settings, work))
