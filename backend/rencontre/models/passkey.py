from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class Passkey(IdMixin, CreatedAtMixin, Base):
    """A WebAuthn credential an attendee registered to lock their notes."""

    __tablename__ = "passkey"

    attendee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"), index=True)
    # base64url of the credential id (at most 1023 bytes by the WebAuthn spec).
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    transports: Mapped[list[str]] = mapped_column(JSON, default=list)
    name: Mapped[str] = mapped_column(String(60), default="")
    last_used_at: Mapped[datetime | None]


class PasskeyChallenge(IdMixin, CreatedAtMixin, Base):
    """A challenge handed out for one registration or authentication: single-use, short-lived.

    Stored rather than kept in memory, so that the instance that verifies the answer
    need not be the one that gave the options.
    """

    __tablename__ = "passkey_challenge"

    attendee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    challenge: Mapped[str] = mapped_column(String(128), unique=True)
    expires_at: Mapped[datetime]
