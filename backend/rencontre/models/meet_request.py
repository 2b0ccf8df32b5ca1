from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class MeetRequestState(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    # "Let it be": the recipient's answer, never shown to the sender (it reads as pending).
    declined = "declined"


class MeetRequest(IdMixin, CreatedAtMixin, Base):
    """ "I'd like to meet you": one per ordered pair of attendees of an event."""

    __tablename__ = "meet_request"
    __table_args__ = (
        UniqueConstraint("sender_id", "recipient_id"),
        Index("ix_meet_request_recipient_id", "recipient_id"),
        Index("ix_meet_request_event_id_state", "event_id", "state"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    sender_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    recipient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    # The sender's optional one line, shown to the recipient only.
    reason: Mapped[str] = mapped_column(String(140), default="")
    state: Mapped[MeetRequestState] = mapped_column(
        Enum(MeetRequestState, native_enum=False, length=16, validate_strings=True),
        default=MeetRequestState.pending,
    )
    answered_at: Mapped[datetime | None]


class AttendeeBlock(CreatedAtMixin, Base):
    """``blocker_id`` and ``blocked_id`` never see each other again; no request passes between them."""

    __tablename__ = "attendee_block"

    blocker_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attendee.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attendee.id", ondelete="CASCADE"), primary_key=True, index=True
    )
