"""Signed tokens (JWT, HS256) with a token type, a key id and revocation versions.

Types: ``access`` (an API session), ``invite`` (an attendee's personal join link, which
works once), ``device`` (kept by the phone that used the join link, to renew its session).
A token of one type is never accepted as another. Keys rotate by key id: only
the ids in the key ring verify, and nothing in a token header is ever fetched.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

import jwt

from rencontre.config import KeyRing
from rencontre.kit.time import utcnow

ALGORITHM = "HS256"
AUDIENCE = "rencontre"
LEEWAY_SECONDS = 30


class TokenType(StrEnum):
    access = "access"
    invite = "invite"
    device = "device"


class Role(StrEnum):
    organiser = "organiser"
    attendee = "attendee"


class InvalidToken(Exception):
    """The token is missing a claim, expired, tampered with or of the wrong type."""


@dataclass(frozen=True)
class TokenClaims:
    type: TokenType
    role: Role
    subject: uuid.UUID
    version: int
    event_id: uuid.UUID | None
    # The session presented one of the attendee's passkeys (see rencontre.passkeys).
    passkey: bool = False


def issue(
    keyring: KeyRing,
    *,
    type: TokenType,
    role: Role,
    subject: uuid.UUID,
    version: int,
    lifetime: timedelta,
    event_id: uuid.UUID | None = None,
    passkey: bool = False,
) -> str:
    now = utcnow()
    claims: dict[str, Any] = {
        "typ": type.value,
        "role": role.value,
        "sub": str(subject),
        "ver": version,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + lifetime,
        "jti": secrets.token_urlsafe(8),
    }
    if event_id is not None:
        claims["evt"] = str(event_id)
    if passkey:
        claims["pk"] = True
    return jwt.encode(claims, keyring.signing_key, algorithm=ALGORITHM, headers={"kid": keyring.current})


def verify(keyring: KeyRing, token: str, *, expected: TokenType) -> TokenClaims:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidToken("the token is malformed") from exc
    key = keyring.keys.get(str(header.get("kid", "")))
    if key is None:
        raise InvalidToken("the token was signed with an unknown or retired key")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "sub", "aud", "typ", "role", "ver"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("the token has expired") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"the token is invalid ({exc})") from exc
    if claims["typ"] != expected.value:
        raise InvalidToken(f"{claims['typ']} tokens cannot be used as {expected.value} tokens")
    try:
        role = Role(claims["role"])
        subject = uuid.UUID(claims["sub"])
        event_id = uuid.UUID(claims["evt"]) if "evt" in claims else None
        version = int(claims["ver"])
    except (ValueError, TypeError) as exc:
        raise InvalidToken("the token carries malformed claims") from exc
    if role is Role.attendee and event_id is None:
        raise InvalidToken("an attendee token must name its event")
    return TokenClaims(
        type=TokenType(claims["typ"]),
        role=role,
        subject=subject,
        version=version,
        event_id=event_id,
        passkey=claims.get("pk") is True,
    )
