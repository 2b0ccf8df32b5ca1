"""the live feed names only connections made after names were turned on, across instances

Revision ID: a14c0e550004
Revises: a14c0e550003
Create Date: 2026-12-04 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a14c0e550004"
down_revision: str | None = "a14c0e550003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_names_from_seq", sa.Integer(), nullable=True))
    # Events that show names already: from now on, never the connections made before.
    op.execute("UPDATE event SET feed_names_from_seq = feed_seq WHERE feed_shows_names")


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("feed_names_from_seq")
