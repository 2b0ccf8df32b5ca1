from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class InviteState(enum.StrEnum):
    pending = "pending"
    # Waiting for the invitation sender (rencontre.invitations.sender), then claimed by one.
    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    joined = "joined"


class Attendee(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "attendee"
    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        # NULL for attendees without one: both databases let NULLs repeat under a unique constraint.
        UniqueConstraint("event_id", "registration_id"),
        Index("ix_attendee_event_id_name", "event_id", "name"),
        Index("ix_attendee_invite_state_invite_next_at", "invite_state", "invite_next_at"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    # Random, public, stable: what a badge token names instead of the primary key.
    badge_code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    # The registration tool's own id (ticket, registration number), so a re-import finds the
    # person even when their e-mail changed there.
    registration_id: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str] = mapped_column(String(120), default="")
    job_title: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    linkedin: Mapped[str] = mapped_column(String(200), default="")
    pitch: Mapped[str] = mapped_column(String(280), default="")
    objective: Mapped[str] = mapped_column(String(40), default="")
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Which contact details a scanner receives (subset of email, phone, website, linkedin).
    shared_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(5), default="")
    # Incremented when the badge is re-issued: older QR codes stop working.
    badge_version: Mapped[int] = mapped_column(default=1)
    # The badge version last downloaded in a PDF (None: never printed); differing from
    # badge_version, the printed badge no longer scans and must be printed again.
    badge_printed_version: Mapped[int | None] = mapped_column(default=None)
    # Incremented when access is re-issued (lost phone): older tokens and invite links stop.
    access_version: Mapped[int] = mapped_column(default=1)
    # Kept by the passkeys service beside the passkey rows, so that every request (a scan
    # above all) knows whether the notes are locked without a query of its own.
    has_passkey: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The access version whose join link has been exchanged: a join link works once.
    join_used_version: Mapped[int] = mapped_column(default=0, server_default="0")
    invite_state: Mapped[InviteState] = mapped_column(
        Enum(InviteState, native_enum=False, length=16, validate_strings=True),
        default=InviteState.pending,
    )
    # The e-mail invitation queue: the sender claims queued rows whose time has come.
    invite_language: Mapped[str] = mapped_column(String(5), default="", server_default="")
    invite_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    invite_next_at: Mapped[datetime | None]
    invite_claimed_at: Mapped[datetime | None]
    invite_last_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    invite_sent_at: Mapped[datetime | None]
    # Why the last attempt failed, as the mail server said it.
    invite_error: Mapped[str] = mapped_column(String(500), default="", server_default="")
    joined_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    # At the venue: checked in at the door, or first scan made or received during the event.
    arrived_at: Mapped[datetime | None]
    # Staff introduced this isolated attendee to someone: off the live feed's isolated list.
    introduced_at: Mapped[datetime | None]
    # Set when the attendee deleted their account; the row stays as a tombstone.
    deleted_at: Mapped[datetime | None]
    # Who-to-meet: what they offer and seek (up to 3 short lines each, part of the public card),
    # "open to chat now", and whether they are listed in (and may browse) the event's directory.
    offers: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    seeks: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    open_to_chat: Mapped[bool] = mapped_column(default=False, server_default=false())
    directory_opt_in: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def invitation_state(self) -> InviteState:
        """What the console shows (see invitations.repository.shown_state, its SQL twin)."""
        if self.join_link_used:
            return InviteState.joined
        if self.invite_state is InviteState.joined:
            return InviteState.pending
        return self.invite_state

    @property
    def join_link_used(self) -> bool:
        """The join link of the current access has been exchanged: no other works until a re-issue."""
        return self.join_used_version >= self.access_version
