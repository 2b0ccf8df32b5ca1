from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import AccessReissue


async def for_attendee(session: AsyncSession, attendee_id: uuid.UUID) -> list[AccessReissue]:
    rows = await session.scalars(
        select(AccessReissue)
        .where(AccessReissue.attendee_id == attendee_id)
        .order_by(AccessReissue.created_at.desc(), AccessReissue.id)
    )
    return list(rows)


async def one_of(session: AsyncSession, attendee_id: uuid.UUID, record_id: uuid.UUID) -> AccessReissue | None:
    result = await session.scalars(
        select(AccessReissue).where(AccessReissue.id == record_id, AccessReissue.attendee_id == attendee_id)
    )
    return result.one_or_none()


async def delete_for_attendee(session: AsyncSession, attendee_id: uuid.UUID) -> None:
    await session.execute(delete(AccessReissue).where(AccessReissue.attendee_id == attendee_id))
