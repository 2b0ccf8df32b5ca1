"""who to meet: offers, seeks, open to chat and directory opt-in on the attendee; directory opening

Revision ID: a18c0e550101
Revises: a17c0e550004
Create Date: 2026-12-05 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a18c0e550101"
down_revision: str | None = "a17c0e550004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offers", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("seeks", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(
            sa.Column("open_to_chat", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("directory_opt_in", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("directory_opens_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("directory_opens_at")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_column("directory_opt_in")
        batch_op.drop_column("open_to_chat")
        batch_op.drop_column("seeks")
        batch_op.drop_column("offers")
