"""Every query on an attendee's own contacts: always scoped by the scanner."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Select, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.contacts.versions import Version
from rencontre.models import Attendee, Encounter, Event, FollowUpState, Scan

ContactRow = tuple[Encounter, Attendee]


def _own(scanner_id: uuid.UUID) -> Select[Encounter, Attendee]:
    return (
        select(Encounter, Attendee)
        .join(Attendee, Attendee.id == Encounter.scanned_id)
        .where(Encounter.scanner_id == scanner_id)
    )


async def page(
    session: AsyncSession,
    scanner_id: uuid.UUID,
    *,
    rating: int | None = None,
    mutual: bool | None = None,
    follow_up: FollowUpState | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
    limit: int | None = None,
) -> list[ContactRow]:
    """Own contacts newest first (met_at, then id, descending), after the keyset ``after``."""
    statement = _own(scanner_id)
    if rating is not None:
        statement = statement.where(Encounter.rating == rating)
    if mutual is not None:
        statement = statement.where(Encounter.mutual.is_(mutual))
    if follow_up is not None:
        statement = statement.where(Encounter.follow_up == follow_up)
    if after is not None:
        met_at, contact_id = after
        statement = statement.where(
            or_(
                Encounter.met_at < met_at,
                and_(Encounter.met_at == met_at, Encounter.id < contact_id),
            )
        )
    statement = statement.order_by(Encounter.met_at.desc(), Encounter.id.desc())
    if limit is not None:
        statement = statement.limit(limit)
    rows = await session.execute(statement)
    return [(encounter, person) for encounter, person in rows]


async def get(
    session: AsyncSession, scanner_id: uuid.UUID, contact_id: uuid.UUID, *, for_update: bool = False
) -> ContactRow | None:
    """One own contact; ``for_update`` locks it (PostgreSQL) so a concurrent rescan waits."""
    statement = _own(scanner_id).where(Encounter.id == contact_id)
    if for_update:
        statement = statement.with_for_update(of=Encounter)
    row = (await session.execute(statement)).first()
    return None if row is None else (row[0], row[1])


async def write(
    session: AsyncSession, contact_id: uuid.UUID, values: Mapping[str, Any], *, seen: Version | None
) -> bool:
    """Write an edit; with ``seen``, only if the contact is still at that version (compare-and-set).

    The version check is part of the UPDATE itself, so of two edits made on the same
    version exactly one finds the row unchanged, whatever the isolation level or lock;
    the row count says whether this one did. The caller refreshes the contact after.
    """
    statement = update(Encounter).where(Encounter.id == contact_id).values(**values)
    if seen is not None:
        statement = statement.where(
            Encounter.updated_at == seen.updated_at, Encounter.scan_count == seen.scan_count
        )
    result = await session.execute(statement, execution_options={"synchronize_session": False})
    assert isinstance(result, CursorResult)
    return bool(result.rowcount == 1)


async def event(session: AsyncSession, event_id: uuid.UUID) -> Event:
    found = await session.get(Event, event_id)
    assert found is not None, "an attendee always belongs to an event"
    return found


async def scans_by(session: AsyncSession, scanner_id: uuid.UUID) -> list[Scan]:
    rows = await session.scalars(
        select(Scan).where(Scan.scanner_id == scanner_id).order_by(Scan.received_at, Scan.client_id)
    )
    return list(rows)


async def times_scanned(session: AsyncSession, scanned_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Encounter).where(Encounter.scanned_id == scanned_id)
    )
    return int(count or 0)


async def partners(session: AsyncSession, attendee_id: uuid.UUID) -> set[uuid.UUID]:
    """Everyone with a contact of or from this attendee."""
    scanned = select(Encounter.scanned_id).where(Encounter.scanner_id == attendee_id)
    scanners = select(Encounter.scanner_id).where(Encounter.scanned_id == attendee_id)
    return set((await session.scalars(scanned.union(scanners))).all())


async def delete_authored(session: AsyncSession, scanner_id: uuid.UUID) -> None:
    """Remove every contact (with its note) and scan record this attendee made."""
    await session.execute(
        delete(Scan).where(Scan.scanner_id == scanner_id), execution_options={"synchronize_session": False}
    )
    await session.execute(
        delete(Encounter).where(Encounter.scanner_id == scanner_id),
        execution_options={"synchronize_session": False},
    )


async def clear_mutual_towards(session: AsyncSession, scanned_id: uuid.UUID) -> None:
    """Contacts pointing at someone whose own scans are gone are no longer mutual."""
    await session.execute(
        update(Encounter)
        .where(Encounter.scanned_id == scanned_id, Encounter.mutual.is_(True))
        .values(mutual=False),
        execution_options={"synchronize_session": False},
    )
