"""suggestions version: a number per event bumped by every write of its stored lists

A process keeps an event's lists in memory between recomputes and trusts them only while
this number is the one it last wrote or read; any other instance's write moves it on.

Revision ID: a18c0e550301
Revises: a18c0e550201
Create Date: 2026-12-05 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a18c0e550301"
down_revision: str | None = "a18c0e550201"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("suggestions_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("suggestions_version")
