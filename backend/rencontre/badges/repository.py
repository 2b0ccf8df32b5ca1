from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Event


@dataclass(frozen=True)
class Holder:
    """The attendee a badge names, with what their event says about badges."""

    attendee: Attendee
    event_code: str
    event_timezone: str


async def holders(session: AsyncSession, attendee_codes: Collection[str]) -> dict[str, Holder]:
    """The attendees these badge codes name, by code; a code that names nobody is absent."""
    if not attendee_codes:
        return {}
    rows = await session.execute(
        select(Attendee, Event.badge_code, Event.timezone)
        .join(Event, Event.id == Attendee.event_id)
        .where(Attendee.badge_code.in_(attendee_codes))
    )
    return {
        attendee.badge_code: Holder(attendee=attendee, event_code=event_code, event_timezone=timezone)
        for attendee, event_code, timezone in rows
    }


async def event_codes(session: AsyncSession, event_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await session.execute(select(Event.id, Event.badge_code).where(Event.id.in_(event_ids)))
    return {event_id: code for event_id, code in rows}


async def event_code(session: AsyncSession, event_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Event.badge_code).where(Event.id == event_id))


async def directory(
    session: AsyncSession, event_id: uuid.UUID
) -> Sequence[Row[str, str, str, str, str, str, list[str]]]:
    rows = await session.execute(
        select(
            Attendee.badge_code,
            Attendee.name,
            Attendee.company,
            Attendee.job_title,
            Attendee.pitch,
            Attendee.objective,
            Attendee.interests,
        )
        .where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
        .order_by(Attendee.name, Attendee.id)
    )
    return rows.all()


async def live_attendee(
    session: AsyncSession, event_id: uuid.UUID, attendee_id: uuid.UUID
) -> Attendee | None:
    return await session.scalar(
        select(Attendee).where(
            Attendee.id == attendee_id, Attendee.event_id == event_id, Attendee.deleted_at.is_(None)
        )
    )


async def live_ids(session: AsyncSession, event_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    rows = await session.scalars(
        select(Attendee.id).where(
            Attendee.event_id == event_id, Attendee.deleted_at.is_(None), Attendee.id.in_(ids)
        )
    )
    return set(rows)


async def count_live(session: AsyncSession, event_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
    )
    return int(count or 0)


@dataclass(frozen=True)
class PrintRow:
    id: uuid.UUID
    name: str
    company: str
    job_title: str
    badge_code: str
    badge_version: int


async def print_page(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    ids: Sequence[uuid.UUID] | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[PrintRow]:
    """One page of badges to print, by name then id (keyset: never an OFFSET over 10,000 rows)."""
    statement = select(
        Attendee.id,
        Attendee.name,
        Attendee.company,
        Attendee.job_title,
        Attendee.badge_code,
        Attendee.badge_version,
    ).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
    if ids is not None:
        statement = statement.where(Attendee.id.in_(ids))
    if after is not None:
        name, attendee_id = after
        statement = statement.where(
            or_(Attendee.name > name, and_(Attendee.name == name, Attendee.id > attendee_id))
        )
    rows = await session.execute(statement.order_by(Attendee.name, Attendee.id).limit(limit))
    return [PrintRow(*row) for row in rows]
