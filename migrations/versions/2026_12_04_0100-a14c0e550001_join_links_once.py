"""join links work once; re-issued access leaves a record

Revision ID: a14c0e550001
Revises: 9a9d10e4a504
Create Date: 2026-12-04 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a14c0e550001"
down_revision: str | None = "9a9d10e4a504"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("join_used_version", sa.Integer(), server_default="0", nullable=False))
    # Whoever has joined already holds a session from their current link: that link is spent.
    op.execute("UPDATE attendee SET join_used_version = access_version WHERE invite_state = 'joined'")

    op.create_table(
        "access_reissue",
        sa.Column("attendee_id", sa.Uuid(), nullable=False),
        sa.Column("organiser_id", sa.Uuid(), nullable=True),
        sa.Column("organiser_name", sa.String(length=120), nullable=False),
        sa.Column("organiser_email", sa.String(length=254), nullable=False),
        sa.Column("reason", sa.String(length=280), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendee_id"],
            ["attendee.id"],
            name=op.f("fk_access_reissue_attendee_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_access_reissue_organiser_id_organiser"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_reissue")),
    )
    with op.batch_alter_table("access_reissue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_reissue_attendee_id"), ["attendee_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("access_reissue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_reissue_attendee_id"))
    op.drop_table("access_reissue")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_column("join_used_version")
