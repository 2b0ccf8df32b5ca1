from __future__ import annotations

from fastapi import APIRouter, Request, status

from rencontre.auth import service
from rencontre.auth.schemas import (
    AttendeeSession,
    JoinRequest,
    LoginRequest,
    OrganiserOut,
    OrganiserSession,
    PasswordChange,
)
from rencontre.auth.service import CurrentPasswordWrong, PasswordUnchanged
from rencontre.auth.throttle import TooManyJoins, TooManySignIns
from rencontre.dependencies import CurrentOrganiser, SessionDep, SettingsDep
from rencontre.errors import Unauthorized, responses
from rencontre.kit.ratelimit import client_address

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/login",
    summary="Organiser sign-in",
    responses=responses(Unauthorized, TooManySignIns),
)
async def login(
    body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> OrganiserSession:
    organiser = await service.sign_in(
        session, settings, body.email, body.password, address=client_address(request)
    )
    return OrganiserSession(
        access_token=service.organiser_token(settings, organiser),
        organiser=OrganiserOut.model_validate(organiser),
    )


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Organiser sign-out: every token of this organiser stops working, on every device",
    responses=responses(Unauthorized),
)
async def logout(organiser: CurrentOrganiser, session: SessionDep) -> None:
    await service.sign_out(session, organiser)


@router.post(
    "/password",
    summary="Change the organiser's password; every earlier token stops working, a new one is returned",
    responses=responses(Unauthorized, CurrentPasswordWrong, PasswordUnchanged, TooManySignIns),
)
async def change_password(
    body: PasswordChange,
    organiser: CurrentOrganiser,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> OrganiserSession:
    organiser = await service.change_password(
        session,
        settings,
        organiser,
        body.current_password,
        body.new_password,
        address=client_address(request),
    )
    return OrganiserSession(
        access_token=service.organiser_token(settings, organiser),
        organiser=OrganiserOut.model_validate(organiser),
    )


@router.post(
    "/join",
    summary="Exchange an attendee's join link for an access token",
    responses=responses(Unauthorized, TooManyJoins),
)
async def join(
    body: JoinRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> AttendeeSession:
    attendee, event = await service.join_with_invite(
        session, settings, body.token, address=client_address(request)
    )
    return AttendeeSession(
        access_token=service.attendee_token(settings, attendee),
        attendee_id=attendee.id,
        event_id=event.id,
    )


@router.get("/organiser", summary="Who is signed in", responses=responses(Unauthorized))
async def whoami(organiser: CurrentOrganiser) -> OrganiserOut:
    return OrganiserOut.model_validate(organiser)
