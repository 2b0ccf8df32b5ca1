"""Every query of push subscriptions and reminders.

A reminder is sent by one instance only: the contacts it covers are marked by a
conditional update (``reminder_stage < due stage``), then the attendee's budget is taken by
another (``not_before`` passed, the day's count under the cap). A second instance running
the same round waits on those rows (PostgreSQL) or on the write lock (SQLite), then finds
nothing left to claim; a failure rolls both back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.db import dialect_of
from rencontre.models import Attendee, Encounter, Event, FollowUpState, PushRecipient, PushSubscription


async def subscription_by_endpoint(session: AsyncSession, endpoint: str) -> PushSubscription | None:
    found: PushSubscription | None = await session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    )
    return found


async def subscriptions_of(
    session: AsyncSession, attendee_ids: Sequence[uuid.UUID]
) -> list[PushSubscription]:
    if not attendee_ids:
        return []
    rows = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.attendee_id.in_(attendee_ids))
        .order_by(PushSubscription.created_at)
    )
    return list(rows)


async def remove_subscription(session: AsyncSession, attendee_id: uuid.UUID, endpoint: str) -> int:
    result = await session.execute(
        delete(PushSubscription).where(
            PushSubscription.attendee_id == attendee_id, PushSubscription.endpoint == endpoint
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def forget(session: AsyncSession, attendee_ids: Sequence[uuid.UUID]) -> None:
    """Account deletion and the retention purge: no phone of theirs is reminded any more."""
    if attendee_ids:
        await session.execute(delete(PushSubscription).where(PushSubscription.attendee_id.in_(attendee_ids)))


async def remove_subscriptions(session: AsyncSession, ids: Sequence[uuid.UUID]) -> int:
    if not ids:
        return 0
    result = await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(ids)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_sent(session: AsyncSession, ids: Sequence[uuid.UUID], now: datetime) -> None:
    if ids:
        await session.execute(
            update(PushSubscription).where(PushSubscription.id.in_(ids)).values(last_sent_at=now)
        )


async def ensure_recipients(session: AsyncSession, attendee_ids: Sequence[uuid.UUID]) -> None:
    """The attendees' budget rows, each made once whoever asks first."""
    if not attendee_ids:
        return
    insert = pg_insert if dialect_of(session).name == "postgresql" else sqlite_insert
    await session.execute(
        insert(PushRecipient)
        .values([{"attendee_id": attendee_id, "day": "", "day_count": 0} for attendee_id in attendee_ids])
        .on_conflict_do_nothing(index_elements=["attendee_id"])
    )


@dataclass(frozen=True, slots=True)
class Window:
    """The moments that decide which contacts are due, computed once per round."""

    now: datetime
    # Met before this: in the 48-hour window still.
    open_after: datetime
    # Met at or before these (the gap's look-ahead included): due for stage 1, stage 2.
    first_by: datetime
    second_by: datetime


def _due(window: Window) -> ColumnElement[bool]:
    return and_(
        Encounter.follow_up == FollowUpState.todo,
        Encounter.met_at > window.open_after,
        or_(
            and_(Encounter.met_at <= window.second_by, Encounter.reminder_stage < 2),
            and_(Encounter.met_at <= window.first_by, Encounter.reminder_stage < 1),
        ),
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    attendee_id: uuid.UUID
    timezone: str


async def candidates(
    session: AsyncSession, window: Window, *, after: uuid.UUID | None, limit: int
) -> list[Candidate]:
    """Subscribed attendees with a contact due a reminder (their event's time zone with them),
    by attendee id from ``after`` on."""
    subscribed = select(PushSubscription.attendee_id).distinct().scalar_subquery()
    due_contact = select(Encounter.id).where(Encounter.scanner_id == Attendee.id, _due(window)).exists()
    rows = await session.execute(
        select(Attendee.id, Event.timezone)
        .join(Event, Event.id == Attendee.event_id)
        .where(
            Attendee.id.in_(subscribed),
            Attendee.deleted_at.is_(None),
            Event.purged_at.is_(None),
            due_contact,
            *([Attendee.id > after] if after is not None else []),
        )
        .order_by(Attendee.id)
        .limit(limit)
    )
    return [Candidate(attendee_id, timezone) for attendee_id, timezone in rows.all()]


async def claim_contacts(session: AsyncSession, attendee_id: uuid.UUID, window: Window) -> int:
    """Mark the attendee's due contacts as reminded at their stage; how many were still due."""
    result = await session.execute(
        update(Encounter)
        .where(Encounter.scanner_id == attendee_id, _due(window))
        .values(reminder_stage=case((Encounter.met_at <= window.second_by, 2), else_=1))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def claim_budget(
    session: AsyncSession, attendee_id: uuid.UUID, *, now: datetime, day: str, per_day: int, next_at: datetime
) -> bool:
    """Take one reminder from the attendee's budget, if the gap has passed and the day allows."""
    result = await session.execute(
        update(PushRecipient)
        .where(
            PushRecipient.attendee_id == attendee_id,
            or_(PushRecipient.not_before.is_(None), PushRecipient.not_before <= now),
            or_(PushRecipient.day != day, PushRecipient.day_count < per_day),
        )
        .values(
            not_before=next_at,
            day_count=case((PushRecipient.day == day, PushRecipient.day_count + 1), else_=1),
            day=day,
            last_sent_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def still_to_do(
    session: AsyncSession, attendee_ids: Sequence[uuid.UUID], window: Window
) -> dict[uuid.UUID, tuple[int, datetime]]:
    """For each attendee: how many contacts are still to follow up in the window, and the
    earliest meeting among them."""
    if not attendee_ids:
        return {}
    rows = await session.execute(
        select(Encounter.scanner_id, func.count(), func.min(Encounter.met_at))
        .where(
            Encounter.scanner_id.in_(attendee_ids),
            Encounter.follow_up == FollowUpState.todo,
            Encounter.met_at > window.open_after,
        )
        .group_by(Encounter.scanner_id)
    )
    return {scanner: (int(count), earliest) for scanner, count, earliest in rows.all()}


async def languages(
    session: AsyncSession, attendee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """Each attendee's language and their event's name."""
    if not attendee_ids:
        return {}
    rows = await session.execute(
        select(Attendee.id, Attendee.language, Event.name)
        .join(Event, Event.id == Attendee.event_id)
        .where(Attendee.id.in_(attendee_ids))
    )
    return {attendee_id: (str(language or ""), str(name)) for attendee_id, language, name in rows.all()}
