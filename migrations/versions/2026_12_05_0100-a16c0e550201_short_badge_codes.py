"""short badge codes: a six-character code per badge, unique within its event, and its sealing key

Revision ID: a16c0e550201
Revises: a19c0e550102
Create Date: 2026-12-05 01:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a16c0e550201"
down_revision: str | None = "a19c0e550102"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy, not an import: a migration must not change when the application's code does.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LENGTH = 6


def upgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_code", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("short_code_key", sa.String(length=80), nullable=True))
    attendee = sa.table(
        "attendee", sa.column("id", sa.Uuid()), sa.column("event_id", sa.Uuid()), sa.column("short_code")
    )
    connection = op.get_bind()
    taken: dict[object, set[str]] = {}
    rows = connection.execute(sa.select(attendee.c.id, attendee.c.event_id)).all()
    for attendee_id, event_id in rows:
        codes = taken.setdefault(event_id, set())
        code = _draw()
        while code in codes:
            code = _draw()
        codes.add(code)
        connection.execute(attendee.update().where(attendee.c.id == attendee_id).values(short_code=code))
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.alter_column("short_code", existing_type=sa.String(length=8), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_attendee_event_id_short_code"), ["event_id", "short_code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("attendee", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_attendee_event_id_short_code"), type_="unique")
        batch_op.drop_column("short_code_key")
        batch_op.drop_column("short_code")


def _draw() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
