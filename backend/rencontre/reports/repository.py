"""Aggregate queries over an event's connections; none returns who met whom."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Encounter, InviteState


@dataclass(frozen=True)
class ConnectionTotals:
    connections: int
    unique_pairs: int
    scanners: int


@dataclass(frozen=True)
class AttendeeTotals:
    attendees: int
    joined: int
    arrived: int = 0
    introduced: int = 0


async def connection_totals(session: AsyncSession, event_id: uuid.UUID) -> ConnectionTotals:
    of_event = Encounter.event_id == event_id
    connections, scanners = (
        await session.execute(
            select(func.count(), func.count(func.distinct(Encounter.scanner_id))).where(of_event)
        )
    ).one()
    lower = case(
        (Encounter.scanner_id < Encounter.scanned_id, Encounter.scanner_id), else_=Encounter.scanned_id
    )
    upper = case(
        (Encounter.scanner_id < Encounter.scanned_id, Encounter.scanned_id), else_=Encounter.scanner_id
    )
    pairs = select(lower.label("a"), upper.label("b")).where(of_event).distinct().subquery()
    unique_pairs = await session.scalar(select(func.count()).select_from(pairs))
    return ConnectionTotals(int(connections), int(unique_pairs or 0), int(scanners))


async def attendee_totals(session: AsyncSession, event_id: uuid.UUID) -> AttendeeTotals:
    attendees, joined, arrived, introduced = (
        await session.execute(
            select(
                func.count(),
                func.count(case((Attendee.invite_state == InviteState.joined, 1))),
                func.count(Attendee.arrived_at),
                func.count(Attendee.introduced_at),
            ).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
        )
    ).one()
    return AttendeeTotals(int(attendees), int(joined), int(arrived), int(introduced))


async def partner_counts(session: AsyncSession, event_id: uuid.UUID) -> list[int]:
    """For each present attendee with at least one connection: how many distinct people."""
    both_ways = union(
        select(Encounter.scanner_id.label("person"), Encounter.scanned_id.label("other")).where(
            Encounter.event_id == event_id
        ),
        select(Encounter.scanned_id.label("person"), Encounter.scanner_id.label("other")).where(
            Encounter.event_id == event_id
        ),
    ).subquery()
    rows = await session.scalars(
        select(func.count())
        .select_from(both_ways)
        .join(Attendee, Attendee.id == both_ways.c.person)
        .where(Attendee.deleted_at.is_(None))
        .group_by(both_ways.c.person)
    )
    return [int(n) for n in rows]


async def met_times(session: AsyncSession, event_id: uuid.UUID) -> list[datetime]:
    return list(await session.scalars(select(Encounter.met_at).where(Encounter.event_id == event_id)))
