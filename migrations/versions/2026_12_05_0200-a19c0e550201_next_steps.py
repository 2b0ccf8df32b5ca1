"""next steps: a step two mutually connected attendees agree on, and its proposals

Revision ID: a19c0e550201
Revises: a16c0e550401
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a19c0e550201"
down_revision: str | None = "a16c0e550401"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = "state IN ('proposed', 'agreed')"


def upgrade() -> None:
    op.create_table(
        "next_step",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("first_id", sa.Uuid(), nullable=False),
        sa.Column("second_id", sa.Uuid(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "proposed",
                "agreed",
                "declined",
                "cancelled",
                name="nextstepstate",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Uuid(), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_next_step_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["first_id"], ["attendee.id"], name=op.f("fk_next_step_first_id_attendee"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["second_id"], ["attendee.id"], name=op.f("fk_next_step_second_id_attendee"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["attendee.id"],
            name=op.f("fk_next_step_proposed_by_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["attendee.id"],
            name=op.f("fk_next_step_closed_by_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_next_step")),
    )
    with op.batch_alter_table("next_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_next_step_event_id"), ["event_id"], unique=False)
        batch_op.create_index("ix_next_step_second_id", ["second_id"], unique=False)
        batch_op.create_index(
            "ix_next_step_open_pair",
            ["first_id", "second_id"],
            unique=True,
            sqlite_where=sa.text(_OPEN),
            postgresql_where=sa.text(_OPEN),
        )

    op.create_table(
        "next_step_proposal",
        sa.Column("step_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("proposer_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("coffee", "call", "resource", name="nextstepkind", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["next_step.id"],
            name=op.f("fk_next_step_proposal_step_id_next_step"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposer_id"],
            ["attendee.id"],
            name=op.f("fk_next_step_proposal_proposer_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_next_step_proposal")),
        sa.UniqueConstraint("step_id", "number", name=op.f("uq_next_step_proposal_step_id_number")),
    )


def downgrade() -> None:
    op.drop_table("next_step_proposal")
    with op.batch_alter_table("next_step", schema=None) as batch_op:
        batch_op.drop_index("ix_next_step_open_pair")
        batch_op.drop_index("ix_next_step_second_id")
        batch_op.drop_index(batch_op.f("ix_next_step_event_id"))
    op.drop_table("next_step")
