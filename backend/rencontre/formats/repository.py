from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from rencontre.models import Attendee, Audience, Encounter, FormatParticipant, FormatSeat, FormatSession
from rencontre.models.format_session import SessionState


async def add(session: AsyncSession, format_session: FormatSession) -> None:
    session.add(format_session)
    await session.flush()


async def get(session: AsyncSession, event_id: uuid.UUID, session_id: uuid.UUID) -> FormatSession | None:
    result = await session.scalars(
        select(FormatSession).where(FormatSession.event_id == event_id, FormatSession.id == session_id)
    )
    return result.one_or_none()


async def of_event(session: AsyncSession, event_id: uuid.UUID) -> Sequence[FormatSession]:
    result = await session.scalars(
        select(FormatSession).where(FormatSession.event_id == event_id).order_by(FormatSession.created_at)
    )
    return result.all()


async def delete_session(session: AsyncSession, format_session: FormatSession) -> None:
    await session.execute(delete(FormatSeat).where(FormatSeat.session_id == format_session.id))
    await session.execute(delete(FormatParticipant).where(FormatParticipant.session_id == format_session.id))
    await session.delete(format_session)
    await session.flush()


async def due(session: AsyncSession, now: datetime) -> Sequence[uuid.UUID]:
    """Running sessions whose round or break has ended."""
    result = await session.scalars(
        select(FormatSession.id).where(
            FormatSession.state == SessionState.running, FormatSession.phase_ends_at <= now
        )
    )
    return result.all()


async def claim(session: AsyncSession, session_id: uuid.UUID, version: int) -> bool:
    """Bump the version if it is still ``version``: whoever does applies the change, once."""
    result = await session.execute(
        update(FormatSession)
        .where(FormatSession.id == session_id, FormatSession.version == version)
        .values(version=version + 1)
        .returning(FormatSession.id),
        execution_options={"synchronize_session": False},
    )
    return result.first() is not None


async def taking_part(session: AsyncSession, format_session: FormatSession) -> list[tuple[uuid.UUID, bool]]:
    """(attendee, host) for everyone to place now: present (or signed up), not opted out,
    not removed."""
    row = aliased(FormatParticipant)
    joined = and_(row.session_id == format_session.id, row.attendee_id == Attendee.id)
    query = (
        select(Attendee.id, func.coalesce(row.host, False))
        .outerjoin(row, joined)
        .where(
            Attendee.event_id == format_session.event_id, Attendee.deleted_at.is_(None), row.left_at.is_(None)
        )
    )
    if format_session.audience is Audience.present:
        query = query.where(Attendee.arrived_at.is_not(None))
    else:
        # Signed up; hosts take part once named.
        query = query.where(or_(row.joined_at.is_not(None), row.host.is_(True)))
    result = await session.execute(query.order_by(Attendee.id))
    return [(attendee_id, bool(host)) for attendee_id, host in result.all()]


async def participant(
    session: AsyncSession, session_id: uuid.UUID, attendee_id: uuid.UUID
) -> FormatParticipant | None:
    result = await session.scalars(
        select(FormatParticipant).where(
            FormatParticipant.session_id == session_id, FormatParticipant.attendee_id == attendee_id
        )
    )
    return result.one_or_none()


async def add_participant(session: AsyncSession, row: FormatParticipant) -> None:
    session.add(row)
    await session.flush()


async def set_hosts(session: AsyncSession, session_id: uuid.UUID, attendee_ids: set[uuid.UUID]) -> None:
    existing = {
        p.attendee_id: p
        for p in (
            await session.scalars(select(FormatParticipant).where(FormatParticipant.session_id == session_id))
        ).all()
    }
    for attendee_id, row in existing.items():
        row.host = attendee_id in attendee_ids
    for attendee_id in attendee_ids - existing.keys():
        session.add(FormatParticipant(session_id=session_id, attendee_id=attendee_id, host=True))
    await session.flush()


async def attendees_of_event(
    session: AsyncSession, event_id: uuid.UUID, attendee_ids: Sequence[uuid.UUID]
) -> Sequence[Attendee]:
    if not attendee_ids:
        return []
    result = await session.scalars(
        select(Attendee).where(Attendee.event_id == event_id, Attendee.id.in_(attendee_ids))
    )
    return result.all()


async def met_in_session(session: AsyncSession, session_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Every pair who shared a table in an earlier round of this session."""
    a, b = aliased(FormatSeat), aliased(FormatSeat)
    result = await session.execute(
        select(a.attendee_id, b.attendee_id)
        .join(
            b,
            and_(
                b.session_id == a.session_id,
                b.round == a.round,
                b.table == a.table,
                b.attendee_id > a.attendee_id,
            ),
        )
        .where(a.session_id == session_id)
    )
    return [(x, y) for x, y in result.all()]


async def met_before(
    session: AsyncSession, event_id: uuid.UUID, attendee_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Pairs among these people who have a contact either way (scanned before the session)."""
    if not attendee_ids:
        return []
    ids = list(attendee_ids)
    result = await session.execute(
        select(Encounter.scanner_id, Encounter.scanned_id).where(
            Encounter.event_id == event_id, Encounter.scanner_id.in_(ids), Encounter.scanned_id.in_(ids)
        )
    )
    return [(x, y) for x, y in result.all()]


async def seat(session: AsyncSession, rows: Sequence[FormatSeat]) -> None:
    session.add_all(rows)
    await session.flush()


async def seats_of_round(session: AsyncSession, session_id: uuid.UUID, round_: int) -> Sequence[FormatSeat]:
    result = await session.scalars(
        select(FormatSeat).where(FormatSeat.session_id == session_id, FormatSeat.round == round_)
    )
    return result.all()


async def forget_event(session: AsyncSession, event_id: uuid.UUID) -> None:
    """The retention purge: who sat with whom, and who took part, go; the sessions' settings
    stay for the organiser."""
    sessions = select(FormatSession.id).where(FormatSession.event_id == event_id)
    await session.execute(delete(FormatSeat).where(FormatSeat.session_id.in_(sessions)))
    await session.execute(delete(FormatParticipant).where(FormatParticipant.session_id.in_(sessions)))
