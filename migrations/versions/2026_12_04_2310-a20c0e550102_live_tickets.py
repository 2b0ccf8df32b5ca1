"""live channel: the single-use tickets that open a phone's live channel

Revision ID: a20c0e550102
Revises: a20c0e550101
Create Date: 2026-12-04 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a20c0e550102"
down_revision: str | None = "a20c0e550101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "live_ticket",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attendee_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["attendee_id"],
            ["attendee.id"],
            name=op.f("fk_live_ticket_attendee_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_live_ticket_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_ticket")),
    )
    op.create_index(op.f("ix_live_ticket_attendee_id"), "live_ticket", ["attendee_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_live_ticket_attendee_id"), table_name="live_ticket")
    op.drop_table("live_ticket")
