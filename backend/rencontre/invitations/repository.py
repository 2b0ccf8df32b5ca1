"""Every query of the invitation queue, which lives on the attendee rows.

Several instances may send at once: a row is claimed by a conditional update (``WHERE
invite_state = 'queued'``), so each invitation goes out from one of them only, and a
result is recorded only while the row is still the sender's (a join meanwhile wins).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Event, InviteState


def _live(event_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [Attendee.event_id == event_id, Attendee.deleted_at.is_(None)]


def _link_unused() -> ColumnElement[bool]:
    return Attendee.join_used_version < Attendee.access_version


# What the console shows: a used link is "joined" whatever was sent; after an access
# re-issue the new link has been sent to nobody yet.
shown_state = case(
    (~_link_unused(), InviteState.joined.value),
    (Attendee.invite_state == InviteState.joined, InviteState.pending.value),
    else_=Attendee.invite_state,
)


async def live_of(session: AsyncSession, event_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[Attendee]:
    rows = await session.scalars(select(Attendee).where(*_live(event_id), Attendee.id.in_(ids)))
    return list(rows)


async def not_yet_invited(session: AsyncSession, event_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Attendee.id).where(*_live(event_id), shown_state == InviteState.pending.value)
    )
    return list(rows)


async def enqueue(
    session: AsyncSession, event_id: uuid.UUID, ids: Sequence[uuid.UUID], *, language: str, now: datetime
) -> int:
    """Queue these attendees' invitations, except those already waiting or joined meanwhile."""
    if not ids:
        return 0
    result = await session.execute(
        update(Attendee)
        .where(
            *_live(event_id),
            Attendee.id.in_(ids),
            _link_unused(),
            Attendee.invite_state.not_in([InviteState.queued, InviteState.sending]),
        )
        .values(
            invite_state=InviteState.queued,
            invite_language=language,
            invite_attempts=0,
            invite_next_at=now,
            invite_claimed_at=None,
            invite_error="",
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def counts(session: AsyncSession, event_id: uuid.UUID) -> dict[str, int]:
    rows = await session.execute(
        select(shown_state, func.count()).where(*_live(event_id)).group_by(shown_state)
    )
    return {str(state): int(count) for state, count in rows.all()}


async def release_stale(session: AsyncSession, *, claimed_before: datetime) -> None:
    """Claims of a sender that died mid-send go back to the queue (at worst, one mail twice)."""
    await session.execute(
        update(Attendee)
        .where(Attendee.invite_state == InviteState.sending, Attendee.invite_claimed_at < claimed_before)
        .values(invite_state=InviteState.queued, invite_claimed_at=None)
        .execution_options(synchronize_session=False)
    )


async def attempts_since(session: AsyncSession, since: datetime) -> int:
    return int(await session.scalar(select(func.count()).where(Attendee.invite_last_attempt_at > since)) or 0)


async def claim(session: AsyncSession, *, now: datetime, limit: int) -> list[uuid.UUID]:
    due = (
        select(Attendee.id)
        .where(Attendee.invite_state == InviteState.queued, Attendee.invite_next_at <= now)
        .order_by(Attendee.invite_next_at, Attendee.id)
        .limit(limit)
    )
    result = await session.scalars(
        update(Attendee)
        # Re-checked under the row lock: of two instances that picked the same row, one claims it.
        .where(Attendee.id.in_(due.scalar_subquery()), Attendee.invite_state == InviteState.queued)
        .values(invite_state=InviteState.sending, invite_claimed_at=now, invite_last_attempt_at=now)
        .returning(Attendee.id)
        .execution_options(synchronize_session=False)
    )
    return list(result)


async def claimed(session: AsyncSession, attendee_id: uuid.UUID) -> tuple[Attendee, Event] | None:
    row = (
        await session.execute(
            select(Attendee, Event)
            .join(Event, Event.id == Attendee.event_id)
            .where(Attendee.id == attendee_id, Attendee.invite_state == InviteState.sending)
        )
    ).one_or_none()
    return None if row is None else (row[0], row[1])


async def record(
    session: AsyncSession,
    attendee_id: uuid.UUID,
    *,
    state: InviteState,
    now: datetime,
    error: str = "",
    retry_in: timedelta | None = None,
) -> None:
    values: dict[str, object] = {
        "invite_state": state,
        "invite_attempts": Attendee.invite_attempts + 1,
        "invite_claimed_at": None,
        "invite_error": error[:500],
    }
    if state is InviteState.sent:
        values["invite_sent_at"] = now
    if retry_in is not None:
        values["invite_next_at"] = now + retry_in
    await session.execute(
        update(Attendee)
        .where(Attendee.id == attendee_id, Attendee.invite_state == InviteState.sending)
        .values(values)
        .execution_options(synchronize_session=False)
    )


async def release(session: AsyncSession, attendee_id: uuid.UUID) -> None:
    """A claimed invitation that no longer has a link to send (joined, removed) leaves the queue."""
    await session.execute(
        update(Attendee)
        .where(Attendee.id == attendee_id, Attendee.invite_state == InviteState.sending)
        .values(invite_state=InviteState.pending, invite_claimed_at=None)
        .execution_options(synchronize_session=False)
    )
