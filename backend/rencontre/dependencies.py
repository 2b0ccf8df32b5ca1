"""Typed request dependencies: the settings, the session and who is calling.

Authorization is decided here, once per role: an endpoint that takes
``CurrentOrganiser`` or ``CurrentAttendee`` cannot be reached without one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.auth import service as auth_service
from rencontre.auth.tokens import Role
from rencontre.config import Settings
from rencontre.db import begin_write, session_scope
from rencontre.errors import Forbidden, Unauthorized
from rencontre.models import Attendee, Organiser
from rencontre.passkeys.lock import NotesAccess


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    factory: async_sessionmaker[AsyncSession] = request.app.state.session_factory
    async with session_scope(factory) as session:
        if request.method not in _READ_ONLY_METHODS:
            # A request that may write takes SQLite's write lock before its first
            # read; see begin_write.
            await begin_write(session)
        yield session


# scope="function": the transaction commits before the response is sent, so a
# client is never told "saved" about something that is not durable yet.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def _write_transaction(session: SessionDep) -> None:
    await begin_write(session)


# For the few GET endpoints that also record something (an invite marked as sent).
WritesOnGet = Depends(_write_transaction)

_bearer = HTTPBearer(auto_error=False, description="An access token from /api/auth.")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or not credentials.credentials:
        raise Unauthorized("Sign in first: this request needs an access token (Bearer).")
    return credentials.credentials


def bearer_token_of(request: Request) -> str:
    """The bearer token of the request's Authorization header, read as ``BearerDep`` reads it."""
    scheme, credentials = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "bearer" or not credentials:
        raise Unauthorized("Sign in first: this request needs an access token (Bearer).")
    return credentials


# For a route that reads the token with bearer_token_of rather than through BearerDep:
# the same security requirement in the OpenAPI document, without a dependency to resolve.
BEARER_SECURITY: dict[str, Any] = {"security": [{_bearer.scheme_name: []}]}


async def get_current_organiser(
    session: SessionDep, settings: SettingsDep, credentials: BearerDep
) -> Organiser:
    claims = auth_service.verify_access(settings, bearer_token(credentials))
    if claims.role is not Role.organiser:
        raise Forbidden("This action is reserved for the event's organisers.")
    return await auth_service.load_organiser(session, claims)


async def get_current_attendee(
    session: SessionDep, settings: SettingsDep, credentials: BearerDep
) -> Attendee:
    claims = auth_service.verify_access(settings, bearer_token(credentials))
    if claims.role is not Role.attendee:
        raise Forbidden("This action is reserved for attendees.")
    return await auth_service.load_attendee(session, claims)


CurrentOrganiser = Annotated[Organiser, Depends(get_current_organiser)]
CurrentAttendee = Annotated[Attendee, Depends(get_current_attendee)]


async def get_notes_access(session: SessionDep, settings: SettingsDep, credentials: BearerDep) -> NotesAccess:
    """The attendee, and whether this session may read their notes (see rencontre.passkeys)."""
    claims = auth_service.verify_access(settings, bearer_token(credentials))
    if claims.role is not Role.attendee:
        raise Forbidden("This action is reserved for attendees.")
    attendee = await auth_service.load_attendee(session, claims)
    return NotesAccess(attendee=attendee, presented=claims.passkey)


# For every path that reads or writes notes, tags or ratings: it must honour ``locked``.
CurrentNotesAccess = Annotated[NotesAccess, Depends(get_notes_access)]
