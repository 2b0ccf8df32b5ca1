from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from rencontre.contacts import exports, service
from rencontre.contacts.schemas import (
    Contact,
    ContactFilters,
    ContactPage,
    ContactUpdate,
    FollowUpDraft,
    FollowUpKind,
)
from rencontre.dependencies import CurrentAttendee, SessionDep
from rencontre.errors import BadRequest, Forbidden, NotFound, Unauthorized, Unprocessable, responses
from rencontre.kit.csvfile import MEDIA_TYPE as CSV_MEDIA_TYPE
from rencontre.kit.text import slugify
from rencontre.models import Event
from rencontre.profile.schemas import Language

router = APIRouter(
    prefix="/api/contacts",
    tags=["contacts"],
    responses=responses(Unauthorized, Forbidden),
)

# The exports are declared before /{contact_id}, which would otherwise capture them.


def _download(body: bytes | str, *, media_type: str, event: Event, extension: str) -> Response:
    filename = f"contacts-{slugify(event.name)}.{extension}"
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/export.csv",
    summary="Your contacts as CSV (UTF-8 with BOM)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per contact"}},
)
async def export_csv(attendee: CurrentAttendee, session: SessionDep) -> Response:
    event, contacts = await service.all_contacts(session, attendee)
    body = exports.contacts_csv(contacts, event_name=event.name)
    return _download(body, media_type=CSV_MEDIA_TYPE, event=event, extension="csv")


@router.get(
    "/export.vcf",
    summary="Your contacts as one vCard 3.0 file",
    response_class=Response,
    responses={200: {"content": {"text/vcard": {}}, "description": "One vCard per contact"}},
)
async def export_vcf(attendee: CurrentAttendee, session: SessionDep) -> Response:
    event, contacts = await service.all_contacts(session, attendee)
    body = exports.contacts_vcf(contacts, event_name=event.name)
    return _download(body, media_type=exports.VCARD_MEDIA_TYPE, event=event, extension="vcf")


@router.get("", summary="Your contacts, newest first", responses=responses(BadRequest, Unprocessable))
async def list_contacts(
    attendee: CurrentAttendee, session: SessionDep, filters: Annotated[ContactFilters, Query()]
) -> ContactPage:
    return await service.list_contacts(session, attendee, filters)


@router.get(
    "/{contact_id:uuid}", summary="One of your contacts", responses=responses(NotFound, Unprocessable)
)
async def get_contact(contact_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep) -> Contact:
    return await service.get_contact(session, attendee, contact_id)


@router.patch(
    "/{contact_id:uuid}",
    summary="Edit a contact's note, tags, rating or follow-up state",
    responses=responses(NotFound, Unprocessable),
)
async def update_contact(
    contact_id: uuid.UUID, body: ContactUpdate, attendee: CurrentAttendee, session: SessionDep
) -> Contact:
    return await service.update_contact(session, attendee, contact_id, body)


@router.get(
    "/{contact_id:uuid}/follow-up",
    summary="A ready follow-up message and its mailto: link (nothing is sent)",
    responses=responses(NotFound, Unprocessable),
)
async def follow_up(
    contact_id: uuid.UUID,
    attendee: CurrentAttendee,
    session: SessionDep,
    kind: Annotated[
        FollowUpKind, Query(description="A message, a coffee proposal or a resource")
    ] = "message",
    lang: Annotated[Language | None, Query(description="Default: your language")] = None,
) -> FollowUpDraft:
    return await service.follow_up_draft(session, attendee, contact_id, kind=kind, language=lang)
