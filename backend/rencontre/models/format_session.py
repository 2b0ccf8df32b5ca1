from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class FormatKind(enum.StrEnum):
    speed_meeting = "speed_meeting"  # pairs (one trio when odd)
    walk_and_talk = "walk_and_talk"  # groups of group_min to group_max
    reverse_forum = "reverse_forum"  # hosts keep a table, guests rotate


class Audience(enum.StrEnum):
    present = "present"  # everyone who has arrived at the venue
    signed_up = "signed_up"  # those who signed up from their phone


class SessionState(enum.StrEnum):
    draft = "draft"
    running = "running"
    paused = "paused"
    ended = "ended"


class Phase(enum.StrEnum):
    round = "round"
    pause_between = "break"


def _enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=16, validate_strings=True)


class FormatSession(IdMixin, CreatedAtMixin, Base):
    """One run of a format during the event: its settings and where it stands."""

    __tablename__ = "format_session"

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[FormatKind] = mapped_column(_enum(FormatKind))
    audience: Mapped[Audience] = mapped_column(_enum(Audience))
    # The tables' or groups' names, in order ("Table 7", "Groupe Loire"); numbered beyond.
    table_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    group_min: Mapped[int] = mapped_column(default=2)
    group_max: Mapped[int] = mapped_column(default=2)
    rounds_total: Mapped[int]
    round_seconds: Mapped[int]
    break_seconds: Mapped[int] = mapped_column(default=0)
    state: Mapped[SessionState] = mapped_column(_enum(SessionState), default=SessionState.draft)
    # 0 before the start; the round being played (or the one just played, in a break).
    current_round: Mapped[int] = mapped_column(default=0)
    phase: Mapped[Phase] = mapped_column(_enum(Phase), default=Phase.round)
    phase_ends_at: Mapped[datetime | None]
    # While paused: the seconds that were left in the phase.
    paused_seconds_left: Mapped[float | None] = mapped_column(Float)
    # Bumped by every change: phones and wall screens resume from it; a change is applied
    # only to the version it was computed from, so two instances never both apply it.
    version: Mapped[int] = mapped_column(default=1)


class FormatParticipant(IdMixin, Base):
    """Who takes part in a session: signed up (or, for a present audience, not opted out)."""

    __tablename__ = "format_participant"
    __table_args__ = (UniqueConstraint("session_id", "attendee_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("format_session.id", ondelete="CASCADE"))
    attendee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"), index=True)
    # A reverse forum's host, who keeps a table.
    host: Mapped[bool] = mapped_column(default=False)
    # Signed up (audience signed_up), or set when they left (any audience): not placed again.
    joined_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]


class FormatSeat(IdMixin, Base):
    """Where one person sits in one round."""

    __tablename__ = "format_seat"
    __table_args__ = (
        UniqueConstraint("session_id", "round", "attendee_id"),
        Index("ix_format_seat_session_id_attendee_id", "session_id", "attendee_id"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("format_session.id", ondelete="CASCADE"))
    round: Mapped[int]
    attendee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"))
    # Index of the table or group in this round (0-based), named by table_names.
    table: Mapped[int]
