"""badges printed: the event's last full badge sheet, and each attendee's printed badge version

Revision ID: a17c0e550004
Revises: a17c0e550001
Create Date: 2026-12-04 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a17c0e550004"
down_revision: str | None = "a17c0e550001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("badges_printed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("badges_printed_count", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("badge_printed_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_column("badge_printed_version")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("badges_printed_count")
        batch_op.drop_column("badges_printed_at")
