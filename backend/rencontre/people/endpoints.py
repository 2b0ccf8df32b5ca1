from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from rencontre.attendees.schemas import Objective
from rencontre.badges.schemas import BadgeLink
from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import BadRequest, Forbidden, Unauthorized, Unprocessable, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.events.service import EventNotFound
from rencontre.people import finding, service
from rencontre.people.schemas import (
    BlockCreate,
    MeetRequestCreate,
    MeetRequests,
    MeetRequestSent,
    PeoplePage,
    Prompts,
    WhoToMeetFigures,
)
from rencontre.profile.schemas import Language

router = APIRouter(tags=["who to meet"], responses=responses(Unauthorized, Forbidden))

ReaderLanguage = Annotated[
    Language | None, Query(description="The language of the prompts; your profile's language by default.")
]


@router.get(
    "/api/people",
    summary="The event's opt-in directory: people who chose to be seen, searchable",
    responses=responses(service.DirectoryClosed, service.NotInDirectory, BadRequest, Unprocessable),
)
async def list_people(
    attendee: CurrentAttendee,
    session: SessionDep,
    response: Response,
    q: Annotated[
        str | None, Query(max_length=200, description="Words to find, accents and case ignored.")
    ] = None,
    objective: Annotated[Objective | None, Query()] = None,
    interest: Annotated[str | None, Query(max_length=40)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    language: ReaderLanguage = None,
) -> PeoplePage:
    response.headers["Cache-Control"] = "no-store"
    return await service.list_people(
        session,
        attendee,
        language=service.reader_language(attendee, language),
        query=q,
        objective=objective or None,
        interest=interest,
        cursor=cursor,
        limit=limit,
    )


@router.get(
    "/api/people/{attendee_id}/prompts",
    summary="Two or three questions to start a conversation with a contact or a person in the directory",
    responses=responses(service.PromptsNotAllowed),
)
async def person_prompts(
    attendee_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep, language: ReaderLanguage = None
) -> Prompts:
    return Prompts(
        prompts=await service.prompts_for(
            session, attendee, attendee_id, service.reader_language(attendee, language)
        )
    )


@router.get(
    "/api/people/{attendee_id}/badge",
    summary="Find by name: the badge of a person in the directory, to record a scan as if their QR was read",
    responses=responses(service.DirectoryClosed, service.NotInDirectory, service.PersonNotInDirectory),
)
async def person_badge(
    attendee_id: uuid.UUID,
    attendee: CurrentAttendee,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> BadgeLink:
    response.headers["Cache-Control"] = "no-store"
    return await finding.badge_of(session, settings, attendee, attendee_id)


@router.get("/api/meet-requests", summary='"I\'d like to meet you": received, sent and matches')
async def my_requests(
    attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep, language: ReaderLanguage = None
) -> MeetRequests:
    return await service.my_requests(
        session,
        attendee,
        language=service.reader_language(attendee, language),
        cap=settings.meet_requests_per_event,
    )


@router.post(
    "/api/meet-requests",
    status_code=status.HTTP_201_CREATED,
    summary='Say "I\'d like to meet you" to a person in the directory',
    responses=responses(
        service.DirectoryClosed,
        service.NotInDirectory,
        service.PersonNotInDirectory,
        service.MeetRequestToSelf,
        service.MeetRequestCapReached,
        service.MeetRequestsTooFast,
        Unprocessable,
    ),
)
async def send_request(
    body: MeetRequestCreate, attendee: CurrentAttendee, session: SessionDep, settings: SettingsDep
) -> MeetRequestSent:
    return await service.send_request(
        session,
        attendee,
        to=body.to,
        reason=body.reason,
        cap=settings.meet_requests_per_event,
        rate=settings.meet_request_rate_limit,
    )


@router.post(
    "/api/meet-requests/{request_id}/accept",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Accept a request: it's a match",
    responses=responses(service.MeetRequestNotFound),
)
async def accept_request(request_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep) -> Response:
    await service.accept(session, attendee, request_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/meet-requests/{request_id}/let-be",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Let a request be: it leaves your list, and its sender is never told",
    responses=responses(service.MeetRequestNotFound),
)
async def let_request_be(request_id: uuid.UUID, attendee: CurrentAttendee, session: SessionDep) -> Response:
    await service.let_be(session, attendee, request_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/blocks",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Block someone: neither of you sees the other again, and no request passes",
    responses=responses(service.SelfBlock, service.PersonNotInDirectory, Unprocessable),
)
async def block(body: BlockCreate, attendee: CurrentAttendee, session: SessionDep) -> Response:
    await service.block(session, attendee, body.attendee_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/api/events/{event_id}/who-to-meet",
    summary="The directory's uptake, requests, matches and matches that became scans (counts only)",
    responses=responses(EventNotFound),
)
async def who_to_meet_figures(event: OrganiserEvent, session: SessionDep) -> WhoToMeetFigures:
    return await service.figures(session, event)
