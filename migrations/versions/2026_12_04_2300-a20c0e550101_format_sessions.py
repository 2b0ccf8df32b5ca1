"""formats: sessions of speed-meeting, walk & talk or reverse forum, their participants and seats

Revision ID: a20c0e550101
Revises: a17c0e550004
Create Date: 2026-12-04 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a20c0e550101"
down_revision: str | None = "a17c0e550004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    op.create_table(
        "format_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "kind",
            _enum("speed_meeting", "walk_and_talk", "reverse_forum", name="formatkind"),
            nullable=False,
        ),
        sa.Column("audience", _enum("present", "signed_up", name="audience"), nullable=False),
        sa.Column("table_names", sa.JSON(), nullable=False),
        sa.Column("group_min", sa.Integer(), nullable=False),
        sa.Column("group_max", sa.Integer(), nullable=False),
        sa.Column("rounds_total", sa.Integer(), nullable=False),
        sa.Column("round_seconds", sa.Integer(), nullable=False),
        sa.Column("break_seconds", sa.Integer(), nullable=False),
        sa.Column("state", _enum("draft", "running", "paused", "ended", name="sessionstate"), nullable=False),
        sa.Column("current_round", sa.Integer(), nullable=False),
        sa.Column("phase", _enum("round", "break", name="phase"), nullable=False),
        sa.Column("phase_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_seconds_left", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_format_session_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_format_session")),
    )
    op.create_index(op.f("ix_format_session_event_id"), "format_session", ["event_id"], unique=False)
    op.create_table(
        "format_participant",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("attendee_id", sa.Uuid(), nullable=False),
        sa.Column("host", sa.Boolean(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["attendee_id"],
            ["attendee.id"],
            name=op.f("fk_format_participant_attendee_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["format_session.id"],
            name=op.f("fk_format_participant_session_id_format_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_format_participant")),
        sa.UniqueConstraint(
            "session_id", "attendee_id", name=op.f("uq_format_participant_session_id_attendee_id")
        ),
    )
    op.create_index(
        op.f("ix_format_participant_attendee_id"), "format_participant", ["attendee_id"], unique=False
    )
    op.create_table(
        "format_seat",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("attendee_id", sa.Uuid(), nullable=False),
        sa.Column("table", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendee_id"],
            ["attendee.id"],
            name=op.f("fk_format_seat_attendee_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["format_session.id"],
            name=op.f("fk_format_seat_session_id_format_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_format_seat")),
        sa.UniqueConstraint(
            "session_id", "round", "attendee_id", name=op.f("uq_format_seat_session_id_round_attendee_id")
        ),
    )
    op.create_index(
        "ix_format_seat_session_id_attendee_id", "format_seat", ["session_id", "attendee_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_format_seat_session_id_attendee_id", table_name="format_seat")
    op.drop_table("format_seat")
    op.drop_index(op.f("ix_format_participant_attendee_id"), table_name="format_participant")
    op.drop_table("format_participant")
    op.drop_index(op.f("ix_format_session_event_id"), table_name="format_session")
    op.drop_table("format_session")
