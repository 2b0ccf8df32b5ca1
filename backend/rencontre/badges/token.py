"""Badge tokens: what a badge's QR code carries, signed so it cannot be forged.

A token is the unpadded base64url of 23 bytes::

    event code (4) | attendee code (6) | badge version (1) | HMAC-SHA256(key, first 11 bytes)[:12]

The codes are the random public codes of the event and the attendee, never a
primary key nor personal data. Re-issuing a badge bumps the version, so the old
QR still verifies here but names a version the holder no longer has. The phone
may read bytes 4–10 to find the person in its cached directory; only the server
holds the key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from rencontre.errors import Unprocessable

EVENT_CODE_BYTES = 4
ATTENDEE_CODE_BYTES = 6
SIGNED_BYTES = EVENT_CODE_BYTES + ATTENDEE_CODE_BYTES + 1
MAC_BYTES = 12
TOKEN_BYTES = SIGNED_BYTES + MAC_BYTES
TOKEN_LENGTH = 31  # len(base64url(23 bytes)) without padding
MAX_VERSION = 255

_TOKEN_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")


class InvalidBadgeToken(Unprocessable):
    """The scanned text is not a badge this server signed."""

    title = "Invalid badge"


@dataclass(frozen=True)
class BadgeRef:
    """What a verified token names: an event, an attendee and a badge version."""

    event_code: str  # 8 lowercase hex digits
    attendee_code: str  # 12 lowercase hex digits
    version: int


def issue(key: bytes, ref: BadgeRef) -> str:
    try:
        event = bytes.fromhex(ref.event_code)
        attendee = bytes.fromhex(ref.attendee_code)
    except ValueError as exc:
        raise ValueError("badge codes must be hexadecimal") from exc
    if len(event) != EVENT_CODE_BYTES or len(attendee) != ATTENDEE_CODE_BYTES:
        raise ValueError("an event code has 4 bytes and an attendee code 6")
    if not 1 <= ref.version <= MAX_VERSION:
        raise ValueError(f"a badge version is between 1 and {MAX_VERSION}")
    signed = event + attendee + bytes([ref.version])
    raw = signed + _mac(key, signed)
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def verify(key: bytes, token: str) -> BadgeRef:
    """The badge a token names, or :class:`InvalidBadgeToken` saying what is wrong."""
    if not _TOKEN_ALPHABET.fullmatch(token):
        raise InvalidBadgeToken(
            "This QR code is not a Rencontre badge: the badge code has invalid characters."
        )
    if len(token) < TOKEN_LENGTH:
        raise InvalidBadgeToken(
            "This badge code is incomplete: the QR code was only partly read. Scan it again."
        )
    if len(token) > TOKEN_LENGTH:
        raise InvalidBadgeToken("This QR code is not a Rencontre badge: the badge code is too long.")
    try:
        raw = base64.urlsafe_b64decode(token + "=")
    except (binascii.Error, ValueError) as exc:
        raise InvalidBadgeToken(
            "This QR code is not a Rencontre badge: the badge code cannot be read."
        ) from exc
    # Two spare bits make several spellings decode to the same bytes; only the one we issue is a badge.
    if len(raw) != TOKEN_BYTES or base64.urlsafe_b64encode(raw).rstrip(b"=") != token.encode("ascii"):
        raise InvalidBadgeToken("This QR code is not a Rencontre badge: the badge code is malformed.")
    signed, mac = raw[:SIGNED_BYTES], raw[SIGNED_BYTES:]
    if not hmac.compare_digest(mac, _mac(key, signed)):
        raise InvalidBadgeToken(
            "This QR code is not a valid Rencontre badge: its signature does not match (forged or altered)."
        )
    return BadgeRef(
        event_code=signed[:EVENT_CODE_BYTES].hex(),
        attendee_code=signed[EVENT_CODE_BYTES : SIGNED_BYTES - 1].hex(),
        version=signed[-1],
    )


def token_from_scan(text: str) -> str:
    """The token in what a phone scanned: a badge URL on any host (path ``…/b/<token>``) or a bare token."""
    text = text.strip()
    if not text:
        raise InvalidBadgeToken("The scanned text is empty.")
    if "/" not in text and ":" not in text:
        return text
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise InvalidBadgeToken("This QR code is not a Rencontre badge: it is not a badge link.") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidBadgeToken("This QR code is not a Rencontre badge: it is not a badge link.")
    segments = parts.path.rstrip("/").split("/")
    if len(segments) < 3 or segments[-2] != "b" or not segments[-1]:
        raise InvalidBadgeToken("This QR code is not a Rencontre badge: the link does not point to a badge.")
    return segments[-1]


def read(key: bytes, scanned: str) -> tuple[str, BadgeRef]:
    """Verify scanned text: the token it carries and the badge it names."""
    token = token_from_scan(scanned)
    return token, verify(key, token)


def badge_url(public_base_url: str, token: str) -> str:
    return f"{public_base_url}/b/{token}"


def _mac(key: bytes, signed: bytes) -> bytes:
    return hmac.new(key, signed, hashlib.sha256).digest()[:MAC_BYTES]
