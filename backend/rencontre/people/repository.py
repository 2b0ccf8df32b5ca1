from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, AttendeeBlock, Encounter, MeetRequest, MeetRequestState


async def blocks_in_event(session: AsyncSession, event_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Every (blocker, blocked) pair of the event."""
    rows = await session.execute(
        select(AttendeeBlock.blocker_id, AttendeeBlock.blocked_id)
        .join(Attendee, Attendee.id == AttendeeBlock.blocker_id)
        .where(Attendee.event_id == event_id)
    )
    return [(blocker, blocked) for blocker, blocked in rows]


async def blocked_ids(session: AsyncSession, attendee_id: uuid.UUID) -> set[uuid.UUID]:
    """People who must never be shown to ``attendee_id``: those they blocked, and those who blocked them.

    Hidden both ways, a block looks to the blocked person exactly like the other leaving
    the directory. Suggestions call this too.
    """
    rows = await session.execute(
        select(AttendeeBlock.blocker_id, AttendeeBlock.blocked_id).where(
            or_(AttendeeBlock.blocker_id == attendee_id, AttendeeBlock.blocked_id == attendee_id)
        )
    )
    return {blocked if blocker == attendee_id else blocker for blocker, blocked in rows}


async def is_blocked_between(session: AsyncSession, one: uuid.UUID, other: uuid.UUID) -> bool:
    found = await session.scalar(
        select(func.count())
        .select_from(AttendeeBlock)
        .where(
            or_(
                and_(AttendeeBlock.blocker_id == one, AttendeeBlock.blocked_id == other),
                and_(AttendeeBlock.blocker_id == other, AttendeeBlock.blocked_id == one),
            )
        )
    )
    return bool(found)


async def add_block(session: AsyncSession, blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> None:
    if await session.get(AttendeeBlock, (blocker_id, blocked_id)) is None:
        session.add(AttendeeBlock(blocker_id=blocker_id, blocked_id=blocked_id))
        await session.flush()


async def listed(session: AsyncSession, event_id: uuid.UUID) -> Sequence[Attendee]:
    """Everyone in the event's directory (the search is folded in Python, see ``service``)."""
    rows = await session.scalars(
        select(Attendee).where(
            Attendee.event_id == event_id,
            Attendee.directory_opt_in.is_(True),
            Attendee.deleted_at.is_(None),
        )
    )
    return rows.all()


async def listed_person(
    session: AsyncSession, event_id: uuid.UUID, attendee_id: uuid.UUID
) -> Attendee | None:
    return await session.scalar(
        select(Attendee).where(
            Attendee.id == attendee_id,
            Attendee.event_id == event_id,
            Attendee.directory_opt_in.is_(True),
            Attendee.deleted_at.is_(None),
        )
    )


async def person(session: AsyncSession, attendee_id: uuid.UUID) -> Attendee | None:
    return await session.get(Attendee, attendee_id)


async def people(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, Attendee]:
    if not ids:
        return {}
    return {a.id: a for a in await session.scalars(select(Attendee).where(Attendee.id.in_(ids)))}


async def requests_of(session: AsyncSession, attendee_id: uuid.UUID) -> Sequence[MeetRequest]:
    """Every request sent or received by ``attendee_id``, newest first."""
    rows = await session.scalars(
        select(MeetRequest)
        .where(or_(MeetRequest.sender_id == attendee_id, MeetRequest.recipient_id == attendee_id))
        .order_by(MeetRequest.created_at.desc(), MeetRequest.id)
    )
    return rows.all()


async def request_between(
    session: AsyncSession, sender_id: uuid.UUID, recipient_id: uuid.UUID
) -> MeetRequest | None:
    return await session.scalar(
        select(MeetRequest).where(
            MeetRequest.sender_id == sender_id, MeetRequest.recipient_id == recipient_id
        )
    )


async def sent_count(session: AsyncSession, sender_id: uuid.UUID) -> int:
    return await session.scalar(select(func.count()).where(MeetRequest.sender_id == sender_id)) or 0


def _scanned_since_match() -> ColumnElement[bool]:
    """A scan between the request's two people at or after its match."""
    return (
        select(Encounter.id)
        .where(
            or_(
                and_(
                    Encounter.scanner_id == MeetRequest.sender_id,
                    Encounter.scanned_id == MeetRequest.recipient_id,
                ),
                and_(
                    Encounter.scanner_id == MeetRequest.recipient_id,
                    Encounter.scanned_id == MeetRequest.sender_id,
                ),
            ),
            Encounter.last_scanned_at >= MeetRequest.answered_at,
        )
        .exists()
    )


async def met_matches(session: AsyncSession, attendee_id: uuid.UUID) -> set[uuid.UUID]:
    """The matches of ``attendee_id`` that a scan between the two followed."""
    rows = await session.scalars(
        select(MeetRequest.id).where(
            or_(MeetRequest.sender_id == attendee_id, MeetRequest.recipient_id == attendee_id),
            MeetRequest.state == MeetRequestState.accepted,
            _scanned_since_match(),
        )
    )
    return set(rows)


async def forget(session: AsyncSession, attendee_id: uuid.UUID) -> None:
    """An erased account leaves no request or block behind, sent or received."""
    await session.execute(
        delete(MeetRequest).where(
            or_(MeetRequest.sender_id == attendee_id, MeetRequest.recipient_id == attendee_id)
        )
    )
    await session.execute(
        delete(AttendeeBlock).where(
            or_(AttendeeBlock.blocker_id == attendee_id, AttendeeBlock.blocked_id == attendee_id)
        )
    )


async def figures(session: AsyncSession, event_id: uuid.UUID) -> tuple[int, int, int, int]:
    """Attendees, opted in, requests sent, matches: counts of the event."""
    attendees, opted_in = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Attendee.directory_opt_in.is_(True)),
            ).where(Attendee.event_id == event_id, Attendee.deleted_at.is_(None))
        )
    ).one()
    sent, matches = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(MeetRequest.state == MeetRequestState.accepted),
            ).where(MeetRequest.event_id == event_id)
        )
    ).one()
    return attendees, opted_in, sent, matches


async def matches_met(session: AsyncSession, event_id: uuid.UUID) -> int:
    found = await session.scalar(
        select(func.count()).where(
            MeetRequest.event_id == event_id,
            MeetRequest.state == MeetRequestState.accepted,
            _scanned_since_match(),
        )
    )
    return found or 0


async def has_contact(session: AsyncSession, scanner_id: uuid.UUID, scanned_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Encounter.id).where(Encounter.scanner_id == scanner_id, Encounter.scanned_id == scanned_id)
    )
    return found is not None


async def requests_among(
    session: AsyncSession, event_id: uuid.UUID, attendee_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID, MeetRequestState]]:
    """Every "I'd like to meet you" between these people: (sender, recipient, state)."""
    if not attendee_ids:
        return []
    ids = list(attendee_ids)
    rows = await session.execute(
        select(MeetRequest.sender_id, MeetRequest.recipient_id, MeetRequest.state).where(
            MeetRequest.event_id == event_id,
            MeetRequest.sender_id.in_(ids),
            MeetRequest.recipient_id.in_(ids),
        )
    )
    return [(sender, recipient, state) for sender, recipient, state in rows]
