"""Find by name: the scan fallback's way to a person in the directory.

Apart from ``service`` because it needs the badges domain, which (through account
erasure) already depends on ``service``.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import service as badge_service
from rencontre.badges.schemas import BadgeLink
from rencontre.config import Settings
from rencontre.models import Attendee
from rencontre.people import repository
from rencontre.people.service import PersonNotInDirectory, check_member


async def badge_of(
    session: AsyncSession, settings: Settings, viewer: Attendee, attendee_id: uuid.UUID
) -> BadgeLink:
    """The badge of a person in the directory: scanning its link records a scan like their QR."""
    event = await check_member(session, viewer)
    person = await repository.listed_person(session, viewer.event_id, attendee_id)
    if (
        person is None
        or person.id == viewer.id
        or attendee_id in await repository.blocked_ids(session, viewer.id)
    ):
        raise PersonNotInDirectory()
    return badge_service.link(settings, event.badge_code, person)
