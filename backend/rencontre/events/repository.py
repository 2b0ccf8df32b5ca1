from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Event


async def list_for_organiser(session: AsyncSession, organiser_id: uuid.UUID) -> list[Event]:
    result = await session.scalars(
        select(Event).where(Event.organiser_id == organiser_id).order_by(Event.starts_at.desc())
    )
    return list(result)


async def get_for_organiser(
    session: AsyncSession, organiser_id: uuid.UUID, event_id: uuid.UUID
) -> Event | None:
    result = await session.scalars(
        select(Event).where(Event.id == event_id, Event.organiser_id == organiser_id)
    )
    return result.one_or_none()


async def slug_taken(session: AsyncSession, slug: str) -> bool:
    return (await session.scalar(select(Event.id).where(Event.slug == slug))) is not None


async def badge_code_taken(session: AsyncSession, code: str) -> bool:
    return (await session.scalar(select(Event.id).where(Event.badge_code == code))) is not None


async def attendee_counts(session: AsyncSession, event_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not event_ids:
        return {}
    rows = await session.execute(
        select(Attendee.event_id, func.count())
        .where(Attendee.event_id.in_(event_ids), Attendee.deleted_at.is_(None))
        .group_by(Attendee.event_id)
    )
    return {event_id: count for event_id, count in rows.all()}
