from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import Forbidden, Unauthorized, responses
from rencontre.scanned_by import service
from rencontre.scanned_by.schemas import ScanNotices

router = APIRouter(
    prefix="/api/me/scanned-by", tags=["profile"], responses=responses(Unauthorized, Forbidden)
)


@router.get(
    "",
    summary="Who scanned you and whom you have not scanned back (newest first)",
    description=(
        "Each notice carries the person's card as they share it (never their note, tags or rating)"
        " and their badge link: scanning it (POST /api/scans) adds them back. Empty, with"
        " `enabled` false, when you turned these notices off."
    ),
)
async def scan_notices(attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep) -> ScanNotices:
    return await service.notices(session, settings, attendee)


@router.post(
    "/{attendee_id:uuid}/dismiss",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set a notice aside (not now): it is no longer listed",
    responses=responses(service.ScanNoticeNotFound),
)
async def dismiss_scan_notice(
    attendee_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep
) -> Response:
    await service.dismiss(session, attendee, attendee_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
