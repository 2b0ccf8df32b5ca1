from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request, Response, status

from rencontre.dependencies import CurrentAttendee, CurrentNotesAccess, SessionDep, SettingsDep
from rencontre.errors import Forbidden, Unauthorized, Unprocessable, responses
from rencontre.profile import service
from rencontre.profile.export import MyData
from rencontre.profile.schemas import Me, MeUpdate, PublicCard
from rencontre.suggestions import engine as suggestions_engine

router = APIRouter(prefix="/api/me", tags=["profile"], responses=responses(Unauthorized, Forbidden))


@router.get("", summary="Your profile and your event")
async def get_me(attendee: CurrentAttendee, session: SessionDep) -> Me:
    return await service.get_me(session, attendee)


@router.patch("", summary="Edit your profile", responses=responses(Unprocessable))
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
async def delete_me(attendee: CurrentAttendee, session: SessionDep) -> Response:
    await service.delete_me(session, attendee)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
