from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Double, Enum, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class Suggestion(IdMixin, Base):
    """One line of a reader's "people for you" list, as last computed (rencontre.suggestions)."""

    __tablename__ = "suggestion"
    __table_args__ = (
        UniqueConstraint("reader_id", "person_id"),
        CheckConstraint("reader_id <> person_id", name="not_self"),
        # How many readers each person is suggested to, and who: the recompute's column.
        Index("ix_suggestion_event_id_person_id", "event_id", "person_id"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    reader_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    rank: Mapped[int]
    score: Mapped[float] = mapped_column(Double)
    computed_at: Mapped[datetime]


class DismissalKind(enum.StrEnum):
    hidden = "hidden"
    not_now = "not_now"


class SuggestionDismissal(IdMixin, CreatedAtMixin, Base):
    """A reader's "hide" (for good) or "not now" (until ``until``) on a person suggested to them."""

    __tablename__ = "suggestion_dismissal"
    __table_args__ = (
        UniqueConstraint("reader_id", "person_id"),
        CheckConstraint("reader_id <> person_id", name="not_self"),
        Index("ix_suggestion_dismissal_event_id", "event_id"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    reader_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    kind: Mapped[DismissalKind] = mapped_column(
        Enum(DismissalKind, native_enum=False, length=16, validate_strings=True)
    )
    # "Not now": back in the list from this time on; None for "hide".
    until: Mapped[datetime | None]
