from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.kit.time import utcnow
from rencontre.models.base import Base, IdMixin


class FollowUpState(enum.StrEnum):
    todo = "todo"
    done = "done"


class Encounter(IdMixin, Base):
    """One attendee's contact with another: at most one per (scanner, scanned) pair."""

    __tablename__ = "encounter"
    __table_args__ = (
        UniqueConstraint("scanner_id", "scanned_id"),
        UniqueConstraint("event_id", "seq"),
        CheckConstraint("scanner_id <> scanned_id", name="not_self"),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_range"),
        Index("ix_encounter_scanner_id_met_at", "scanner_id", "met_at"),
        Index("ix_encounter_event_id_met_at", "event_id", "met_at"),
        Index("ix_encounter_scanned_id", "scanned_id"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    # The scanner's own contacts go with them; nothing at the database level may delete a
    # contact because of the person it is about (a removed or deleted person stays as a
    # tombstone row), so the scanned side has no cascade.
    scanner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    scanned_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id"))
    # Position of this connection in the event's live feed (1, 2, 3…).
    seq: Mapped[int]
    # The client id of the scan that created the contact.
    client_id: Mapped[uuid.UUID]
    note: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    # The phone's clock, kept as given; ordering and the follow-up window use met_at.
    device_at: Mapped[datetime | None]
    met_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_scanned_at: Mapped[datetime] = mapped_column(default=utcnow)
    scan_count: Mapped[int] = mapped_column(default=1)
    mutual: Mapped[bool] = mapped_column(default=False)
    follow_up: Mapped[FollowUpState] = mapped_column(
        Enum(FollowUpState, native_enum=False, length=8, validate_strings=True),
        default=FollowUpState.todo,
    )
    followed_up_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Reminders and retention (issue 19): the follow-up reminder stage already sent (0 none,
    # 1 at 24 h, 2 at 40 h); kept by its scanner past the event's retention, with the card
    # as it was shared when the event's data was purged.
    reminder_stage: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    kept: Mapped[bool] = mapped_column(default=False, server_default=false())
    kept_card: Mapped[dict[str, object] | None] = mapped_column(JSON, default=None)
    # Who scanned me: the scanned person set aside the notice of this scan ("not now"). Theirs
    # alone: never shown to the scanner, whose contact this row is.
    notice_dismissed_at: Mapped[datetime | None]


class Scan(Base):
    """Every scan request a phone made, by its client id: the idempotency record."""

    __tablename__ = "scan"

    scanner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attendee.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    encounter_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("encounter.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the request's content: the same id with other content is a conflict.
    fingerprint: Mapped[str] = mapped_column(String(64))
    created: Mapped[bool]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
