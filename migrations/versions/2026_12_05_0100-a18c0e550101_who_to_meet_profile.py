"""who to meet: offers, seeks, open to chat and directory opt-in on the attendee; directory opening;
"I'd like to meet you" requests and blocks

Revision ID: a18c0e550101
Revises: a16c0e550301
Create Date: 2026-12-05 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a18c0e550101"
down_revision: str | None = "a16c0e550301"
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
    op.create_table(
        "meet_request",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=140), nullable=False),
        sa.Column(
            "state",
            sa.Enum("pending", "accepted", "declined", name="meetrequeststate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_meet_request_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["attendee.id"],
            name=op.f("fk_meet_request_recipient_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["attendee.id"],
            name=op.f("fk_meet_request_sender_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meet_request")),
        sa.UniqueConstraint("sender_id", "recipient_id", name=op.f("uq_meet_request_sender_id_recipient_id")),
    )
    op.create_index("ix_meet_request_recipient_id", "meet_request", ["recipient_id"], unique=False)
    op.create_index("ix_meet_request_event_id_state", "meet_request", ["event_id", "state"], unique=False)
    op.create_table(
        "attendee_block",
        sa.Column("blocker_id", sa.Uuid(), nullable=False),
        sa.Column("blocked_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["blocked_id"],
            ["attendee.id"],
            name=op.f("fk_attendee_block_blocked_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"],
            ["attendee.id"],
            name=op.f("fk_attendee_block_blocker_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("blocker_id", "blocked_id", name=op.f("pk_attendee_block")),
    )
    op.create_index(op.f("ix_attendee_block_blocked_id"), "attendee_block", ["blocked_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_attendee_block_blocked_id"), table_name="attendee_block")
    op.drop_table("attendee_block")
    op.drop_index("ix_meet_request_event_id_state", table_name="meet_request")
    op.drop_index("ix_meet_request_recipient_id", table_name="meet_request")
    op.drop_table("meet_request")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("directory_opens_at")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_column("directory_opt_in")
        batch_op.drop_column("open_to_chat")
        batch_op.drop_column("seeks")
        batch_op.drop_column("offers")
