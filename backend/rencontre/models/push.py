from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class PushSubscription(IdMixin, CreatedAtMixin, Base):
    """One phone's Web Push subscription (the browser's endpoint and its keys) for one attendee."""

    __tablename__ = "push_subscription"

    attendee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"), index=True)
    # The push service's URL for this browser: unique, a capability in itself.
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    # The browser's P-256 public key and auth secret (base64url), which encrypt every message.
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    # The language the app was read in when the phone subscribed.
    language: Mapped[str] = mapped_column(String(5), default="")
    last_sent_at: Mapped[datetime | None]


class PushRecipient(Base):
    """Each attendee's reminder budget: claimed by a conditional update, so one instance sends.

    ``not_before`` spaces the reminders out; ``day`` (the event's local date) and
    ``day_count`` cap them per day.
    """

    __tablename__ = "push_recipient"

    attendee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("attendee.id", ondelete="CASCADE"), primary_key=True
    )
    not_before: Mapped[datetime | None]
    day: Mapped[str] = mapped_column(String(10), default="")
    day_count: Mapped[int] = mapped_column(default=0)
    last_sent_at: Mapped[datetime | None]
