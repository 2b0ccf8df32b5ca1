"""attendees keep their registration tool's id, so re-imports find them

Revision ID: a17c0e550002
Revises: a14c0e550004
Create Date: 2026-12-04 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a17c0e550002"
down_revision: str | None = "a14c0e550004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registration_id", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_attendee_event_id_registration_id"), ["event_id", "registration_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_attendee_event_id_registration_id"), type_="unique")
        batch_op.drop_column("registration_id")
