from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from rencontre.models.base import Base, CreatedAtMixin, IdMixin


class Organiser(IdMixin, CreatedAtMixin, Base):
    __tablename__ = "organiser"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Bumped to revoke every token issued to this organiser.
    token_version: Mapped[int] = mapped_column(default=1)
