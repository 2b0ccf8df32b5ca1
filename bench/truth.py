"""What the database says, read straight from it: the yardstick the feed's frames are held to."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, insert, select
from sqlalchemy.orm import aliased

from rencontre.config import Settings
from rencontre.db import create_engine
from rencontre.kit.time import utcnow
from rencontre.models import Encounter, Event, FeedTicket, FormatParticipant, LiveTicket


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


def encounter_seqs(settings: Settings, event_id: uuid.UUID, client_ids: Iterable[str]) -> dict[str, int]:
    """The feed number of the contact each scan (by client id) created."""
    wanted = [uuid.UUID(c) for c in client_ids]

    async def run() -> dict[str, int]:
        found: dict[str, int] = {}
        engine = create_engine(settings)
        try:
            async with engine.connect() as connection:
                for start in range(0, len(wanted), 500):
                    rows = await connection.execute(
                        select(Encounter.client_id, Encounter.seq).where(
                            Encounter.event_id == event_id,
                            Encounter.client_id.in_(wanted[start : start + 500]),
                        )
                    )
                    found.update((str(client_id), seq) for client_id, seq in rows)
        finally:
            await engine.dispose()
        return found

    return asyncio.run(run())


def feed_truth(settings: Settings, event_id: uuid.UUID) -> FeedTruth:
    async def run() -> FeedTruth:
        engine = create_engine(settings)
        back = aliased(Encounter)
        try:
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
                        and_(
                            back.scanner_id == Encounter.scanned_id, back.scanned_id == Encounter.scanner_id
                        ),
                    )
                    .where(Encounter.event_id == event_id)
                )
        finally:
            await engine.dispose()
        mutual = int(both_ways or 0) // 2
        return FeedTruth(
            seq=int(seq or 0),
            connections=int(connections or 0),
            unique_pairs=int(connections or 0) - mutual,
            mutual=mutual,
        )

    return asyncio.run(run())


def settled(settings: Settings, event_id: uuid.UUID, within: float, poll: float = 0.5) -> FeedTruth:
    """The database's feed once it stops moving: scans the client gave up on may still commit."""
    deadline = time.monotonic() + within
    final = feed_truth(settings, event_id)
    while time.monotonic() < deadline:
        time.sleep(poll)
        again = feed_truth(settings, event_id)
        if again == final:
            break
        final = again
    return final


def seqs_after(settings: Settings, event_id: uuid.UUID, after: int) -> list[int]:
    """Every contact's feed number above ``after``, duplicates included (there must be none)."""

    async def run() -> list[int]:
        engine = create_engine(settings)
        try:
            async with engine.connect() as connection:
                rows = await connection.scalars(
                    select(Encounter.seq).where(Encounter.event_id == event_id, Encounter.seq > after)
                )
                return [int(seq) for seq in rows]
        finally:
            await engine.dispose()

    return asyncio.run(run())
