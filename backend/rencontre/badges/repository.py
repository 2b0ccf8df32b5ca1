from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import CursorResult, Row, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Event


@dataclass(frozen=True, slots=True)
class Person:
    """An attendee as a badge shows them: who they are, their badge, their card's fields.

    A snapshot of plain values, not an ORM object: a batch of offline scans reads hundreds
    of holders, and the recent ones are kept between requests (``badges.service``).
    """

    id: uuid.UUID
    event_id: uuid.UUID
    badge_code: str
    badge_version: int
    deleted_at: datetime | None
    name: str
    company: str
    job_title: str
    pitch: str
    objective: str
    interests: tuple[str, ...]
    shared_fields: tuple[str, ...]
    email: str
    phone: str
    website: str
    linkedin: str
    # When they arrived at the venue, if known (see rencontre.presence).
    arrived_at: datetime | None = None
    # Who-to-meet: part of the public card.
    offers: tuple[str, ...] = ()
    seeks: tuple[str, ...] = ()
    open_to_chat: bool = False


@dataclass(frozen=True, slots=True)
class Holder:
    """The attendee a badge names, with what their event says about badges and its hours."""

    attendee: Person
    event_code: str
    event_timezone: str
    event_starts_at: datetime | None = None
    event_ends_at: datetime | None = None

    def event_on(self, now: datetime) -> bool:
        """Whether ``now`` falls within the event's hours: a scan then means its two people are there."""
        return (
            self.event_starts_at is not None
            and self.event_ends_at is not None
            and self.event_starts_at <= now <= self.event_ends_at
        )


_attendee: Table = Attendee.__table__  # type: ignore[assignment]
_event: Table = Event.__table__  # type: ignore[assignment]
_PERSON_FIELDS = tuple(field.name for field in fields(Person))
_HOLDERS = (
    select(
        *(_attendee.c[name] for name in _PERSON_FIELDS),
        _event.c.badge_code.label("event_code"),
        _event.c.timezone,
        _event.c.starts_at,
        _event.c.ends_at,
    )
    .join(_event, _event.c.id == _attendee.c.event_id)
    .where(_attendee.c.badge_code.in_(bindparam("codes", expanding=True)))
)


async def holders(session: AsyncSession, attendee_codes: Collection[str]) -> dict[str, Holder]:
    """The attendees these badge codes name, by code; a code that names nobody is absent."""
    if not attendee_codes:
        return {}
    found: dict[str, Holder] = {}
    for row in await session.execute(_HOLDERS, {"codes": list(attendee_codes)}):
        values = dict(zip(_PERSON_FIELDS, row, strict=False))
        # Lists from JSON columns become tuples: the snapshot is shared, it must not change.
        values["interests"] = tuple(values["interests"] or ())
        values["shared_fields"] = tuple(values["shared_fields"] or ())
        values["offers"] = tuple(values["offers"] or ())
        values["seeks"] = tuple(values["seeks"] or ())
        person = Person(**values)
        found[person.badge_code] = Holder(
            attendee=person,
            event_code=row.event_code,
            event_timezone=row.timezone,
            event_starts_at=row.starts_at,
            event_ends_at=row.ends_at,
        )
    return found


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


async def mark_printed(session: AsyncSession, event_id: uuid.UUID, ids: Sequence[uuid.UUID] | None) -> int:
    """Record each badge's current version as printed; how many attendees that was."""
    query = update(Attendee).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
    if ids is not None:
        query = query.where(Attendee.id.in_(ids))
    result = await session.execute(
        query.values(badge_printed_version=Attendee.badge_version).execution_options(
            synchronize_session=False
        )
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


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
