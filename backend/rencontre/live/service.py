"""Tickets of the live channel: asked for over HTTP, redeemed by the socket, once."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.feed.schemas import FeedClose
from rencontre.feed.service import FeedRefused
from rencontre.kit.time import utcnow
from rencontre.live.schemas import LiveTicketOut
from rencontre.models import Attendee, LiveTicket

_TICKET_RETENTION = timedelta(hours=1)


async def issue_ticket(session: AsyncSession, settings: Settings, attendee: Attendee) -> LiveTicketOut:
    now = utcnow()
    await session.execute(
        delete(LiveTicket).where(
            LiveTicket.attendee_id == attendee.id, LiveTicket.expires_at < now - _TICKET_RETENTION
        ),
        execution_options={"synchronize_session": False},
    )
    # uuid4 draws 122 bits from os.urandom: unguessable, and single-use besides.
    ticket = LiveTicket(
        id=uuid.uuid4(),
        attendee_id=attendee.id,
        event_id=attendee.event_id,
        expires_at=now + timedelta(seconds=settings.ws_ticket_seconds),
    )
    session.add(ticket)
    await session.flush()
    return LiveTicketOut(ticket=str(ticket.id), expires_at=ticket.expires_at)


async def redeem_ticket(session: AsyncSession, raw_ticket: str) -> Attendee:
    """The attendee the ticket was issued to, marking it used; FeedRefused otherwise."""
    try:
        ticket_id = uuid.UUID(raw_ticket)
    except ValueError:
        raise _refused() from None
    now = utcnow()
    # One statement: two sockets racing with the same ticket cannot both win.
    attendee_id = await session.scalar(
        update(LiveTicket)
        .where(LiveTicket.id == ticket_id, LiveTicket.used_at.is_(None), LiveTicket.expires_at > now)
        .values(used_at=now)
        .returning(LiveTicket.attendee_id),
        execution_options={"synchronize_session": False},
    )
    if attendee_id is None:
        raise _refused()
    attendee = await session.get(Attendee, attendee_id)
    if attendee is None or attendee.deleted_at is not None:
        raise FeedRefused(FeedClose.FORBIDDEN, "This account was deleted or removed from the event.")
    return attendee


def _refused() -> FeedRefused:
    return FeedRefused(
        FeedClose.TICKET_REFUSED,
        "Unknown, expired or used ticket: ask for a new one (POST /api/me/live/ticket).",
    )


async def ended_access(session: AsyncSession, attendees: list[Attendee]) -> set[uuid.UUID]:
    """Those of ``attendees`` (as they were when their phone connected) whose access ended
    since: re-issued to another phone, removed from the event, or their account deleted."""
    rows = await session.execute(
        select(Attendee.id, Attendee.access_version, Attendee.deleted_at).where(
            Attendee.id.in_([a.id for a in attendees])
        )
    )
    current = {row.id: (row.access_version, row.deleted_at) for row in rows}
    ended: set[uuid.UUID] = set()
    for attendee in attendees:
        version, deleted_at = current.get(attendee.id, (None, None))
        if version is None or deleted_at is not None or version != attendee.access_version:
            ended.add(attendee.id)
    return ended
