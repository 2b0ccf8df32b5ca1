from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin


class ProfilePhoto(CreatedAtMixin, Base):
    """An attendee's profile photo, re-encoded by the server at each size it is served.

    Kept in the database rather than as files so that every app instance sharing PostgreSQL
    serves it, and so that erasing it goes the way erased text goes (SQLite zeroes the
    freed pages). One row per attendee: a new photo replaces the bytes and the key.
    """

    __tablename__ = "profile_photo"

    attendee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attendee.id", ondelete="CASCADE"), primary_key=True
    )
    # Random; the served address names it, so a new photo has a new address (caches never lie).
    key: Mapped[str] = mapped_column(String(32), unique=True)
    small: Mapped[bytes] = mapped_column(LargeBinary)
    medium: Mapped[bytes] = mapped_column(LargeBinary)
    large: Mapped[bytes] = mapped_column(LargeBinary)
