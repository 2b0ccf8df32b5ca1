"""Sessions of a format: the organiser's controls and wall screen, the attendee's seat."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.formats import errors, service, views
from rencontre.formats.schemas import Board, Extension, Hosts, MySession, SessionCreate, SessionOut
from rencontre.live.notify import LivePublish
from rencontre.models import FormatSession

router = APIRouter(
    prefix="/api/events/{event_id}/sessions",
    tags=["formats"],
    responses=responses(Unauthorized, Forbidden, NotFound),
)


async def _organiser_session(
    event: OrganiserEvent, session_id: uuid.UUID, session: SessionDep
) -> FormatSession:
    return await service.find(session, event, session_id)


OrganiserSession = Annotated[FormatSession, Depends(_organiser_session)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Set up a session (speed-meeting, walk & talk or reverse forum); it starts later",
    responses=responses(Unprocessable),
)
async def create_session(
    body: SessionCreate, event: OrganiserEvent, session: SessionDep, publish: LivePublish
) -> SessionOut:
    return await service.create(session, event, body, publish=publish)


@router.get("", summary="The event's sessions and where each stands")
async def list_sessions(event: OrganiserEvent, session: SessionDep) -> list[SessionOut]:
    return await views.list_sessions(session, event.id)


@router.get("/{session_id}", summary="One session and its clock")
async def get_session(found: OrganiserSession, session: SessionDep) -> SessionOut:
    return await views.describe(session, found)


@router.delete(
    "/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a session that is not under way",
    responses=responses(errors.SessionAlreadyStarted),
)
async def delete_session(found: OrganiserSession, session: SessionDep, publish: LivePublish) -> None:
    await service.remove(session, found, publish=publish)


@router.get(
    "/{session_id}/board",
    summary="The wall screen: round, time left, tables (how many at each, never who)",
)
async def board(found: OrganiserSession, session: SessionDep) -> Board:
    return await views.board(session, found)


@router.put(
    "/{session_id}/hosts",
    summary="A reverse forum's hosts, who keep a table while guests rotate",
    responses=responses(errors.NotHostsForThisFormat, errors.HostsNotAttendees, errors.SessionNotRunning),
)
async def set_hosts(
    body: Hosts, found: OrganiserSession, session: SessionDep, publish: LivePublish
) -> SessionOut:
    return await service.set_hosts(session, found, body, publish=publish)


_CONTROL_ERRORS = responses(
    errors.SessionNotRunning, errors.TooFewParticipants, errors.NoHost, errors.RoundsExhausted, Conflict
)


@router.post(
    "/{session_id}/start", summary="Start: seat round 1 and start its clock", responses=_CONTROL_ERRORS
)
async def start(found: OrganiserSession, session: SessionDep, publish: LivePublish) -> SessionOut:
    return await service.start(session, found, publish=publish)


@router.post("/{session_id}/pause", summary="Pause the clock", responses=_CONTROL_ERRORS)
async def pause(found: OrganiserSession, session: SessionDep, publish: LivePublish) -> SessionOut:
    return await service.pause(session, found, publish=publish)


@router.post(
    "/{session_id}/resume", summary="Resume the clock where it was paused", responses=_CONTROL_ERRORS
)
async def resume(found: OrganiserSession, session: SessionDep, publish: LivePublish) -> SessionOut:
    return await service.resume(session, found, publish=publish)


@router.post(
    "/{session_id}/next",
    summary="Skip to the next round now (or end after the last one)",
    responses=_CONTROL_ERRORS,
)
async def next_round(found: OrganiserSession, session: SessionDep, publish: LivePublish) -> SessionOut:
    return await service.skip(session, found, publish=publish)


@router.post(
    "/{session_id}/extend", summary="Add time to the round or break under way", responses=_CONTROL_ERRORS
)
async def extend(
    body: Extension, found: OrganiserSession, session: SessionDep, publish: LivePublish
) -> SessionOut:
    return await service.extend(session, found, body, publish=publish)


@router.post("/{session_id}/end", summary="End the session", responses=_CONTROL_ERRORS)
async def end(found: OrganiserSession, session: SessionDep, publish: LivePublish) -> SessionOut:
    return await service.end(session, found, publish=publish)


attendee_router = APIRouter(
    prefix="/api/me/sessions", tags=["formats"], responses=responses(Unauthorized, Forbidden)
)


@attendee_router.get("", summary="The event's sessions not yet ended, and my seat in each")
async def my_sessions(
    attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> list[MySession]:
    return await views.my_sessions(session, settings, attendee)


@attendee_router.get(
    "/{session_id}",
    summary="My seat this round: table, whom I meet (their cards as shared), the clock",
    responses=responses(NotFound),
)
async def my_session(
    session_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> MySession:
    found = await service.find_for_attendee(session, attendee, session_id)
    return await views.my_view(session, settings, attendee, found)


@attendee_router.post(
    "/{session_id}/join",
    summary="Take part (sign up, or come back): placed from the next round",
    responses=responses(NotFound, errors.SessionEnded),
)
async def join(
    session_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> MySession:
    found = await service.find_for_attendee(session, attendee, session_id)
    return await service.join(session, settings, attendee, found)


@attendee_router.post(
    "/{session_id}/leave",
    summary="Stop taking part: not placed from the next round",
    responses=responses(NotFound, errors.SessionEnded),
)
async def leave(
    session_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> MySession:
    found = await service.find_for_attendee(session, attendee, session_id)
    return await service.leave(session, settings, attendee, found)
