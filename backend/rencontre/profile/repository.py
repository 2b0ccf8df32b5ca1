from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Event, ProfilePhoto


async def event(session: AsyncSession, event_id: uuid.UUID) -> Event:
    found = await session.get(Event, event_id)
    assert found is not None, "an attendee always belongs to an event"
    return found


# Profile photos (issue 16).


async def photo_of(session: AsyncSession, attendee_id: uuid.UUID) -> ProfilePhoto | None:
    return await session.get(ProfilePhoto, attendee_id)


async def photo_by_key(session: AsyncSession, key: str, column: str) -> tuple[bytes, Attendee] | None:
    """One size of the photo stored under ``key``, and its owner (to check who may see it)."""
    row = (
        await session.execute(
            select(getattr(ProfilePhoto, column), Attendee)
            .join(Attendee, Attendee.id == ProfilePhoto.attendee_id)
            .where(ProfilePhoto.key == key)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def delete_photo(session: AsyncSession, attendee_id: uuid.UUID) -> None:
    await session.execute(delete(ProfilePhoto).where(ProfilePhoto.attendee_id == attendee_id))
