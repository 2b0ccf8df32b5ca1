from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.badges import short_code
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
        UniqueConstraint("event_id", "short_code"),
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
    # Codes of Objective (attendees.schemas), in the attendee's order; "other" may come with
    # a few words of their own in objective_other.
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    objective_other: Mapped[str] = mapped_column(String(60), default="", server_default="")
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Which contact details a scanner receives (subset of email, phone, website, linkedin, photo).
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
    # The current profile photo's random key (None: no photo): part of the photo's address, so
    # the address changes with the photo; the bytes live in profile_photo.
    photo_key: Mapped[str | None] = mapped_column(String(32), default=None)
    # Set when the attendee deleted their account; the row stays as a tombstone.
    deleted_at: Mapped[datetime | None]
    # Retention (issue 19): keep every contact past the event's retention, not only those marked.
    keep_contacts: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Short human badge codes: printed under the QR code, typed when the camera cannot help;
    # unique within the event, drawn again when the badge is re-issued (badges.short_code).
    short_code: Mapped[str] = mapped_column(String(8), default=short_code.generate)
    # The slow derivation of the short code that seals its card in the offline cache
    # ("<iterations>:<hex>", badges.sealed), kept so that it is computed once per code.
    short_code_key: Mapped[str | None] = mapped_column(String(80), default=None)
    # Who scanned me: whether this attendee is told that someone scanned them (their own
    # choice; whoever scans them never learns it).
    scan_notices: Mapped[bool] = mapped_column(default=True, server_default=true())
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
