"""Every query behind "who scanned me": always from the scanned person's side."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CursorResult, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.models import Attendee, Encounter, Event


def _pending(scanned_id: uuid.UUID) -> Select[Encounter, Attendee]:
    """Scans of ``scanned_id`` not answered by a scan back, not set aside, by people still registered.

    ``mutual`` is set on both contacts of a pair as soon as the second scan lands, and cleared
    when one of them deletes their account, so it says whether the scanned person scanned back.
    """
    return (
        select(Encounter, Attendee)
        .join(Attendee, Attendee.id == Encounter.scanner_id)
        .where(
            Encounter.scanned_id == scanned_id,
            Encounter.mutual.is_(False),
            Encounter.notice_dismissed_at.is_(None),
            Attendee.deleted_at.is_(None),
        )
    )


async def pending(
    session: AsyncSession, scanned_id: uuid.UUID, *, limit: int
) -> list[tuple[Encounter, Attendee]]:
    statement = _pending(scanned_id).order_by(Encounter.met_at.desc(), Encounter.id.desc()).limit(limit)
    return [(encounter, scanner) for encounter, scanner in await session.execute(statement)]


async def pending_count(session: AsyncSession, scanned_id: uuid.UUID) -> int:
    statement = _pending(scanned_id).with_only_columns(func.count()).order_by(None)
    return int(await session.scalar(statement) or 0)


async def dismiss(session: AsyncSession, scanned_id: uuid.UUID, scanner_id: uuid.UUID, now: datetime) -> bool:
    """Set the notice aside; False if there is no pending notice from ``scanner_id``.

    ``updated_at`` is kept as it is: the row is the scanner's contact, whose version must
    not move (nor tell them anything) because the person they scanned read a notice.
    """
    pending_ids = (
        _pending(scanned_id).where(Encounter.scanner_id == scanner_id).with_only_columns(Encounter.id)
    )
    result: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]
        update(Encounter)
        .where(Encounter.id.in_(pending_ids.scalar_subquery()))
        .values(notice_dismissed_at=now, updated_at=Encounter.updated_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount > 0


async def event_code(session: AsyncSession, event_id: uuid.UUID) -> str:
    code = await session.scalar(select(Event.badge_code).where(Event.id == event_id))
    assert code is not None, "an attendee always belongs to an event"
    return code
