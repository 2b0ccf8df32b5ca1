"""Re-issued access: every session of the attendee ends, and the attendee is told who did it.

The record is the attendee's: they read it and dismiss it. Their organiser sees that it
exists (when, by whom), which they wrote themselves; nothing here reaches the attendee's notes.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.access import repository
from rencontre.auth import service as auth_service
from rencontre.errors import NotFound
from rencontre.kit.time import utcnow
from rencontre.models import AccessReissue, Attendee, Organiser


class AccessNoticeNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("You have no such access notice.")


async def reissue(
    session: AsyncSession, attendee: Attendee, organiser: Organiser, *, reason: str
) -> AccessReissue:
    await auth_service.revoke_attendee_access(session, attendee)
    record = AccessReissue(
        attendee_id=attendee.id,
        organiser_id=organiser.id,
        organiser_name=organiser.name,
        organiser_email=organiser.email,
        reason=reason,
        created_at=utcnow(),
    )
    session.add(record)
    await session.flush()
    return record


async def records(session: AsyncSession, attendee: Attendee) -> list[AccessReissue]:
    return await repository.for_attendee(session, attendee.id)


async def dismiss(session: AsyncSession, attendee: Attendee, record_id: uuid.UUID) -> AccessReissue:
    record = await repository.one_of(session, attendee.id, record_id)
    if record is None:
        raise AccessNoticeNotFound()
    if record.dismissed_at is None:
        record.dismissed_at = utcnow()
        await session.flush()
    return record


async def forget(session: AsyncSession, attendee: Attendee) -> None:
    """The attendee deleted their account: what they were told goes with it."""
    await repository.delete_for_attendee(session, attendee.id)
