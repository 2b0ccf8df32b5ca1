from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Request, Response, status

from rencontre.dependencies import CurrentAttendee, CurrentNotesAccess, SessionDep, SettingsDep
from rencontre.errors import Forbidden, Unauthorized, Unprocessable, responses
from rencontre.live.notify import LivePublish, announce
from rencontre.profile import service
from rencontre.profile.export import MyData
from rencontre.profile.photos import (
    ACCEPTED_MEDIA_TYPES,
    MEDIA_TYPE,
    NotAnImage,
    PhotoSize,
    PhotoTooLarge,
    PhotoTooManyPixels,
    PhotoTooSmall,
)
from rencontre.profile.schemas import Me, MeUpdate, PublicCard
from rencontre.profile.service import ObjectiveOtherWithoutOther, PhotoNotFound
from rencontre.suggestions import engine as suggestions_engine

router = APIRouter(prefix="/api/me", tags=["profile"], responses=responses(Unauthorized, Forbidden))


@router.get("", summary="Your profile and your event")
async def get_me(attendee: CurrentAttendee, session: SessionDep) -> Me:
    return await service.get_me(session, attendee)


@router.patch("", summary="Edit your profile", responses=responses(Unprocessable, ObjectiveOtherWithoutOther))
async def update_me(
    body: MeUpdate,
    attendee: CurrentAttendee,
    session: SessionDep,
    request: Request,
    tasks: BackgroundTasks,
    settings: SettingsDep,
) -> Me:
    me = await service.update_me(session, attendee, body)
    # Suggestions (who-to-meet): the neighbours' lists follow the change.
    tasks.add_task(
        suggestions_engine.refresh_quietly,
        request.app.state.session_factory,
        settings,
        attendee.event_id,
        changed=attendee.id,
    )
    return me


@router.get("/card", summary="Your public card, as a person who scans you sees it")
async def my_card(attendee: CurrentAttendee) -> PublicCard:
    return service.my_card(attendee)


@router.get("/export", summary="Everything stored about you (JSON)")
async def export_me(access: CurrentNotesAccess, session: SessionDep, response: Response) -> MyData:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = 'attachment; filename="rencontre-my-data.json"'
    return await service.export_me(session, access.attendee, locked=access.locked)


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete your account, your profile and your notes",
)
async def delete_me(attendee: CurrentAttendee, session: SessionDep, publish: LivePublish) -> Response:
    event_id = attendee.event_id
    await service.delete_me(session, attendee)
    # Any other phone of theirs still on the live channel is closed.
    announce(session, publish, event_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Profile photos (issue 16).

_PHOTO_BODY = {
    "requestBody": {
        "required": True,
        "description": "The photo's bytes: JPEG, PNG or WebP. The server crops it square and keeps "
        "it at 96, 256 and 512 px, re-encoded without any metadata.",
        "content": {
            media_type: {"schema": {"type": "string", "format": "binary"}}
            for media_type in ACCEPTED_MEDIA_TYPES
        },
    }
}
_PHOTO_REFUSALS = responses(PhotoTooLarge, NotAnImage, PhotoTooSmall, PhotoTooManyPixels, Unprocessable)


@router.put(
    "/photo",
    summary="Add or replace your profile photo",
    description="A first photo is added to what you share; replacing it keeps your choice.",
    responses=_PHOTO_REFUSALS,
    openapi_extra=_PHOTO_BODY,
)
async def put_photo(
    request: Request, attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> Me:
    data = await request.body()
    return await service.set_photo(session, settings, attendee, request.headers.get("content-type", ""), data)


@router.delete("/photo", summary="Remove your profile photo (its bytes are erased)")
async def delete_photo(attendee: CurrentAttendee, session: SessionDep) -> Me:
    return await service.delete_photo(session, attendee)


photos_router = APIRouter(
    prefix="/api/photos", tags=["profile"], responses=responses(Unauthorized, Forbidden)
)


@photos_router.get(
    "/{key}/{size}",
    summary="A profile photo, for its owner or for an attendee it is shared with",
    response_class=Response,
    responses={
        200: {"content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
        **responses(PhotoNotFound),
    },
)
async def get_photo(
    key: Annotated[str, Path(max_length=32, pattern=r"^[A-Za-z0-9_-]+$")],
    size: PhotoSize,
    attendee: CurrentAttendee,
    session: SessionDep,
) -> Response:
    data = await service.photo(session, attendee, key, size)
    # The address names this very photo: a new photo gets a new one, so caches may keep it.
    return Response(
        content=data,
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": "private, max-age=31536000, immutable", "ETag": f'"{key}-{size}"'},
    )
