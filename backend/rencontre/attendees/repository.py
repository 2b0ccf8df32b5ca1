from __future__ import annotations

import uuid

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee


def _live(event_id: uuid.UUID) -> Select[Attendee]:
    return select(Attendee).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))


async def get(session: AsyncSession, event_id: uuid.UUID, attendee_id: uuid.UUID) -> Attendee | None:
    result = await session.scalars(_live(event_id).where(Attendee.id == attendee_id))
    return result.one_or_none()


async def email_taken(
    session: AsyncSession, event_id: uuid.UUID, email: str, *, besides: uuid.UUID | None = None
) -> bool:
    query = select(Attendee.id).where(
        Attendee.event_id == event_id, func.lower(Attendee.email) == email.lower()
    )
    if besides is not None:
        query = query.where(Attendee.id != besides)
    return (await session.scalar(query.limit(1))) is not None


async def existing_emails(session: AsyncSession, event_id: uuid.UUID) -> set[str]:
    rows = await session.scalars(select(func.lower(Attendee.email)).where(Attendee.event_id == event_id))
    return set(rows)


async def badge_codes_taken(session: AsyncSession, codes: list[str]) -> set[str]:
    rows = await session.scalars(select(Attendee.badge_code).where(Attendee.badge_code.in_(codes)))
    return set(rows)


async def short_codes_taken(session: AsyncSession, event_id: uuid.UUID, codes: list[str]) -> set[str]:
    rows = await session.scalars(
        select(Attendee.short_code).where(Attendee.event_id == event_id, Attendee.short_code.in_(codes))
    )
    return set(rows)


async def page(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    query: str | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> tuple[list[Attendee], int]:
    statement = _live(event_id)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            or_(
                func.lower(Attendee.name).like(pattern),
                func.lower(Attendee.email).like(pattern),
                func.lower(Attendee.company).like(pattern),
            )
        )
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    if after is not None:
        name, attendee_id = after
        statement = statement.where(
            or_(Attendee.name > name, (Attendee.name == name) & (Attendee.id > attendee_id))
        )
    rows = await session.scalars(statement.order_by(Attendee.name, Attendee.id).limit(limit))
    return list(rows), int(total or 0)


async def all_live(session: AsyncSession, event_id: uuid.UUID) -> list[Attendee]:
    return list(await session.scalars(_live(event_id).order_by(Attendee.name, Attendee.id)))
