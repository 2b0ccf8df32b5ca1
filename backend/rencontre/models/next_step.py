from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.kit.time import utcnow
from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class NextStepKind(enum.StrEnum):
    coffee = "coffee"
    call = "call"
    resource = "resource"


class NextStepState(enum.StrEnum):
    # Waiting for the person who did not make the current proposal.
    proposed = "proposed"
    agreed = "agreed"
    declined = "declined"
    cancelled = "cancelled"


OPEN_STATES = (NextStepState.proposed, NextStepState.agreed)
_OPEN = "state IN ('proposed', 'agreed')"


class NextStep(IdMixin, CreatedAtMixin, Base):
    """A next step two mutually connected attendees work out together: the only text they share.

    The pair is stored in a fixed order (``first_id`` < ``second_id``) so that either side
    finds the same row; at most one step per pair is open (proposed or agreed) at a time.
    Its id is the calendar file's UID, its version the file's SEQUENCE.
    """

    __tablename__ = "next_step"
    __table_args__ = (
        Index(
            "ix_next_step_open_pair",
            "first_id",
            "second_id",
            unique=True,
            sqlite_where=text(_OPEN),
            postgresql_where=text(_OPEN),
        ),
        Index("ix_next_step_second_id", "second_id"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    first_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    second_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    state: Mapped[NextStepState] = mapped_column(
        Enum(NextStepState, native_enum=False, length=12, validate_strings=True),
        default=NextStepState.proposed,
    )
    # Moves on every change: answers name the version they answer, so none answers a superseded proposal.
    version: Mapped[int] = mapped_column(default=1)
    # Who made the current proposal; the other one answers it.
    proposed_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    agreed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class NextStepProposal(IdMixin, CreatedAtMixin, Base):
    """One proposal of a step, kept as the history: the first, then each counter-proposal."""

    __tablename__ = "next_step_proposal"
    __table_args__ = (UniqueConstraint("step_id", "number"),)

    step_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("next_step.id", ondelete="CASCADE"))
    number: Mapped[int]
    proposer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    kind: Mapped[NextStepKind] = mapped_column(
        Enum(NextStepKind, native_enum=False, length=12, validate_strings=True)
    )
    starts_at: Mapped[datetime | None]
    duration_minutes: Mapped[int | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    message: Mapped[str] = mapped_column(String(500), default="")
