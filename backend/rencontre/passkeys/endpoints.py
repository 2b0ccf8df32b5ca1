from __future__ import annotations

import uuid

from fastapi import APIRouter

from rencontre.dependencies import CurrentNotesAccess, SessionDep, SettingsDep
from rencontre.errors import Forbidden, Unauthorized, Unprocessable, responses
from rencontre.passkeys import service
from rencontre.passkeys.lock import NotesLocked
from rencontre.passkeys.schemas import (
    AuthenticationIn,
    OptionsJson,
    PasskeySession,
    PasskeyStatus,
    RegistrationIn,
)

router = APIRouter(
    prefix="/api/passkeys",
    tags=["passkeys"],
    responses=responses(Unauthorized, Forbidden),
)


@router.get("", summary="Your passkeys, and whether this session may read your notes")
async def get_status(access: CurrentNotesAccess, session: SessionDep) -> PasskeyStatus:
    return await service.get_status(session, access)


@router.post(
    "/registration/options",
    summary="Start registering a passkey (options for navigator.credentials.create)",
    responses=responses(NotesLocked),
)
async def registration_options(
    access: CurrentNotesAccess, session: SessionDep, settings: SettingsDep
) -> OptionsJson:
    return await service.registration_options(session, settings, access)


@router.post(
    "/registration/verify",
    summary="Register the passkey just created; this session is then unlocked",
    responses=responses(
        NotesLocked,
        service.PasskeyChallengeInvalid,
        service.PasskeyRejected,
        service.PasskeyAlreadyRegistered,
        Unprocessable,
    ),
)
async def register(
    body: RegistrationIn, access: CurrentNotesAccess, session: SessionDep, settings: SettingsDep
) -> PasskeySession:
    return await service.register(session, settings, access, body.credential, body.clean_name())


@router.post(
    "/authentication/options",
    summary="Start presenting a passkey (options for navigator.credentials.get)",
    responses=responses(service.NoPasskey),
)
async def authentication_options(
    access: CurrentNotesAccess, session: SessionDep, settings: SettingsDep
) -> OptionsJson:
    return await service.authentication_options(session, settings, access)


@router.post(
    "/authentication/verify",
    summary="Present a passkey: answers a fresh access token that may read your notes",
    responses=responses(
        service.PasskeyChallengeInvalid, service.PasskeyRejected, service.UnknownPasskey, Unprocessable
    ),
)
async def authenticate(
    body: AuthenticationIn, access: CurrentNotesAccess, session: SessionDep, settings: SettingsDep
) -> PasskeySession:
    return await service.authenticate(session, settings, access, body.credential)


@router.delete(
    "/{passkey_id:uuid}",
    summary="Remove one of your passkeys (this session must have presented one)",
    responses=responses(NotesLocked, service.PasskeyNotFound, Unprocessable),
)
async def remove(passkey_id: uuid.UUID, access: CurrentNotesAccess, session: SessionDep) -> PasskeyStatus:
    return await service.remove(session, access, passkey_id)
