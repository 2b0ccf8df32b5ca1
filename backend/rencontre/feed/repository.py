"""Every query of the live feed: tickets, and reading an event's connections by sequence number."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from rencontre.feed.room import Connection, Person
from rencontre.models import Attendee, Encounter, Event, FeedTicket


@dataclass(frozen=True, slots=True)
class Head:
    """Where an event's feed stands in the database."""

    feed_seq: int
    shows_names: bool
    organiser_id: uuid.UUID
    # Connections numbered above it may be named (None while names are off).
    names_from_seq: int | None = None


async def add_ticket(session: AsyncSession, ticket: FeedTicket) -> None:
    session.add(ticket)
    await session.flush()


async def purge_tickets(session: AsyncSession, organiser_id: uuid.UUID, expired_before: datetime) -> None:
    await session.execute(
        delete(FeedTicket).where(
            FeedTicket.organiser_id == organiser_id, FeedTicket.expires_at < expired_before
        ),
        execution_options={"synchronize_session": False},
    )


async def void_unused_tickets(session: AsyncSession, organiser_id: uuid.UUID) -> None:
    await session.execute(
        delete(FeedTicket).where(FeedTicket.organiser_id == organiser_id, FeedTicket.used_at.is_(None)),
        execution_options={"synchronize_session": False},
    )


async def claim_ticket(
    session: AsyncSession, ticket_id: uuid.UUID, event_id: uuid.UUID, now: datetime
) -> uuid.UUID | None:
    """Mark the ticket used if it is unused, unexpired and for this event; its organiser, else None.

    One statement, so two sockets racing with the same ticket cannot both win.
    """
    return await session.scalar(
        update(FeedTicket)
        .where(
            FeedTicket.id == ticket_id,
            FeedTicket.event_id == event_id,
            FeedTicket.used_at.is_(None),
            FeedTicket.expires_at > now,
        )
        .values(used_at=now)
        .returning(FeedTicket.organiser_id),
        execution_options={"synchronize_session": False},
    )


async def ticket(session: AsyncSession, ticket_id: uuid.UUID) -> FeedTicket | None:
    return await session.get(FeedTicket, ticket_id)


async def head(session: AsyncSession, event_id: uuid.UUID) -> Head | None:
    row = (
        await session.execute(
            select(
                Event.feed_seq, Event.feed_shows_names, Event.organiser_id, Event.feed_names_from_seq
            ).where(Event.id == event_id)
        )
    ).one_or_none()
    if row is None:
        return None
    return Head(row.feed_seq, row.feed_shows_names, row.organiser_id, row.feed_names_from_seq)


async def people(session: AsyncSession, event_id: uuid.UUID) -> dict[uuid.UUID, Person]:
    rows = await session.execute(
        select(
            Attendee.id,
            Attendee.name,
            Attendee.company,
            Attendee.arrived_at,
            Attendee.deleted_at,
            Attendee.introduced_at,
        ).where(Attendee.event_id == event_id)
    )
    return {
        row.id: Person(
            row.name, row.company, row.arrived_at, row.deleted_at is not None, row.introduced_at is not None
        )
        for row in rows
    }


async def connections(
    session: AsyncSession, event_id: uuid.UUID, *, after: int, upto: int
) -> list[Connection]:
    rows = await session.execute(
        select(Encounter.seq, Encounter.met_at, Encounter.scanner_id, Encounter.scanned_id)
        .where(Encounter.event_id == event_id, Encounter.seq > after, Encounter.seq <= upto)
        .order_by(Encounter.seq)
    )
    return [Connection(row.seq, row.met_at, row.scanner_id, row.scanned_id) for row in rows]


_SCANNER, _SCANNED = aliased(Attendee), aliased(Attendee)
# Built once: aliasing anew on every tick makes reference cycles the collector must then chase.
_NEW_CONNECTIONS = (
    select(
        Encounter.seq,
        Encounter.met_at,
        Encounter.scanner_id,
        Encounter.scanned_id,
        _SCANNER.name,
        _SCANNER.company,
        _SCANNER.deleted_at,
        _SCANNED.name,
        _SCANNED.company,
        _SCANNED.deleted_at,
    )
    .join(_SCANNER, _SCANNER.id == Encounter.scanner_id)
    .join(_SCANNED, _SCANNED.id == Encounter.scanned_id)
    .where(
        Encounter.event_id == bindparam("event_id"),
        Encounter.seq > bindparam("after"),
        Encounter.seq <= bindparam("upto"),
    )
    .order_by(Encounter.seq)
    .limit(bindparam("limit"))
)


async def new_connections(
    session: AsyncSession, event_id: uuid.UUID, *, after: int, upto: int, limit: int
) -> list[tuple[Connection, dict[uuid.UUID, Person]]]:
    """The connections after ``after``, each with the two people as they are now.

    Without their arrival: a scan may be what made them arrive, and presence moves on the
    feed's periodic refresh only, never with a connection (see ``service.apply_changes``).
    """
    rows = await session.execute(
        _NEW_CONNECTIONS, {"event_id": event_id, "after": after, "upto": upto, "limit": limit}
    )
    found = []
    for row in rows:
        seq, met_at, scanner_id, scanned_id = row[:4]
        found.append(
            (
                Connection(seq, met_at, scanner_id, scanned_id),
                {
                    scanner_id: Person(row[4], row[5], None, row[6] is not None),
                    scanned_id: Person(row[7], row[8], None, row[9] is not None),
                },
            )
        )
    return found


async def count_connections(session: AsyncSession, event_id: uuid.UUID, *, upto: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Encounter)
        .where(Encounter.event_id == event_id, Encounter.seq <= upto)
    )
    return int(count or 0)
