from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Event


async def event(session: AsyncSession, event_id: uuid.UUID) -> Event:
    found = await session.get(Event, event_id)
    assert found is not None, "an attendee always belongs to an event"
    return found
