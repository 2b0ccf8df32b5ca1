"""Every query of the scan path. Each is one statement; the service decides the order."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Encounter, Event, Scan


async def scan(session: AsyncSession, scanner_id: uuid.UUID, client_id: uuid.UUID) -> Scan | None:
    return await session.get(Scan, (scanner_id, client_id))


async def encounter_with_person(
    session: AsyncSession, encounter_id: uuid.UUID
) -> tuple[Encounter, Attendee] | None:
    row = (
        await session.execute(
            select(Encounter, Attendee)
            .join(Attendee, Attendee.id == Encounter.scanned_id)
            .where(Encounter.id == encounter_id)
        )
    ).one_or_none()
    if row is None:
        return None
    encounter, person = row
    return encounter, person


async def encounter_for_update(
    session: AsyncSession, scanner_id: uuid.UUID, scanned_id: uuid.UUID
) -> Encounter | None:
    """The scanner's contact with this person, locked until commit.

    PostgreSQL locks the row; SQLite ignores FOR UPDATE but writes one transaction at a time.
    """
    return await session.scalar(
        select(Encounter)
        .where(Encounter.scanner_id == scanner_id, Encounter.scanned_id == scanned_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def lock_event(session: AsyncSession, event_id: uuid.UUID) -> None:
    """Take the lock a new contact's feed number takes, ahead of any contact's row lock."""
    await session.execute(select(Event.id).where(Event.id == event_id).with_for_update())


async def next_feed_seq(session: AsyncSession, event_id: uuid.UUID) -> int:
    """The event's next feed number, incremented in this transaction (it holds the event row until commit)."""
    seq = await session.scalar(
        update(Event)
        .where(Event.id == event_id)
        .values(feed_seq=Event.feed_seq + 1)
        .returning(Event.feed_seq),
        execution_options={"synchronize_session": False},
    )
    assert seq is not None
    return int(seq)


async def mark_mutual(session: AsyncSession, scanner_id: uuid.UUID, scanned_id: uuid.UUID) -> bool:
    """Mark the scanned person's contact with the scanner as mutual; False if they have none."""
    marked = await session.scalar(
        update(Encounter)
        .where(Encounter.scanner_id == scanned_id, Encounter.scanned_id == scanner_id)
        .values(mutual=True)
        .returning(Encounter.id),
        execution_options={"synchronize_session": False},
    )
    return marked is not None


async def touch(session: AsyncSession, attendee_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(Attendee).where(Attendee.id == attendee_id).values(last_seen_at=now),
        execution_options={"synchronize_session": False},
    )
