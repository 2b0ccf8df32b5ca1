from __future__ import annotations

from fastapi import APIRouter, Request

from rencontre.auth import service
from rencontre.auth.schemas import (
    AttendeeSession,
    JoinRequest,
    LoginRequest,
    OrganiserOut,
    OrganiserSession,
)
from rencontre.dependencies import CurrentOrganiser, SessionDep, SettingsDep
from rencontre.errors import TooManyRequests, Unauthorized, responses
from rencontre.kit.ratelimit import limit

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/login",
    summary="Organiser sign-in",
    responses=responses(Unauthorized, TooManyRequests),
)
async def login(
    body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> OrganiserSession:
    await limit(request, "login", settings.login_rate_limit, key=body.email.lower())
    organiser = await service.login_organiser(session, body.email, body.password)
    return OrganiserSession(
        access_token=service.organiser_token(settings, organiser),
        organiser=OrganiserOut.model_validate(organiser),
    )


@router.post(
    "/join",
    summary="Exchange an attendee's join link for an access token",
    responses=responses(Unauthorized, TooManyRequests),
)
async def join(
    body: JoinRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> AttendeeSession:
    await limit(request, "join", settings.login_rate_limit)
    attendee, event = await service.join_with_invite(session, settings, body.token)
    return AttendeeSession(
        access_token=service.attendee_token(settings, attendee),
        attendee_id=attendee.id,
        event_id=event.id,
    )


@router.get("/organiser", summary="Who is signed in", responses=responses(Unauthorized))
async def whoami(organiser: CurrentOrganiser) -> OrganiserOut:
    return OrganiserOut.model_validate(organiser)
