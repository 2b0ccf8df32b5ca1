"""invitations sent by e-mail: a queue on the attendee rows, with attempts and the last error

Revision ID: a17c0e550001
Revises: a14c0e550004
Create Date: 2026-12-04 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a17c0e550001"
down_revision: str | None = "a17c0e550003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invite_language", sa.String(5), server_default="", nullable=False))
        batch_op.add_column(sa.Column("invite_attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("invite_next_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("invite_claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("invite_last_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("invite_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("invite_error", sa.String(500), server_default="", nullable=False))
        batch_op.create_index("ix_attendee_invite_last_attempt_at", ["invite_last_attempt_at"])
        batch_op.create_index("ix_attendee_invite_state_invite_next_at", ["invite_state", "invite_next_at"])


def downgrade() -> None:
    # The states the queue added fall back to what they meant before it.
    op.execute("UPDATE attendee SET invite_state = 'pending' WHERE invite_state IN ('queued', 'failed')")
    op.execute("UPDATE attendee SET invite_state = 'sent' WHERE invite_state = 'sending'")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_index("ix_attendee_invite_state_invite_next_at")
        batch_op.drop_index("ix_attendee_invite_last_attempt_at")
        for column in (
            "invite_error",
            "invite_sent_at",
            "invite_last_attempt_at",
            "invite_claimed_at",
            "invite_next_at",
            "invite_attempts",
            "invite_language",
        ):
            batch_op.drop_column(column)
