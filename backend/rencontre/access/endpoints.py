from __future__ import annotations

import uuid

from fastapi import APIRouter

from rencontre.access import service
from rencontre.access.schemas import AccessNotice
from rencontre.dependencies import CurrentAttendee, SessionDep
from rencontre.errors import Forbidden, NotFound, Unauthorized, responses

router = APIRouter(
    prefix="/api/me/access-notices", tags=["profile"], responses=responses(Unauthorized, Forbidden)
)


@router.get("", summary="When your access was re-issued, and by whom (newest first)")
async def access_notices(attendee: CurrentAttendee, session: SessionDep) -> list[AccessNotice]:
    return [AccessNotice.model_validate(r) for r in await service.records(session, attendee)]


@router.post(
    "/{notice_id:uuid}/dismiss",
    summary="Mark an access notice as read",
    responses=responses(NotFound),
)
async def dismiss_access_notice(
    notice_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep
) -> AccessNotice:
    return AccessNotice.model_validate(await service.dismiss(session, attendee, notice_id))
