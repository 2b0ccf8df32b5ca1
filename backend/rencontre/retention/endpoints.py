from __future__ import annotations

import uuid

from fastapi import APIRouter

from rencontre.contacts.service import ContactNotFound
from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import Unauthorized, Unprocessable, responses
from rencontre.retention import service
from rencontre.retention.schemas import KeptContact, RetentionStatus, RetentionUpdate

router = APIRouter(tags=["retention"], responses=responses(Unauthorized))


@router.get("/api/me/retention", summary="My data: what is kept, until when, and why")
async def my_retention(
    attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> RetentionStatus:
    return await service.status_of(session, settings, attendee)


@router.put(
    "/api/me/retention",
    summary="Keep every contact past the event's retention, or only those marked",
    responses=responses(Unprocessable, service.EventDataPurged),
)
async def update_retention(
    body: RetentionUpdate, attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> RetentionStatus:
    return await service.set_keep_all(session, settings, attendee, body.keep_all)


@router.put(
    "/api/contacts/{contact_id}/keep",
    summary="Keep this contact (with your note and their card) past the event's retention",
    responses=responses(Unprocessable, ContactNotFound, service.EventDataPurged),
)
async def keep_contact(contact_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep) -> KeptContact:
    return await service.keep_contact(session, attendee, contact_id, True)


@router.delete(
    "/api/contacts/{contact_id}/keep",
    summary="No longer keep this contact past the event's retention",
    responses=responses(Unprocessable, ContactNotFound, service.EventDataPurged),
)
async def unkeep_contact(
    contact_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep
) -> KeptContact:
    return await service.keep_contact(session, attendee, contact_id, False)
