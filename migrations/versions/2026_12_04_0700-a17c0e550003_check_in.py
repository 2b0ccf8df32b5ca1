"""present means at the venue: an attendee's arrival (check-in or first scan) and the staff's introduction

Revision ID: a17c0e550003
Revises: a14c0e550004
Create Date: 2026-12-04 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a17c0e550003"
down_revision: str | None = "a17c0e550002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("introduced_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_column("introduced_at")
        batch_op.drop_column("arrived_at")
