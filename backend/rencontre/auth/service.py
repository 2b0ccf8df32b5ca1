"""Sign-in rules: organiser passwords, attendee invite links, token revocation."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from rencontre.auth import repository, throttle
from rencontre.auth.passwords import hash_password, verify_password
from rencontre.auth.tokens import InvalidToken, Role, TokenClaims, TokenType, issue, verify
from rencontre.config import Settings
from rencontre.errors import Conflict, Forbidden, Unauthorized, Unprocessable
from rencontre.feed import service as feed_service
from rencontre.kit.time import utcnow
from rencontre.models import AccessReissue, Attendee, Event, InviteState, Organiser


class InvalidCredentials(Unauthorized):
    pass


class AccessReissued(Unauthorized):
    def __init__(self, reissue: AccessReissue) -> None:
        super().__init__(
            f"Your access was re-issued on {reissue.created_at:%Y-%m-%d %H:%M} UTC by "
            f"{reissue.organiser_name} ({reissue.organiser_email}), so this phone is signed out. "
            "If you did not ask for it, tell the organisers.",
            params={
                "reissued_at": reissue.created_at.isoformat(),
                "organiser_name": reissue.organiser_name,
                "organiser_email": reissue.organiser_email,
                "reason": reissue.reason,
            },
        )


class InvalidJoinLink(Unauthorized):
    """A join link that is not one, has expired, or was replaced by a re-issue."""


class JoinLinkUsed(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This join link has already been used on another device; ask the organisers for a new access."
        )


class CurrentPasswordWrong(Forbidden):
    pass


class PasswordUnchanged(Unprocessable):
    pass


# An access token verified in the last few seconds is not verified again: a phone sends
# the same one with every scan. Expiry and key retirement are seen this much later at
# most (within the tokens' own leeway); revocation is checked on every request anyway.
VERIFIED_SECONDS = 5.0
_MAX_VERIFIED = 50_000
_verified: dict[tuple[str, bytes], tuple[float, TokenClaims]] = {}


def verify_access(settings: Settings, token: str) -> TokenClaims:
    keyring = settings.jwt_keyring()
    key = (token, keyring.signing_key)
    now = time.monotonic()
    known = _verified.get(key)
    if known is not None and now - known[0] < VERIFIED_SECONDS:
        return known[1]
    try:
        claims = verify(keyring, token, expected=TokenType.access)
    except InvalidToken as exc:
        raise Unauthorized(f"Your session is not valid: {exc}. Please sign in again.") from exc
    if len(_verified) >= _MAX_VERIFIED:
        _verified.clear()
    _verified[key] = (now, claims)
    return claims


def organiser_token(settings: Settings, organiser: Organiser) -> str:
    return issue(
        settings.jwt_keyring(),
        type=TokenType.access,
        role=Role.organiser,
        subject=organiser.id,
        version=organiser.token_version,
        lifetime=timedelta(minutes=settings.organiser_token_minutes),
    )


def attendee_token(settings: Settings, attendee: Attendee, *, passkey: bool = False) -> str:
    """An attendee's session; ``passkey`` when it was opened by presenting one of their passkeys."""
    return _attendee_issue(
        settings, attendee, TokenType.access, timedelta(minutes=settings.access_token_minutes), passkey
    )


def invite_token(settings: Settings, attendee: Attendee) -> str:
    return _attendee_issue(settings, attendee, TokenType.invite, timedelta(days=settings.invite_token_days))


def device_token(settings: Settings, attendee: Attendee, *, passkey: bool = False) -> str:
    """What the phone that joined keeps to renew its session; ``passkey`` when a passkey was
    presented on this phone, so that its renewed sessions stay unlocked (a re-issue ends it)."""
    return _attendee_issue(
        settings, attendee, TokenType.device, timedelta(days=settings.device_token_days), passkey
    )


def _attendee_issue(
    settings: Settings, attendee: Attendee, type: TokenType, lifetime: timedelta, passkey: bool = False
) -> str:
    # Every attendee token names the access version: a re-issue ends all three kinds at once.
    return issue(
        settings.jwt_keyring(),
        type=type,
        role=Role.attendee,
        subject=attendee.id,
        version=attendee.access_version,
        event_id=attendee.event_id,
        lifetime=lifetime,
        passkey=passkey,
    )


def invite_link(settings: Settings, attendee: Attendee) -> str:
    return f"{settings.public_base_url}/join#{invite_token(settings, attendee)}"


async def login_organiser(session: AsyncSession, email: str, password: str) -> Organiser:
    organiser = await repository.organiser_by_email(session, email)
    if not verify_password(organiser.password_hash if organiser else None, password):
        raise InvalidCredentials("The e-mail or the password is wrong.")
    assert organiser is not None
    return organiser


async def sign_in(
    session: AsyncSession, settings: Settings, email: str, password: str, *, address: str
) -> Organiser:
    """``login_organiser`` within the sign-in limits of ``address`` and ``email`` (auth/throttle)."""
    await throttle.before_sign_in(settings, email, address)
    try:
        return await login_organiser(session, email, password)
    except InvalidCredentials:
        await throttle.sign_in_failed(settings, email, address)
        raise


