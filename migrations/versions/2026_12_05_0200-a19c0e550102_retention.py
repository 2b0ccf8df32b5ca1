"""retention: how long an event's data is kept, the warning and the purge, kept contacts

Revision ID: a19c0e550102
Revises: a19c0e550101
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a19c0e550102"
down_revision: str | None = "a19c0e550101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), server_default="90", nullable=False))
        batch_op.add_column(sa.Column("retention_warned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("report_snapshot", sa.JSON(), nullable=True))
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kept", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("kept_card", sa.JSON(), nullable=True))
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("keep_contacts", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_column("keep_contacts")
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.drop_column("kept_card")
        batch_op.drop_column("kept")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("report_snapshot")
        batch_op.drop_column("purged_at")
        batch_op.drop_column("retention_warned_at")
        batch_op.drop_column("retention_days")
