from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class AccessReissue(IdMixin, CreatedAtMixin, Base):
    """An organiser re-issued an attendee's access: the attendee is told when and by whom."""

    __tablename__ = "access_reissue"

    attendee_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendee.id", ondelete="CASCADE"), index=True)
    organiser_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organiser.id", ondelete="SET NULL"))
    # Copied at the time: the record keeps saying who it was if the account changes or goes.
    organiser_name: Mapped[str] = mapped_column(String(120))
    organiser_email: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(String(280), default="")
    dismissed_at: Mapped[datetime | None]
