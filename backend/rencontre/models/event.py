from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class Event(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "event"

    organiser_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organiser.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str] = mapped_column(String(200), default="")
    # Short random code carried by every badge token of the event.
    badge_code: Mapped[str] = mapped_column(String(16), unique=True)
    # Whether live-feed frames may name the two people who just met; and the feed number
    # when names were turned on: only connections numbered above it are ever named.
    feed_shows_names: Mapped[bool] = mapped_column(default=False)
    feed_names_from_seq: Mapped[int | None] = mapped_column(default=None)
    # Sequence of the live feed: the number of connections recorded so far.
    feed_seq: Mapped[int] = mapped_column(default=0)
    # The last sheet of everyone's badges the organiser downloaded: when, and how many badges.
    badges_printed_at: Mapped[datetime | None] = mapped_column(default=None)
    badges_printed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Retention (issue 19): attendees' data is kept this many days after the event ends, then
    # purged; attendees are warned a week before; the report's figures are stored first.
    retention_days: Mapped[int] = mapped_column(default=90, server_default="90")
    retention_warned_at: Mapped[datetime | None] = mapped_column(default=None)
    purged_at: Mapped[datetime | None] = mapped_column(default=None)
    report_snapshot: Mapped[dict[str, object] | None] = mapped_column(JSON, default=None)
    # Who-to-meet: when the opt-in directory opens (the organiser picks the moment, usually
    # some days before the event starts); None keeps it closed.
    directory_opens_at: Mapped[datetime | None] = mapped_column(default=None)
    # Bumped by every write of the event's stored suggestion lists: a process keeps the
    # lists in memory between recomputes only while this is the number it last saw.
    suggestions_version: Mapped[int] = mapped_column(default=0, server_default="0")
