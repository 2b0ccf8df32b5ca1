"""photos and objectives: profile photos, several objectives and "other" in a few words

Revision ID: a16c0e550401
Revises: a20c0e550102
Create Date: 2026-12-05 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a16c0e550401"
down_revision: str | None = "a20c0e550102"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns as this migration sees them, whatever the models become later.
_attendee = sa.table(
    "attendee",
    sa.column("id", sa.Uuid()),
    sa.column("objective", sa.String(40)),
    sa.column("objectives", sa.JSON()),
)


def upgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("objectives", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("objective_other", sa.String(length=60), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("photo_key", sa.String(length=32), nullable=True))

    connection = op.get_bind()
    connection.execute(sa.update(_attendee).values(objectives=[]))
    chosen = connection.execute(
        sa.select(_attendee.c.id, _attendee.c.objective).where(_attendee.c.objective != "")
    ).all()
    for attendee_id, objective in chosen:
        connection.execute(
            sa.update(_attendee).where(_attendee.c.id == attendee_id).values(objectives=[objective])
        )

    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.alter_column("objectives", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("objective")

    op.create_table(
        "profile_photo",
        sa.Column("attendee_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("small", sa.LargeBinary(), nullable=False),
        sa.Column("medium", sa.LargeBinary(), nullable=False),
        sa.Column("large", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendee_id"],
            ["attendee.id"],
            name=op.f("fk_profile_photo_attendee_id_attendee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attendee_id", name=op.f("pk_profile_photo")),
        sa.UniqueConstraint("key", name=op.f("uq_profile_photo_key")),
    )


def downgrade() -> None:
    op.drop_table("profile_photo")
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("objective", sa.String(length=40), server_default="", nullable=False))

    connection = op.get_bind()
    rows = connection.execute(sa.select(_attendee.c.id, _attendee.c.objectives)).all()
    for attendee_id, objectives in rows:
        if objectives:
            connection.execute(
                sa.update(_attendee).where(_attendee.c.id == attendee_id).values(objective=objectives[0])
            )

    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_column("photo_key")
        batch_op.drop_column("objective_other")
        batch_op.drop_column("objectives")
