"""Every query of the retention purge and the keep choices."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Encounter, Event, PushSubscription, Scan


async def unpurged_events(session: AsyncSession) -> list[Event]:
    rows = await session.scalars(select(Event).where(Event.purged_at.is_(None)))
    return list(rows)


async def claim_purge(session: AsyncSession, event_id: uuid.UUID, now: datetime) -> Event | None:
    """Mark the event purged (one instance wins); the event, or None if another got it first."""
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.purged_at.is_(None))
        .values(purged_at=now)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return await session.get(Event, event_id, populate_existing=True)


async def claim_warning(session: AsyncSession, event_id: uuid.UUID, now: datetime) -> bool:
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.retention_warned_at.is_(None), Event.purged_at.is_(None))
        .values(retention_warned_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def subscribed_attendees(session: AsyncSession, event_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Attendee.id)
        .where(
            Attendee.event_id == event_id,
            Attendee.deleted_at.is_(None),
            Attendee.id.in_(select(PushSubscription.attendee_id)),
        )
        .order_by(Attendee.id)
    )
    return list(rows)


async def attendees(session: AsyncSession, event_id: uuid.UUID) -> list[Attendee]:
    rows = await session.scalars(
        select(Attendee).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
    )
    return list(rows)


async def kept_encounters(session: AsyncSession, event_id: uuid.UUID) -> list[Encounter]:
    """Contacts marked kept, or whose scanner keeps them all (and is still here)."""
    keepers = select(Attendee.id).where(
        Attendee.event_id == event_id, Attendee.keep_contacts.is_(True), Attendee.deleted_at.is_(None)
    )
    live = select(Attendee.id).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
    rows = await session.scalars(
        select(Encounter).where(
            Encounter.event_id == event_id,
            Encounter.scanner_id.in_(live),
            or_(Encounter.kept.is_(True), Encounter.scanner_id.in_(keepers)),
        )
    )
    return list(rows)


async def people(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Attendee]:
    if not ids:
        return {}
    rows = await session.scalars(select(Attendee).where(Attendee.id.in_(ids)))
    return {a.id: a for a in rows}


async def delete_unkept(session: AsyncSession, event_id: uuid.UUID, kept: Sequence[uuid.UUID]) -> int:
    """Every scan record of the event, and every contact not kept; how many contacts went."""
    of_event = select(Encounter.id).where(Encounter.event_id == event_id)
    await session.execute(delete(Scan).where(Scan.encounter_id.in_(of_event)))
    gone = delete(Encounter).where(Encounter.event_id == event_id)
    if kept:
        gone = gone.where(Encounter.id.not_in(kept))
    result = await session.execute(gone)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def contact_counts(session: AsyncSession, attendee_id: uuid.UUID) -> tuple[int, int]:
    row = (
        await session.execute(
            select(func.count(), func.count().filter(Encounter.kept.is_(True))).where(
                Encounter.scanner_id == attendee_id
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def set_kept(session: AsyncSession, attendee_id: uuid.UUID, contact_id: uuid.UUID, kept: bool) -> bool:
    result = await session.execute(
        update(Encounter)
        .where(Encounter.id == contact_id, Encounter.scanner_id == attendee_id)
        .values(kept=kept)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
