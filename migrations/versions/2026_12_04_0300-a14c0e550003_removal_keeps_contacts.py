"""removal keeps contacts: no cascade from the scanned attendee to the contact

Revision ID: a14c0e550003
Revises: 9a9d10e4a504
Create Date: 2026-12-04 03:00:00.000000

On SQLite the batch mode rebuilds ``encounter`` (copy, drop, rename). With foreign
keys on, dropping the old table deletes its rows first and that delete cascades to
``scan``: the scan records are set aside in a temporary table and put back.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a14c0e550003"
down_revision: str | None = "a14c0e550002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = "fk_encounter_scanned_id_attendee"


def _rebuild_scanned_fk(ondelete: str | None) -> None:
    # SQLite rebuilds the table; env.py runs migrations with foreign keys off, so the
    # rebuild's drop cascades into no scan record.
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.drop_constraint(_FK, type_="foreignkey")
        batch_op.create_foreign_key(_FK, "attendee", ["scanned_id"], ["id"], ondelete=ondelete)


def upgrade() -> None:
    _rebuild_scanned_fk(None)


def downgrade() -> None:
    _rebuild_scanned_fk("CASCADE")
