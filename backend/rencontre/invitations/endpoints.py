from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from rencontre.dependencies import SessionDep, SettingsDep
from rencontre.errors import Conflict, Forbidden, NotFound, Unauthorized, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.invitations import service
from rencontre.invitations.schemas import (
    InvitationPreview,
    InvitationProgress,
    InvitationRequest,
    InvitationsQueued,
)

router = APIRouter(
    prefix="/api/events/{event_id}",
    tags=["invitations"],
    responses=responses(Unauthorized, Forbidden, NotFound),
)


@router.get("/invitations", summary="Whether mail is set up, and the attendees by invitation state")
async def invitation_progress(
    event: OrganiserEvent, session: SessionDep, settings: SettingsDep
) -> InvitationProgress:
    return await service.progress(session, settings, event)


@router.post(
    "/invitations",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send invitations by e-mail, in the background",
    description="Refused with `mail_not_configured` (409, no SMTP server), `unknown_attendees` (404) "
    "or `attendees_already_joined` (409), the last two with `attendee_ids`; nothing is queued then.",
    responses=responses(Conflict),
)
async def send_invitations(
    body: InvitationRequest, event: OrganiserEvent, session: SessionDep, settings: SettingsDep
) -> InvitationsQueued:
    return await service.invite(session, settings, event, body)


@router.get(
    "/attendees/{attendee_id:uuid}/invitation/preview",
    summary="The invitation e-mail one attendee would receive",
    responses=responses(Conflict),
)
async def preview_invitation(
    attendee_id: uuid.UUID,
    event: OrganiserEvent,
    session: SessionDep,
    settings: SettingsDep,
    language: Annotated[Literal["fr", "en"] | None, Query()] = None,
) -> InvitationPreview:
    return await service.preview(session, settings, event, attendee_id, language)
