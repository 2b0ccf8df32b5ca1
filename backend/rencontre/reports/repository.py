"""Aggregate queries over an event's connections; none returns who met whom."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Encounter, FollowUpState, InviteState


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
    invited: int = 0


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
    attendees, joined, arrived, introduced, invited = (
        await session.execute(
            select(
                func.count(),
                func.count(case((Attendee.invite_state == InviteState.joined, 1))),
                func.count(Attendee.arrived_at),
                func.count(Attendee.introduced_at),
                # Handed their link: sent by e-mail or through the CSV, or already joined.
                func.count(case((Attendee.invite_state.in_((InviteState.sent, InviteState.joined)), 1))),
            ).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
        )
    ).one()
    return AttendeeTotals(int(attendees), int(joined), int(arrived), int(introduced), int(invited))


async def badges_to_reprint(session: AsyncSession, event_id: uuid.UUID) -> int:
    """Attendees whose current badge was never in a downloaded PDF: added or re-issued since."""
    count = await session.scalar(
        select(func.count()).where(
            Attendee.event_id == event_id,
            Attendee.deleted_at.is_(None),
            or_(
                Attendee.badge_printed_version.is_(None),
                Attendee.badge_printed_version != Attendee.badge_version,
            ),
        )
    )
    return int(count or 0)


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


@dataclass(frozen=True)
class FollowUpRow:
    met_at: datetime
    done: bool
    followed_up_at: datetime | None


async def follow_ups(session: AsyncSession, event_id: uuid.UUID) -> list[FollowUpRow]:
    rows = await session.execute(
        select(Encounter.met_at, Encounter.follow_up, Encounter.followed_up_at).where(
            Encounter.event_id == event_id
        )
    )
    return [FollowUpRow(met, state == FollowUpState.done, at) for met, state, at in rows]


@dataclass(frozen=True)
class Profile:
    attendee_id: uuid.UUID
    objectives: list[str]
    interests: list[str]


async def profiles(session: AsyncSession, event_id: uuid.UUID) -> list[Profile]:
    """Objectives and interests of the event's present attendees (nothing that names them).

    Only the objectives' codes: the words an attendee wrote for "other" could name them.
    """
    rows = await session.execute(
        select(Attendee.id, Attendee.objectives, Attendee.interests).where(
            Attendee.event_id == event_id, Attendee.deleted_at.is_(None)
        )
    )
    return [
        Profile(id_, list(objectives or []), list(interests or [])) for id_, objectives, interests in rows
    ]


async def pairs(session: AsyncSession, event_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Scanner and scanned of each contact; only ever reduced to counts by the service."""
    rows = await session.execute(
        select(Encounter.scanner_id, Encounter.scanned_id).where(Encounter.event_id == event_id)
    )
    return [(scanner, scanned) for scanner, scanned in rows]
