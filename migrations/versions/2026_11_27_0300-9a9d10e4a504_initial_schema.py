"""initial schema

Revision ID: 9a9d10e4a504
Revises:
Create Date: 2026-11-27 03:00:20.235980
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9a9d10e4a504"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organiser",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organiser")),
        sa.UniqueConstraint("email", name=op.f("uq_organiser_email")),
    )
    op.create_table(
        "event",
        sa.Column("organiser_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("badge_code", sa.String(length=16), nullable=False),
        sa.Column("feed_shows_names", sa.Boolean(), nullable=False),
        sa.Column("feed_seq", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_event_organiser_id_organiser"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint("badge_code", name=op.f("uq_event_badge_code")),
        sa.UniqueConstraint("slug", name=op.f("uq_event_slug")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_organiser_id"), ["organiser_id"], unique=False)

    op.create_table(
        "attendee",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("badge_code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("company", sa.String(length=120), nullable=False),
        sa.Column("job_title", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("linkedin", sa.String(length=200), nullable=False),
        sa.Column("pitch", sa.String(length=280), nullable=False),
        sa.Column("objective", sa.String(length=40), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("shared_fields", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("badge_version", sa.Integer(), nullable=False),
        sa.Column("access_version", sa.Integer(), nullable=False),
        sa.Column(
            "invite_state",
            sa.Enum("pending", "sent", "joined", name="invitestate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_attendee_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendee")),
        sa.UniqueConstraint("badge_code", name=op.f("uq_attendee_badge_code")),
        sa.UniqueConstraint("event_id", "email", name=op.f("uq_attendee_event_id_email")),
    )
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.create_index("ix_attendee_event_id_name", ["event_id", "name"], unique=False)

    op.create_table(
        "feed_ticket",
        sa.Column("organiser_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_feed_ticket_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organiser.id"],
            name=op.f("fk_feed_ticket_organiser_id_organiser"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_ticket")),
    )
    with op.batch_alter_table("feed_ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_ticket_organiser_id"), ["organiser_id"], unique=False)

    op.create_table(
        "encounter",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("scanner_id", sa.Uuid(), nullable=False),
        sa.Column("scanned_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("device_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scan_count", sa.Integer(), nullable=False),
        sa.Column("mutual", sa.Boolean(), nullable=False),
        sa.Column(
            "follow_up",
            sa.Enum("todo", "done", name="followupstate", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "rating IS NULL OR (rating BETWEEN 1 AND 5)", name=op.f("ck_encounter_rating_range")
        ),
        sa.CheckConstraint("scanner_id <> scanned_id", name=op.f("ck_encounter_not_self")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_encounter_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["scanned_id"],
            ["attendee.id"],
            name=op.f("fk_encounter_scanned_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scanner_id"],
            ["attendee.id"],
            name=op.f("fk_encounter_scanner_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounter")),
        sa.UniqueConstraint("event_id", "seq", name=op.f("uq_encounter_event_id_seq")),
        sa.UniqueConstraint("scanner_id", "scanned_id", name=op.f("uq_encounter_scanner_id_scanned_id")),
    )
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.create_index("ix_encounter_event_id_met_at", ["event_id", "met_at"], unique=False)
        batch_op.create_index("ix_encounter_scanned_id", ["scanned_id"], unique=False)
        batch_op.create_index("ix_encounter_scanner_id_met_at", ["scanner_id", "met_at"], unique=False)

    op.create_table(
        "scan",
        sa.Column("scanner_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("encounter_id", sa.Uuid(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounter.id"],
            name=op.f("fk_scan_encounter_id_encounter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scanner_id"],
            ["attendee.id"],
            name=op.f("fk_scan_scanner_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("scanner_id", "client_id", name=op.f("pk_scan")),
    )
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scan_encounter_id"), ["encounter_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scan_encounter_id"))

    op.drop_table("scan")
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.drop_index("ix_encounter_scanner_id_met_at")
        batch_op.drop_index("ix_encounter_scanned_id")
        batch_op.drop_index("ix_encounter_event_id_met_at")

    op.drop_table("encounter")
    with op.batch_alter_table("feed_ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_ticket_organiser_id"))

    op.drop_table("feed_ticket")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_index("ix_attendee_event_id_name")

    op.drop_table("attendee")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_organiser_id"))

    op.drop_table("event")
    op.drop_table("organiser")
