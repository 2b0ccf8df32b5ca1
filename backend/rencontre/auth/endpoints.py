from __future__ import annotations

from fastapi import APIRouter, Request, status

from rencontre.auth import service, throttle
from rencontre.auth.schemas import (
    AttendeeSession,
    DeviceRenewal,
    JoinRequest,
    LoginRequest,
    OrganiserOut,
    OrganiserSession,
    PasswordChange,
)
from rencontre.auth.service import CurrentPasswordWrong, PasswordUnchanged
from rencontre.auth.throttle import TooManyJoins, TooManyRenewals, TooManySignIns
from rencontre.config import Settings
from rencontre.dependencies import CurrentAttendee, CurrentOrganiser, SessionDep, SettingsDep
from rencontre.errors import Conflict, Forbidden, Unauthorized, responses
from rencontre.kit.ratelimit import client_address
from rencontre.models import Attendee

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
    summary="Exchange an attendee's join link for an access token (a join link works once)",
    responses=responses(Unauthorized, Conflict, TooManyJoins),
)
async def join(
    body: JoinRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> AttendeeSession:
    attendee, _event = await service.join_with_invite(
        session, settings, body.token, address=client_address(request)
    )
    return _attendee_session(settings, attendee)


@router.post(
    "/renew",
    summary="Renew the session of the phone that joined, with its device token",
    responses={
        **responses(Unauthorized, TooManyRenewals),
        401: {
            **responses(Unauthorized)[401],
            "description": "Unauthorized. When the attendee's access was re-issued since, `code` is "
            "`access_reissued` and `params` tell when (`reissued_at`), by whom (`organiser_name`, "
            "`organiser_email`) and why (`reason`)",
        },
    },
)
async def renew(body: DeviceRenewal, session: SessionDep, settings: SettingsDep) -> AttendeeSession:
    attendee, device = await service.renew_device_session(session, settings, body.token)
    return _attendee_session(settings, attendee, passkey=device.passkey)


@router.post(
    "/device",
    summary="Give the phone signed in with this access token a device token, to renew its session",
    description="For phones that joined before join links worked once: they hold no device token yet.",
    responses=responses(Unauthorized, Forbidden, TooManyRenewals),
)
async def device(attendee: CurrentAttendee, settings: SettingsDep) -> AttendeeSession:
    await throttle.before_renewal(settings, attendee.id)
    return _attendee_session(settings, attendee)


def _attendee_session(settings: Settings, attendee: Attendee, *, passkey: bool = False) -> AttendeeSession:
    return AttendeeSession(
        access_token=service.attendee_token(settings, attendee, passkey=passkey),
        device_token=service.device_token(settings, attendee, passkey=passkey),
        attendee_id=attendee.id,
        event_id=attendee.event_id,
    )


@router.get("/organiser", summary="Who is signed in", responses=responses(Unauthorized))
async def whoami(organiser: CurrentOrganiser) -> OrganiserOut:
    return OrganiserOut.model_validate(organiser)
