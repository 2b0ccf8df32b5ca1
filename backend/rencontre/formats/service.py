"""Sessions of a format (speed-meeting, walk & talk, reverse forum): the organiser's
controls, the clock every screen counts down from, and the attendee signing up.

A session's clock lives in the database (``phase_ends_at``, ``version``), never in one
process: any instance can serve a phone or the wall screen, and the round that ends is
moved on by whichever instance's ticker (``formats.clock``) claims the version first,
once. Seating each round is :mod:`rencontre.formats.seating`; what screens show is
:mod:`rencontre.formats.views`.

Every change tells the phones once its transaction commits (``publish``, the live
channel's broker): callers pass it, and the service announces the change itself.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.errors import Conflict
from rencontre.feed.broker import Publish
from rencontre.formats import repository, views
from rencontre.formats.errors import (
    HostsNotAttendees,
    NoHost,
    NotHostsForThisFormat,
    RoundsExhausted,
    SessionAlreadyStarted,
    SessionEnded,
    SessionNotFound,
    SessionNotRunning,
    TooFewParticipants,
)
from rencontre.formats.schemas import Extension, Hosts, MySession, SessionCreate, SessionOut
from rencontre.formats.seating import seat_next_round
from rencontre.kit.time import utcnow
from rencontre.live.notify import announce
from rencontre.models import Attendee, Event, FormatKind, FormatParticipant, FormatSession, Phase
from rencontre.models.format_session import SessionState

logger = logging.getLogger(__name__)

# --- the organiser ---------------------------------------------------------------------------


async def create(
    session: AsyncSession, event: Event, body: SessionCreate, *, publish: Publish | None = None
) -> SessionOut:
    group = (body.group_min, body.group_max) if body.kind is FormatKind.walk_and_talk else (2, 2)
    created = FormatSession(
        id=uuid.uuid4(),
        event_id=event.id,
        name=body.name,
        kind=body.kind,
        audience=body.audience,
        table_names=list(body.table_names),
        group_min=group[0],
        group_max=group[1],
        rounds_total=body.rounds_total,
        round_seconds=body.round_seconds,
        break_seconds=body.break_seconds,
        state=SessionState.draft,
        current_round=0,
        phase=Phase.round,
        version=1,
    )
    await repository.add(session, created)
    return await _changed(session, created, publish)


async def find(session: AsyncSession, event: Event, session_id: uuid.UUID) -> FormatSession:
    found = await repository.get(session, event.id, session_id)
    if found is None:
        raise SessionNotFound()
    return found


async def remove(
    session: AsyncSession, format_session: FormatSession, *, publish: Publish | None = None
) -> None:
    if format_session.state in (SessionState.running, SessionState.paused):
        raise SessionAlreadyStarted()
    await repository.delete_session(session, format_session)
    announce(session, publish, format_session.event_id)


async def set_hosts(
    session: AsyncSession, format_session: FormatSession, body: Hosts, *, publish: Publish | None = None
) -> SessionOut:
    if format_session.kind is not FormatKind.reverse_forum:
        raise NotHostsForThisFormat()
    if format_session.state is SessionState.ended:
        raise SessionNotRunning(format_session.state)
    wanted = set(body.attendee_ids)
    found = await repository.attendees_of_event(session, format_session.event_id, list(wanted))
    alive = {a.id for a in found if a.deleted_at is None}
    if missing := len(wanted - alive):
        raise HostsNotAttendees(missing)
    await repository.set_hosts(session, format_session.id, wanted)
    return await _changed(session, format_session, publish)


async def start(
    session: AsyncSession,
    format_session: FormatSession,
    *,
    publish: Publish | None = None,
    now: datetime | None = None,
) -> SessionOut:
    now = now or utcnow()
    if format_session.state is not SessionState.draft:
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    await seat_next_round(session, format_session, starts_at=now)
    return await _changed(session, format_session, publish, now)


async def pause(
    session: AsyncSession,
    format_session: FormatSession,
    *,
    publish: Publish | None = None,
    now: datetime | None = None,
) -> SessionOut:
    now = now or utcnow()
    if format_session.state is not SessionState.running or format_session.phase_ends_at is None:
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    format_session.paused_seconds_left = max(0.0, (format_session.phase_ends_at - now).total_seconds())
    format_session.phase_ends_at = None
    format_session.state = SessionState.paused
    await session.flush()
    return await _changed(session, format_session, publish, now)


async def resume(
    session: AsyncSession,
    format_session: FormatSession,
    *,
    publish: Publish | None = None,
    now: datetime | None = None,
) -> SessionOut:
    now = now or utcnow()
    if format_session.state is not SessionState.paused:
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    format_session.phase_ends_at = now + timedelta(seconds=format_session.paused_seconds_left or 0)
    format_session.paused_seconds_left = None
    format_session.state = SessionState.running
    await session.flush()
    return await _changed(session, format_session, publish, now)


async def skip(
    session: AsyncSession,
    format_session: FormatSession,
    *,
    publish: Publish | None = None,
    now: datetime | None = None,
) -> SessionOut:
    """Straight to the next round (no break), or the end after the last one."""
    now = now or utcnow()
    if format_session.state not in (SessionState.running, SessionState.paused):
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    format_session.state = SessionState.running
    format_session.paused_seconds_left = None
    if format_session.current_round >= format_session.rounds_total:
        _end(format_session)
    else:
        await seat_next_round(session, format_session, starts_at=now)
    await session.flush()
    return await _changed(session, format_session, publish, now)


async def extend(
    session: AsyncSession,
    format_session: FormatSession,
    body: Extension,
    *,
    publish: Publish | None = None,
    now: datetime | None = None,
) -> SessionOut:
    now = now or utcnow()
    if format_session.state is SessionState.running and format_session.phase_ends_at is not None:
        await _claim(session, format_session)
        format_session.phase_ends_at = max(format_session.phase_ends_at, now) + timedelta(
            seconds=body.seconds
        )
    elif format_session.state is SessionState.paused:
        await _claim(session, format_session)
        format_session.paused_seconds_left = (format_session.paused_seconds_left or 0) + body.seconds
    else:
        raise SessionNotRunning(format_session.state)
    await session.flush()
    return await _changed(session, format_session, publish, now)


async def end(
    session: AsyncSession,
    format_session: FormatSession,
    *,
    publish: Publish | None = None,
    now: datetime | None = None,
) -> SessionOut:
    if format_session.state is SessionState.ended:
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    _end(format_session)
    await session.flush()
    return await _changed(session, format_session, publish, now)


# --- the clock ------------------------------------------------------------------------------


async def advance(
    session: AsyncSession,
    session_id: uuid.UUID,
    *,
    publish: Publish | None = None,
    now: datetime | None = None,
) -> FormatSession | None:
    """Move a running session past a round or break that has ended; the session if this call did.

    Called by every instance's ticker: the version claim lets one of them do it, once.
    """
    now = now or utcnow()
    format_session = await session.get(FormatSession, session_id, populate_existing=True)
    if (
        format_session is None
        or format_session.state is not SessionState.running
        or format_session.phase_ends_at is None
        or format_session.phase_ends_at > now
    ):
        return None
    if not await repository.claim(session, format_session.id, format_session.version):
        return None
    format_session.version += 1
    ended_at = format_session.phase_ends_at
    # A server that was down restarts the clock from now rather than racing through rounds.
    starts_at = max(ended_at, now - timedelta(seconds=2))
    if format_session.phase is Phase.round and format_session.current_round >= format_session.rounds_total:
        _end(format_session)
    elif format_session.phase is Phase.round and format_session.break_seconds > 0:
        format_session.phase = Phase.pause_between
        format_session.phase_ends_at = starts_at + timedelta(seconds=format_session.break_seconds)
    else:
        try:
            await seat_next_round(session, format_session, starts_at=starts_at)
        except (RoundsExhausted, TooFewParticipants, NoHost):
            # The room cannot make another round (everyone met, or too few left): the session ends.
            _end(format_session)
    await session.flush()
    announce(session, publish, format_session.event_id)
    return format_session


async def _changed(
    session: AsyncSession, format_session: FormatSession, publish: Publish | None, now: datetime | None = None
) -> SessionOut:
    """Tell the phones (once committed) and answer the organiser with where the session stands."""
    announce(session, publish, format_session.event_id)
    return await views.describe(session, format_session, now=now)


async def _claim(session: AsyncSession, format_session: FormatSession) -> None:
    """Take the session's current version for this change, or say another change won."""
    if not await repository.claim(session, format_session.id, format_session.version):
        raise Conflict("The session changed meanwhile (another screen or the clock): look again and retry.")
    format_session.version += 1


