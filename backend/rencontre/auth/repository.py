from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import AccessReissue, Attendee, Event, Organiser


async def organiser_by_email(session: AsyncSession, email: str) -> Organiser | None:
    result = await session.execute(
        select(Organiser).where(func.lower(Organiser.email) == email.strip().lower())
    )
    return result.scalar_one_or_none()


async def organiser_by_id(session: AsyncSession, organiser_id: uuid.UUID) -> Organiser | None:
    return await session.get(Organiser, organiser_id)


async def attendee_by_id(session: AsyncSession, attendee_id: uuid.UUID) -> Attendee | None:
    return await session.get(Attendee, attendee_id)


async def event_by_id(session: AsyncSession, event_id: uuid.UUID) -> Event | None:
    return await session.get(Event, event_id)


async def claim_join_link(session: AsyncSession, attendee_id: uuid.UUID, version: int) -> bool:
    """Mark the join link of this access version used; False if it already was (or was replaced)."""
    result = await session.execute(
        update(Attendee)
        .where(
            Attendee.id == attendee_id,
            Attendee.access_version == version,
            Attendee.join_used_version < version,
        )
        .values(join_used_version=version)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def latest_access_reissue(session: AsyncSession, attendee_id: uuid.UUID) -> AccessReissue | None:
    result = await session.scalars(
        select(AccessReissue)
        .where(AccessReissue.attendee_id == attendee_id)
        .order_by(AccessReissue.created_at.desc())
        .limit(1)
    )
    return result.first()
