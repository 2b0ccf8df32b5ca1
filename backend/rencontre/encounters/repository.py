"""Every query of the scan path, set at a time: a group of scans costs the same few statements as one."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, RowMapping, Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Encounter, Event, Scan

_encounter: Table = Encounter.__table__  # type: ignore[assignment]
_scan: Table = Scan.__table__  # type: ignore[assignment]


async def lock_events(session: AsyncSession, event_ids: Collection[uuid.UUID]) -> None:
    """Hold these events until commit: every writer of an event's scans takes this lock first.

    In id order, so that two groups spanning the same events never wait on each other in
    a circle. Nothing to do on SQLite: its writers hold the whole database (``BEGIN IMMEDIATE``).
    """
    if session.get_bind().dialect.name == "sqlite":
        return
    await session.execute(
        select(Event.id).where(Event.id.in_(sorted(event_ids))).order_by(Event.id).with_for_update()
    )


async def scans(
    session: AsyncSession, keys: Collection[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], RowMapping]:
    """The scans already recorded under these (scanner id, client id), by key."""
    if not keys:
        return {}
    scanners = {scanner_id for scanner_id, _ in keys}
    client_ids = {client_id for _, client_id in keys}
    rows = await session.execute(
        select(
            _scan.c.scanner_id, _scan.c.client_id, _scan.c.encounter_id, _scan.c.fingerprint, _scan.c.created
        ).where(_scan.c.scanner_id.in_(scanners), _scan.c.client_id.in_(client_ids))
    )
    # The two IN lists may match a few more rows than asked for: only the keys asked are kept.
    found: dict[tuple[uuid.UUID, uuid.UUID], RowMapping] = {}
    for row in rows:
        key = (row.scanner_id, row.client_id)
        if key in keys:
            found[key] = row._mapping
    return found


async def encounters(
    session: AsyncSession,
    pairs: Collection[tuple[uuid.UUID, uuid.UUID]],
    ids: Collection[uuid.UUID],
) -> list[Row[Any]]:
    """The contacts of these (scanner, scanned) pairs and with these ids, locked until commit.

    Read as rows: the service keeps their state and writes them back with :func:`save`.
    """
    people = {person for pair in pairs for person in pair}
    if not people and not ids:
        return []
    condition: ColumnElement[bool] = _encounter.c.id.in_(ids)
    if people:
        condition = condition | (_encounter.c.scanner_id.in_(people) & _encounter.c.scanned_id.in_(people))
    rows = await session.execute(select(_encounter).where(condition).with_for_update())
    return [row for row in rows if row.id in ids or (row.scanner_id, row.scanned_id) in pairs]


async def people(session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Attendee]:
    if not ids:
        return {}
    return {
        person.id: person for person in await session.scalars(select(Attendee).where(Attendee.id.in_(ids)))
    }


async def take_feed_seqs(session: AsyncSession, event_id: uuid.UUID, count: int) -> int:
    """Reserve ``count`` feed numbers of the event; returns the first. Holds the event row until commit."""
    last = await session.scalar(
        update(Event)
        .where(Event.id == event_id)
        .values(feed_seq=Event.feed_seq + count)
        .returning(Event.feed_seq),
        execution_options={"synchronize_session": False},
    )
    assert last is not None
    return int(last) - count + 1


async def add_encounters(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        await session.execute(insert(_encounter), list(rows))


_CHANGEABLE = ("note", "tags", "rating", "scan_count", "last_scanned_at", "mutual", "updated_at")


async def save(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write back what a scan may change of existing contacts (``id`` plus :data:`_CHANGEABLE`)."""
    if rows:
        statement = (
            update(_encounter)
            .where(_encounter.c.id == bindparam("_id"))
            .values({name: bindparam(f"_{name}") for name in _CHANGEABLE})
        )
        params = [{f"_{name}": row[name] for name in ("id", *_CHANGEABLE)} for row in rows]
        await session.execute(statement, params)


async def add_scans(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        await session.execute(insert(_scan), list(rows))


async def touch(session: AsyncSession, attendee_ids: Collection[uuid.UUID], now: datetime) -> None:
    await session.execute(
        update(Attendee).where(Attendee.id.in_(attendee_ids)).values(last_seen_at=now),
        execution_options={"synchronize_session": False},
    )