def _end(format_session: FormatSession) -> None:
    format_session.state = SessionState.ended
    format_session.phase_ends_at = None
    format_session.paused_seconds_left = None


# --- the attendee ----------------------------------------------------------------------------


async def find_for_attendee(
    session: AsyncSession, attendee: Attendee, session_id: uuid.UUID
) -> FormatSession:
    found = await repository.get(session, attendee.event_id, session_id)
    if found is None:
        raise SessionNotFound()
    return found


async def join(
    session: AsyncSession, settings: Settings, attendee: Attendee, format_session: FormatSession
) -> MySession:
    """Sign up (or come back after leaving): placed from the next round on."""
    if format_session.state is SessionState.ended:
        raise SessionEnded()
    now = utcnow()
    row = await repository.participant(session, format_session.id, attendee.id)
    if row is None:
        await repository.add_participant(
            session, FormatParticipant(session_id=format_session.id, attendee_id=attendee.id, joined_at=now)
        )
    else:
        row.joined_at = row.joined_at or now
        row.left_at = None
        await session.flush()
    return await views.my_view(session, settings, attendee, format_session, now=now)


async def leave(
    session: AsyncSession, settings: Settings, attendee: Attendee, format_session: FormatSession
) -> MySession:
    """Not placed from the next round on (the round under way goes on)."""
    if format_session.state is SessionState.ended:
        raise SessionEnded()
    now = utcnow()
    row = await repository.participant(session, format_session.id, attendee.id)
    if row is None:
        await repository.add_participant(
            session, FormatParticipant(session_id=format_session.id, attendee_id=attendee.id, left_at=now)
        )
    else:
        row.left_at = now
        await session.flush()
    return await views.my_view(session, settings, attendee, format_session, now=now)