async def sign_out(session: AsyncSession, organiser: Organiser) -> None:
    """Every token issued to this organiser so far stops working, on every device, and so
    do the live-feed tickets not yet used. A feed already open stays open until it
    reconnects, when its new ticket is refused (the token is)."""
    organiser.token_version += 1
    await session.flush()
    await feed_service.void_tickets(session, organiser)


async def change_password(
    session: AsyncSession,
    settings: Settings,
    organiser: Organiser,
    current: str,
    new: str,
    *,
    address: str,
) -> Organiser:
    """Set a new password and revoke every token issued so far; counted as a sign-in attempt,
    since a stolen token must not become a way to guess the password faster."""
    await throttle.before_sign_in(settings, organiser.email, address)
    if not verify_password(organiser.password_hash, current):
        await throttle.sign_in_failed(settings, organiser.email, address)
        raise CurrentPasswordWrong("The current password is wrong; the password was not changed.")
    if new == current:
        raise PasswordUnchanged("The new password is the current one; choose another.")
    organiser.password_hash = hash_password(new)
    await sign_out(session, organiser)
    return organiser


async def join_with_invite(
    session: AsyncSession, settings: Settings, token: str, *, address: str
) -> tuple[Attendee, Event]:
    """Exchange a join link, once: whoever uses it first holds the attendee's access."""
    await throttle.before_join_from(settings, address)
    try:
        claims = verify(settings.jwt_keyring(), token, expected=TokenType.invite)
    except InvalidToken as exc:
        raise InvalidJoinLink(
            f"This join link does not work: {exc}. Ask the organisers for a new one."
        ) from exc
    await throttle.before_join_of(settings, claims.subject)
    try:
        attendee = await _attendee_for(session, claims, what="join link")
    except Unauthorized as exc:
        raise InvalidJoinLink(exc.detail) from exc
    # A conditional update, so that of two exchanges racing for one link exactly one wins.
    if not await repository.claim_join_link(session, attendee.id, claims.version):
        raise JoinLinkUsed()
    set_committed_value(attendee, "join_used_version", claims.version)
    if attendee.invite_state is not InviteState.joined:
        attendee.invite_state = InviteState.joined
        attendee.joined_at = utcnow()
    attendee.last_seen_at = utcnow()
    await session.flush()
    event = await repository.event_by_id(session, attendee.event_id)
    assert event is not None
    return attendee, event


async def renew_device_session(
    session: AsyncSession, settings: Settings, token: str
) -> tuple[Attendee, TokenClaims]:
    """The phone that joined asks for a fresh session; re-issued access ends this too."""
    try:
        claims = verify(settings.jwt_keyring(), token, expected=TokenType.device)
    except InvalidToken as exc:
        raise Unauthorized(
            f"This phone's sign-in does not work any more: {exc}. Ask the organisers for a new access."
        ) from exc
    await throttle.before_renewal(settings, claims.subject)
    attendee = await repository.attendee_by_id(session, claims.subject)
    if attendee is not None and attendee.deleted_at is None and claims.version < attendee.access_version:
        # This phone held the attendee's access: it is told who re-issued it, and when.
        reissue = await repository.latest_access_reissue(session, attendee.id)
        if reissue is not None and attendee.event_id == claims.event_id:
            raise AccessReissued(reissue)
    attendee = check_attendee(attendee, claims, what="sign-in on this phone")
    attendee.last_seen_at = utcnow()
    await session.flush()
    return attendee, claims


async def load_organiser(session: AsyncSession, claims: TokenClaims) -> Organiser:
    organiser = await repository.organiser_by_id(session, claims.subject)
    if organiser is None or organiser.token_version != claims.version:
        raise Unauthorized("Your session has been revoked. Please sign in again.")
    return organiser


async def load_attendee(session: AsyncSession, claims: TokenClaims) -> Attendee:
    return await _attendee_for(session, claims, what="session")


async def check_session(factory: async_sessionmaker[AsyncSession], claims: TokenClaims) -> None:
    """Refuse a revoked attendee session, with a short session of its own."""
    async with factory() as session:
        await _attendee_for(session, claims, what="session")


async def _attendee_for(session: AsyncSession, claims: TokenClaims, *, what: str) -> Attendee:
    return check_attendee(await repository.attendee_by_id(session, claims.subject), claims, what=what)


class Access(Protocol):
    """What says whether an attendee's token still stands: an ``Attendee``, or a row of its columns."""

    @property
    def event_id(self) -> uuid.UUID: ...
    @property
    def access_version(self) -> int: ...
    @property
    def deleted_at(self) -> datetime | None: ...


A = TypeVar("A", bound=Access)


def check_attendee(attendee: A | None, claims: TokenClaims, *, what: str = "session") -> A:
    """The attendee a token names, if the token still stands for them."""
    if (
        attendee is None
        or attendee.deleted_at is not None
        or attendee.event_id != claims.event_id
        or attendee.access_version != claims.version
    ):
        raise Unauthorized(
            f"This {what} has been revoked or replaced. Ask the organisers for a new join link."
        )
    return attendee


async def revoke_attendee_access(session: AsyncSession, attendee: Attendee) -> None:
    """Lost phone: every token and join link issued so far stops working."""
    attendee.access_version += 1
    await session.flush()
