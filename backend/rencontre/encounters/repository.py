"""Every query of the scan path, set at a time: a group of scans costs the same few statements as one.

Core statements on tables, built once at import with bound parameters (``expanding``
for the lists): a group pays neither for building nor for compiling them, nor for
ORM objects it would only read a few columns of.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Insert,
    Row,
    RowMapping,
    Select,
    Table,
    Text,
    Uuid,
    bindparam,
    case,
    cast,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from rencontre.db import dialect_of
from rencontre.models import Attendee, Encounter, Event, Scan

_encounter: Table = Encounter.__table__  # type: ignore[assignment]
_scan: Table = Scan.__table__  # type: ignore[assignment]
_attendee: Table = Attendee.__table__  # type: ignore[assignment]
_event: Table = Event.__table__  # type: ignore[assignment]

# SQLite parses an OR list as a tree at most 1,000 deep.
_PAIRS_PER_QUERY = 256


# Scan locks live in a key space of their own (the two-integer form of advisory locks never
# meets the one-bigint form other modules use).
_SCAN_LOCKS = 0x5CA9
_LOCK_KEYS = text(
    "SELECT count(pg_advisory_xact_lock(:space, key)) FROM unnest(CAST(:keys AS integer[])) AS key"
)


def pair_key(one: uuid.UUID, other: uuid.UUID) -> int:
    """The lock of a pair of people, whichever of them scans: the same for (a, b) and (b, a)."""
    first, second = sorted((one.bytes, other.bytes))
    return _key(b"pair" + first + second)


def client_key(scanner_id: uuid.UUID, client_id: uuid.UUID) -> int:
    """The lock of one phone's client id (two requests carrying it, for different people)."""
    return _key(b"scan" + scanner_id.bytes + client_id.bytes)


def _key(material: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(material, digest_size=4).digest(), "big", signed=True)


async def lock_keys(session: AsyncSession, keys: Collection[int]) -> None:
    """Hold these pairs and client ids until commit: every writer of a pair's contacts takes them first.

    In key order, in one statement, so that two groups sharing keys never wait on each other
    in a circle. Two keys that happen to share a hash only wait for each other: never wrong,
    at worst a little slower. Nothing to do on SQLite: its writers hold the whole database
    (``BEGIN IMMEDIATE``).
    """
    if keys and dialect_of(session).locks_rows:
        await session.execute(_LOCK_KEYS, {"space": _SCAN_LOCKS, "keys": sorted(set(keys))})


_SCANS = select(
    _scan.c.scanner_id, _scan.c.client_id, _scan.c.encounter_id, _scan.c.fingerprint, _scan.c.created
).where(
    _scan.c.scanner_id.in_(bindparam("scanners", expanding=True)),
    _scan.c.client_id.in_(bindparam("client_ids", expanding=True)),
)


