"""Passkey rules: register, present (unlock this session) and remove; challenges single-use."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from rencontre.auth import service as auth_service
from rencontre.config import Settings
from rencontre.errors import BadRequest, Conflict, NotFound
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Passkey
from rencontre.passkeys import repository
from rencontre.passkeys.lock import NotesAccess
from rencontre.passkeys.schemas import PasskeyOut, PasskeySession, PasskeyStatus

Purpose = Literal["register", "authenticate"]

# What the webauthn library raises on a hostile or broken answer, beyond its own errors:
# it reads nested JSON and CBOR, and a wrong type surfaces as one of these.
_MALFORMED = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError, IndexError)


class PasskeyChallengeInvalid(BadRequest):
    def __init__(self) -> None:
        super().__init__(
            "This passkey answer does not match a request of yours that is still open: it is "
            "unknown, expired or already used. Start again."
        )


class PasskeyRejected(BadRequest):
    def __init__(self, why: str) -> None:
        super().__init__(f"The passkey answer was not accepted: {why}.")


class UnknownPasskey(BadRequest):
    def __init__(self) -> None:
        super().__init__("This passkey is not one of yours: use a passkey you registered here.")


class PasskeyAlreadyRegistered(Conflict):
    def __init__(self) -> None:
        super().__init__("This passkey is already registered.")


class NoPasskey(Conflict):
    def __init__(self) -> None:
        super().__init__("You have no passkey yet: register one first.")


class PasskeyNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such passkey among yours.")


def status_of(access: NotesAccess, passkeys: list[Passkey]) -> PasskeyStatus:
    return PasskeyStatus(
        passkeys=[PasskeyOut.model_validate(p) for p in passkeys],
        presented=access.presented,
        notes_locked=access.locked,
    )


async def get_status(session: AsyncSession, access: NotesAccess) -> PasskeyStatus:
    return status_of(access, await repository.passkeys_of(session, access.attendee.id))


def _descriptors(passkeys: list[Passkey]) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for passkey in passkeys:
        transports = []
        for name in passkey.transports or ():
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                continue  # a transport this library does not know: the browser does without it
        descriptors.append(
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(passkey.credential_id), transports=transports or None
            )
        )
    return descriptors


async def _remember(
    session: AsyncSession, settings: Settings, attendee_id: uuid.UUID, purpose: Purpose, challenge: bytes
) -> None:
    now = utcnow()
    await repository.forget_stale_challenges(session, attendee_id, purpose, now)
    expires_at = now + timedelta(seconds=settings.passkey_challenge_seconds)
    await repository.add_challenge(session, attendee_id, purpose, bytes_to_base64url(challenge), expires_at)


async def registration_options(
    session: AsyncSession, settings: Settings, access: NotesAccess
) -> dict[str, Any]:
    # Otherwise whoever holds a fresh session could add their own passkey and unlock the notes.
    access.require_unlocked("Present one of your passkeys before adding another.")
    attendee = access.attendee
    options = generate_registration_options(
        rp_id=settings.webauthn_rp_id,
        rp_name=settings.passkey_rp_name,
        user_id=attendee.id.bytes,
        user_name=attendee.email or attendee.name,
        user_display_name=attendee.name,
        timeout=settings.passkey_challenge_seconds * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(await repository.passkeys_of(session, attendee.id)),
    )
    await _remember(session, settings, attendee.id, "register", options.challenge)
    options_json: dict[str, Any] = json.loads(options_to_json(options))
    return options_json


async def authentication_options(
    session: AsyncSession, settings: Settings, access: NotesAccess
) -> dict[str, Any]:
    passkeys = await repository.passkeys_of(session, access.attendee.id)
    if not passkeys:
        raise NoPasskey()
    options = generate_authentication_options(
        rp_id=settings.webauthn_rp_id,
        timeout=settings.passkey_challenge_seconds * 1000,
        allow_credentials=_descriptors(passkeys),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    await _remember(session, settings, access.attendee.id, "authenticate", options.challenge)
    options_json: dict[str, Any] = json.loads(options_to_json(options))
    return options_json


def _field(credential: dict[str, Any], *path: str) -> str:
    value: Any = credential
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise PasskeyRejected(f"{'.'.join(path)} is missing")
    return value


async def _take_challenge(
    session: AsyncSession, attendee_id: uuid.UUID, purpose: Purpose, credential: dict[str, Any]
) -> bytes:
    """The challenge the answer signed, if it is one of ours for this attendee and purpose; it is used up."""
    try:
        client_data = parse_client_data_json(
            base64url_to_bytes(_field(credential, "response", "clientDataJSON"))
        )
    except _MALFORMED as exc:
        raise PasskeyRejected("clientDataJSON is malformed") from exc
    challenge = bytes_to_base64url(client_data.challenge)
    expires_at: datetime | None = await repository.take_challenge(session, attendee_id, purpose, challenge)
    if expires_at is None or expires_at <= utcnow():
        raise PasskeyChallengeInvalid()
    return client_data.challenge


async def register(
    session: AsyncSession, settings: Settings, access: NotesAccess, credential: dict[str, Any], name: str
) -> PasskeySession:
    access.require_unlocked("Present one of your passkeys before adding another.")
    attendee = access.attendee
    challenge = await _take_challenge(session, attendee.id, "register", credential)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=settings.webauthn_rp_id,
            expected_origin=settings.webauthn_origin,
            require_user_verification=True,
        )
    except _MALFORMED as exc:
        raise PasskeyRejected(str(exc).rstrip(".") or "it is malformed") from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if await repository.by_credential(session, credential_id) is not None:
        raise PasskeyAlreadyRegistered()
    response = credential.get("response")
    transports = response.get("transports") if isinstance(response, dict) else None
    passkey = Passkey(
        attendee_id=attendee.id,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t for t in transports if isinstance(t, str)][:8] if isinstance(transports, list) else [],
        name=name,
    )
    await repository.add(session, passkey)
    attendee.has_passkey = True
    await session.flush()
    # Creating it took the same user verification as presenting it: this session is unlocked.
    return PasskeySession(
        access_token=auth_service.attendee_token(settings, attendee, passkey=True),
        device_token=auth_service.device_token(settings, attendee, passkey=True),
        passkey=PasskeyOut.model_validate(passkey),
    )


async def authenticate(
    session: AsyncSession, settings: Settings, access: NotesAccess, credential: dict[str, Any]
) -> PasskeySession:
    attendee = access.attendee
    challenge = await _take_challenge(session, attendee.id, "authenticate", credential)
    # Looked up among this attendee's passkeys only: someone else's is unknown here.
    try:
        credential_id = bytes_to_base64url(base64url_to_bytes(_field(credential, "rawId")))
    except ValueError as exc:
        raise PasskeyRejected("rawId is not base64url") from exc
    passkey = await repository.own_by_credential(session, attendee.id, credential_id)
    if passkey is None:
        raise UnknownPasskey()
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=settings.webauthn_rp_id,
            expected_origin=settings.webauthn_origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except _MALFORMED as exc:
        raise PasskeyRejected(str(exc).rstrip(".") or "it is malformed") from exc
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    await session.flush()
    return PasskeySession(
        access_token=auth_service.attendee_token(settings, attendee, passkey=True),
        device_token=auth_service.device_token(settings, attendee, passkey=True),
        passkey=PasskeyOut.model_validate(passkey),
    )


async def passkeys_of(session: AsyncSession, attendee: Attendee) -> list[PasskeyOut]:
    return [PasskeyOut.model_validate(p) for p in await repository.passkeys_of(session, attendee.id)]


async def forget(session: AsyncSession, attendee: Attendee) -> None:
    """Account deletion: the passkeys and their pending challenges go with the notes they locked."""
    await repository.forget_all(session, attendee.id)
    attendee.has_passkey = False
    await session.flush()


async def remove(session: AsyncSession, access: NotesAccess, passkey_id: uuid.UUID) -> PasskeyStatus:
    access.require_unlocked("Present one of your passkeys before removing one.")
    attendee = access.attendee
    passkey = await repository.own(session, attendee.id, passkey_id)
    if passkey is None:
        raise PasskeyNotFound()
    await repository.remove(session, passkey)
    remaining = await repository.passkeys_of(session, attendee.id)
    attendee.has_passkey = bool(remaining)
    await session.flush()
    return status_of(access, remaining)
