from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body

from rencontre.badges.service import BadgeHolderGone, BadgeOfOtherEvent, BadgeRevoked
from rencontre.dependencies import SessionDep, SettingsDep
from rencontre.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.presence import service
from rencontre.presence.schemas import CheckIn, CheckInRequest, Introduced

router = APIRouter(
    prefix="/api/events/{event_id}",
    tags=["presence"],
    responses=responses(Unauthorized, Forbidden, NotFound),
)


@router.post(
    "/check-in",
    summary="Check an attendee in at the door, by badge or by id (idempotent)",
    responses=responses(
        Unprocessable, BadgeOfOtherEvent, BadgeRevoked, BadgeHolderGone, service.AttendeeRemoved
    ),
)
async def check_in(
    body: Annotated[CheckInRequest, Body(description="The badge's QR content, or the attendee's id.")],
    event: OrganiserEvent,
    session: SessionDep,
    settings: SettingsDep,
) -> CheckIn:
    return await service.check_in(session, settings, event, body)


@router.post(
    "/attendees/{attendee_id:uuid}/introduced",
    summary="Mark an isolated attendee introduced by staff (idempotent; off the isolated list)",
    responses=responses(Conflict, service.AttendeeRemoved),
)
async def mark_introduced(attendee_id: uuid.UUID, event: OrganiserEvent, session: SessionDep) -> Introduced:
    return await service.introduced(session, event, attendee_id)
