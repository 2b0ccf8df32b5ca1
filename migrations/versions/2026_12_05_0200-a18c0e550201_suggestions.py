"""suggestions: each reader's computed list, and their hide / not now

Revision ID: a18c0e550201
Revises: a18c0e550101
Create Date: 2026-12-05 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a18c0e550201"
down_revision: str | None = "a18c0e550101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("reader_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("reader_id <> person_id", name=op.f("ck_suggestion_not_self")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_suggestion_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["attendee.id"], name=op.f("fk_suggestion_reader_id_attendee"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["attendee.id"], name=op.f("fk_suggestion_person_id_attendee"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
        sa.UniqueConstraint("reader_id", "person_id", name=op.f("uq_suggestion_reader_id_person_id")),
    )
    op.create_index("ix_suggestion_event_id_person_id", "suggestion", ["event_id", "person_id"])
    op.create_table(
        "suggestion_dismissal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("reader_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("hidden", "not_now", name="dismissalkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("reader_id <> person_id", name=op.f("ck_suggestion_dismissal_not_self")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_suggestion_dismissal_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reader_id"],
            ["attendee.id"],
            name=op.f("fk_suggestion_dismissal_reader_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["attendee.id"],
            name=op.f("fk_suggestion_dismissal_person_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_dismissal")),
        sa.UniqueConstraint(
            "reader_id", "person_id", name=op.f("uq_suggestion_dismissal_reader_id_person_id")
        ),
    )
    op.create_index("ix_suggestion_dismissal_event_id", "suggestion_dismissal", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_suggestion_dismissal_event_id", table_name="suggestion_dismissal")
    op.drop_table("suggestion_dismissal")
    op.drop_index("ix_suggestion_event_id_person_id", table_name="suggestion")
    op.drop_table("suggestion")
