from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee


async def any_attendee(session: AsyncSession, event_id: uuid.UUID, attendee_id: uuid.UUID) -> Attendee | None:
    """The attendee of this event, removed ones included (so that a refusal can say so)."""
    result = await session.scalars(
        select(Attendee).where(Attendee.event_id == event_id, Attendee.id == attendee_id)
    )
    return result.one_or_none()


async def arrive(session: AsyncSession, attendee: Attendee, now: datetime) -> bool:
    """Set the arrival unless one is recorded; whether this call set it.

    One conditional statement: a scan or another check-in committed meanwhile keeps its time.
    """
    result = await session.execute(
        update(Attendee)
        .where(Attendee.id == attendee.id, Attendee.arrived_at.is_(None))
        .values(arrived_at=now)
        .returning(Attendee.id),
        execution_options={"synchronize_session": False},
    )
    set_now = result.first() is not None
    await session.refresh(attendee, ["arrived_at"])
    return set_now


async def introduce(session: AsyncSession, attendee: Attendee, now: datetime) -> None:
    await session.execute(
        update(Attendee)
        .where(Attendee.id == attendee.id, Attendee.introduced_at.is_(None))
        .values(introduced_at=now),
        execution_options={"synchronize_session": False},
    )
    await session.refresh(attendee, ["introduced_at"])