async def scans(
    session: AsyncSession, keys: Collection[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], RowMapping]:
    """The scans already recorded under these (scanner id, client id), by key."""
    if not keys:
        return {}
    rows = await session.execute(
        _SCANS,
        {
            "scanners": list({scanner_id for scanner_id, _ in keys}),
            "client_ids": list({client_id for _, client_id in keys}),
        },
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
    rows: list[Row[Any]] = []
    if ids:
        rows.extend(
            await session.execute(select(_encounter).where(_encounter.c.id.in_(ids)).with_for_update())
        )
    listed = list(pairs)
    if listed and dialect_of(session).binds_arrays:
        arrays = {"scanners": [pair[0] for pair in listed], "scanned": [pair[1] for pair in listed]}
        rows.extend(await session.execute(_PAIRS_POSTGRESQL, arrays))
        listed = []
    for start in range(0, len(listed), _PAIRS_PER_QUERY):
        chunk = listed[start : start + _PAIRS_PER_QUERY]
        size = _PAIRS_PER_QUERY if len(chunk) > _PAIRS_PER_QUERY // 2 else 1 << (len(chunk) - 1).bit_length()
        chunk += chunk[-1:] * (size - len(chunk))  # the last pair again: same rows, one statement per size
        params = {f"p{k}_{side}": person for k, pair in enumerate(chunk) for side, person in enumerate(pair)}
        rows.extend(await session.execute(_pairs_statement(size), params))
    return list({row.id: row for row in rows}.values())  # a contact asked for twice, once


# PostgreSQL joins the pairs as two arrays unnested side by side: one statement and two
# parameters whatever the count, planned once (a long OR list is planned on every call).
_pairs = (
    func.unnest(bindparam("scanners", type_=ARRAY(Uuid())), bindparam("scanned", type_=ARRAY(Uuid())))
    .table_valued("scanner_id", "scanned_id")
    .render_derived(name="pairs", with_types=False)
)
_PAIRS_POSTGRESQL = (
    select(_encounter)
    .join(
        _pairs,
        (_encounter.c.scanner_id == _pairs.c.scanner_id) & (_encounter.c.scanned_id == _pairs.c.scanned_id),
    )
    .with_for_update(of=_encounter)
)


@functools.cache
def _pairs_statement(count: int) -> Select[Any]:
    """The contacts of ``count`` exact (scanner, scanned) pairs, bound as ``p{k}_0``, ``p{k}_1``.

    One equality per pair, not ``scanner IN (…) AND scanned IN (…)``: people who meet in
    the same group (a speed-meeting round) already know each other, and that cross product
    would read all their contacts. Each term is one lookup in the (scanner, scanned) unique
    index on both databases (SQLite uses no index for a row-value IN list). Sizes are powers
    of two (the caller pads), built once each: building a statement of 250 pairs costs tens
    of milliseconds, which a group must not pay for every size it happens to have.
    """
    return (
        select(_encounter)
        .where(
            or_(
                *(
                    (_encounter.c.scanner_id == bindparam(f"p{k}_0", type_=_encounter.c.scanner_id.type))
                    & (_encounter.c.scanned_id == bindparam(f"p{k}_1", type_=_encounter.c.scanned_id.type))
                    for k in range(count)
                )
            )
        )
        .with_for_update()
    )


@dataclass(frozen=True, slots=True)
class Scanner:
    """What a group needs of the people scanning: whether their session stands, their language,
    and whether their notes are locked (see passkeys)."""

    id: uuid.UUID
    event_id: uuid.UUID
    access_version: int
    deleted_at: datetime | None
    language: str
    has_passkey: bool
    arrived_at: datetime | None


# Read without a lock: the scanners are marked seen (and arrived) at the end, with
# everyone else the group touches, in one statement (see :func:`touch`).
_SCANNERS = select(
    _attendee.c.id,
    _attendee.c.event_id,
    _attendee.c.access_version,
    _attendee.c.deleted_at,
    _attendee.c.language,
    _attendee.c.has_passkey,
    _attendee.c.arrived_at,
).where(_attendee.c.id.in_(bindparam("ids", expanding=True)))


async def scanners(session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Scanner]:
    """The scanners of a group.

    Read as plain rows: a group reads every scanner in it, and ORM objects cost ten times more.
    """
    if not ids:
        return {}
    rows = await session.execute(_SCANNERS, {"ids": list(ids)})
    return {row.id: Scanner(*row) for row in rows}


# The scanners marked seen (a deleted account keeps no trace of being seen) and, arrival by
# scan, the people not known to have arrived marked so, never overwriting an earlier arrival
# (a check-in at the door, a scan committed meanwhile). One statement for both: every
# person's row is taken in the same (index) order by every group, so two groups touching
# the same people never wait on each other in a circle.
_now = bindparam("now", type_=_attendee.c.last_seen_at.type)
_TOUCH = (
    update(_attendee)
    .where(_attendee.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        last_seen_at=case(
            (
                _attendee.c.id.in_(bindparam("seen", expanding=True)),
                case((_attendee.c.deleted_at.is_(None), _now), else_=None),
            ),
            else_=_attendee.c.last_seen_at,
        ),
        arrived_at=case(
            (
                _attendee.c.id.in_(bindparam("arriving", expanding=True))
                & _attendee.c.arrived_at.is_(None)
                & _attendee.c.deleted_at.is_(None),
                _now,
            ),
            else_=_attendee.c.arrived_at,
        ),
    )
)


async def touch(
    session: AsyncSession, seen: Collection[uuid.UUID], arriving: Collection[uuid.UUID], now: datetime
) -> None:
    """Mark the group's scanners seen at ``now`` and the people its scans show at the venue arrived."""
    ids = sorted({*seen, *arriving})
    if ids:
        await session.execute(
            _TOUCH, {"ids": ids, "seen": sorted(seen), "arriving": sorted(arriving), "now": now}
        )


async def people(session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Attendee]:
    if not ids:
        return {}
    return {
        person.id: person for person in await session.scalars(select(Attendee).where(Attendee.id.in_(ids)))
    }


_TAKE_FEED_SEQS = (
    update(_event)
    .where(_event.c.id == bindparam("event_id"))
    .values(feed_seq=_event.c.feed_seq + bindparam("count"))
    .returning(_event.c.feed_seq)
)


async def take_feed_seqs(session: AsyncSession, event_id: uuid.UUID, count: int) -> int:
    """Reserve ``count`` feed numbers of the event; returns the first. Holds the event row until commit."""
    last = await session.scalar(_TAKE_FEED_SEQS, {"event_id": event_id, "count": count})
    assert last is not None
    return int(last) - count + 1


async def add_encounters(session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    await _insert_many(session, _encounter, rows)


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
    await _insert_many(session, _scan, rows)


async def _insert_many(session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows holding every column of ``table`` (a column a row leaves out takes its
    scalar default: a column added later needs no change to the scan path).

    On PostgreSQL as one ``INSERT … SELECT FROM unnest(…)`` with an array per column: the
    driver's executemany runs the insert once per row (a batch of 500 scans spent 110 ms
    there), this runs it once, from a statement planned once. SQLite's executemany is a
    loop in C over one prepared statement already.
    """
    if not rows:
        return
    if dialect_of(session).binds_arrays:
        columns = {
            column.name: [_json_text(row.get(column.name, _default(column))) for row in rows]
            if isinstance(column.type, JSON)
            else [row.get(column.name, _default(column)) for row in rows]
            for column in table.columns
        }
        await session.execute(_UNNEST_INSERTS[table.name], columns)
    else:
        await session.execute(insert(table), list(rows))


def _unnest_insert(table: Table) -> Insert:
    columns = list(table.columns)
    # JSON travels as text (PostgreSQL has json[], but the driver sends its items as text anyway).
    arrays = [bindparam(c.name, type_=ARRAY(Text() if isinstance(c.type, JSON) else c.type)) for c in columns]
    unnested = func.unnest(*arrays).table_valued(*(c.name for c in columns)).render_derived(with_types=False)
    values = [
        cast(unnested.c[c.name], JSON) if isinstance(c.type, JSON) else unnested.c[c.name] for c in columns
    ]
    return insert(table).from_select(columns, select(*values))


def _default(column: Column[Any]) -> Any:
    default = column.default
    return default.arg if isinstance(default, ScalarElementColumnDefault) else None


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


_UNNEST_INSERTS = {table.name: _unnest_insert(table) for table in (_encounter, _scan)}
