"""Check-in at the door and the staff's "introduced" mark.

An attendee *arrives* once: checked in by staff (their badge scanned from the console, or
found by name), or on the first scan they make or receive during the event's hours
(:mod:`rencontre.encounters.service`). The first arrival stays; checking in again says so.
"""

from __future__ import annotations

import uuid
from http import HTTPStatus
from typing import ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.attendees.service import AttendeeNotFound
from rencontre.badges import service as badge_service
from rencontre.config import Settings
from rencontre.errors import AppError, Conflict
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from rencontre.presence import repository
from rencontre.presence.schemas import CheckIn, CheckInByBadge, CheckInRequest, Introduced


class AttendeeRemoved(AppError):
    status_code: ClassVar[int] = HTTPStatus.GONE
    title: ClassVar[str] = "Attendee removed"

    def __init__(self) -> None:
        super().__init__("This attendee was removed from the event (or deleted their account).")


class AttendeeNotArrived(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This attendee has not arrived yet: check them in (or wait for their first scan) first."
        )


async def check_in(session: AsyncSession, settings: Settings, event: Event, body: CheckInRequest) -> CheckIn:
    if isinstance(body, CheckInByBadge):
        _, ref = badge_service.read(settings, body.badge)
        [holder] = await badge_service.resolve_many(session, [(event.id, ref)])
        if isinstance(holder, AppError):
            raise holder
        attendee_id = holder.attendee.id
    else:
        attendee_id = body.attendee_id
    attendee = await _present_attendee(session, event, attendee_id)
    set_now = await repository.arrive(session, attendee, utcnow())
    assert attendee.arrived_at is not None
    return CheckIn(
        attendee_id=attendee.id,
        name=attendee.name,
        company=attendee.company,
        arrived_at=attendee.arrived_at,
        already=not set_now,
    )


async def introduced(session: AsyncSession, event: Event, attendee_id: uuid.UUID) -> Introduced:
    attendee = await _present_attendee(session, event, attendee_id)
    if attendee.arrived_at is None:
        raise AttendeeNotArrived()
    await repository.introduce(session, attendee, utcnow())
    assert attendee.introduced_at is not None
    return Introduced(attendee_id=attendee.id, introduced_at=attendee.introduced_at)


async def _present_attendee(session: AsyncSession, event: Event, attendee_id: uuid.UUID) -> Attendee:
    attendee = await repository.any_attendee(session, event.id, attendee_id)
    if attendee is None:
        raise AttendeeNotFound()
    if attendee.deleted_at is not None:
        raise AttendeeRemoved()
    return attendee
