"""scan notices: an attendee may turn "who scanned me" off, and dismiss one notice at a time

Revision ID: a16c0e550301
Revises: a16c0e550201
Create Date: 2026-12-04 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a16c0e550301"
down_revision: str | None = "a16c0e550201"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scan_notices", sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_dismissed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.drop_column("notice_dismissed_at")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_column("scan_notices")
