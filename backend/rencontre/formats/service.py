"""Sessions of a format (speed-meeting, walk & talk, reverse forum): the organiser's
controls, the clock every screen counts down from, and the seating of each round.

A session's clock lives in the database (``phase_ends_at``, ``version``), never in one
process: any instance can serve a phone or the wall screen, and the round that ends is
moved on by whichever instance's ticker (``formats.clock``) claims the version first,
once. Seating each round goes through :mod:`rencontre.formats.pairing`, with who is
taking part at that moment: arrivals and departures between rounds are folded into the
next round.

The organiser's views count people per table and never name who sits with whom: who met
whom stays the attendees' business.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import repository as badge_repository
from rencontre.badges import service as badge_service
from rencontre.config import Settings
from rencontre.db import after_commit
from rencontre.errors import Conflict, NotFound, Unprocessable
from rencontre.feed.broker import FeedNotice
from rencontre.formats import pairing, repository
from rencontre.formats.schemas import (
    Board,
    Clock,
    Extension,
    Hosts,
    MySession,
    Seat,
    SeatMate,
    SessionCreate,
    SessionOut,
    TableOut,
)
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, FormatKind, FormatParticipant, FormatSeat, FormatSession, Phase
from rencontre.models.format_session import SessionState
from rencontre.profile.cards import language_of, public_card
from rencontre.profile.schemas import Language

logger = logging.getLogger(__name__)

# Tells the phones' live channel, here and on other instances, that a session changed.
Publish = Callable[[FeedNotice], Awaitable[None]]


def announce(session: AsyncSession, publish: Publish | None, event_id: uuid.UUID) -> None:
    """Once this transaction commits, tell every phone of the event to look again (the
    notice is a hint: phones read the sessions from the database)."""
    if publish is None:
        return
    notice = FeedNotice(event_id=event_id, seq=0)

    async def send() -> None:
        # The change is committed whatever happens here; phones catch up on their next hello.
        try:
            await publish(notice)
        except Exception:
            logger.exception("could not announce session change %s", notice)

    after_commit(session, send)


class SessionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such session in this event.")


class SessionNotRunning(Conflict):
    def __init__(self, state: SessionState) -> None:
        super().__init__(f"This session is {state.value}: it cannot do that now.")


class SessionAlreadyStarted(Conflict):
    def __init__(self) -> None:
        super().__init__("This session has started: end it first (a running session is not deleted).")


class TooFewParticipants(Conflict):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"Only {count} people can take part right now: a round needs at least two "
            "(check people in, or let them sign up from their phones)."
        )


class NoHost(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "A reverse forum needs at least one host present and one guest: name the hosts first."
        )


class NotHostsForThisFormat(Unprocessable):
    def __init__(self) -> None:
        super().__init__("Only a reverse forum has hosts.")


class HostsNotAttendees(Unprocessable):
    def __init__(self, count: int) -> None:
        super().__init__(f"{count} of these people are not attendees of this event (or were removed).")


class RoundsExhausted(Conflict):
    """Every arrangement of the next round would make people meet again."""

    def __init__(self) -> None:
        super().__init__(
            "Everyone taking part has met everyone they could: the session cannot go on without repeats."
        )


# --- the organiser ---------------------------------------------------------------------------


async def create(session: AsyncSession, event: Event, body: SessionCreate) -> SessionOut:
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
    return await describe(session, created)


async def find(session: AsyncSession, event: Event, session_id: uuid.UUID) -> FormatSession:
    found = await repository.get(session, event.id, session_id)
    if found is None:
        raise SessionNotFound()
    return found


async def list_sessions(session: AsyncSession, event: Event) -> list[SessionOut]:
    return [await describe(session, s) for s in await repository.of_event(session, event.id)]


async def remove(session: AsyncSession, format_session: FormatSession) -> None:
    if format_session.state in (SessionState.running, SessionState.paused):
        raise SessionAlreadyStarted()
    await repository.delete_session(session, format_session)


async def set_hosts(session: AsyncSession, format_session: FormatSession, body: Hosts) -> SessionOut:
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
    return await describe(session, format_session)


async def start(
    session: AsyncSession, format_session: FormatSession, *, now: datetime | None = None
) -> SessionOut:
    now = now or utcnow()
    if format_session.state is not SessionState.draft:
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    await _next_round(session, format_session, starts_at=now)
    return await describe(session, format_session, now=now)


async def pause(
    session: AsyncSession, format_session: FormatSession, *, now: datetime | None = None
) -> SessionOut:
    now = now or utcnow()
    if format_session.state is not SessionState.running or format_session.phase_ends_at is None:
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    format_session.paused_seconds_left = max(0.0, (format_session.phase_ends_at - now).total_seconds())
    format_session.phase_ends_at = None
    format_session.state = SessionState.paused
    await session.flush()
    return await describe(session, format_session, now=now)


async def resume(
    session: AsyncSession, format_session: FormatSession, *, now: datetime | None = None
) -> SessionOut:
    now = now or utcnow()
    if format_session.state is not SessionState.paused:
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    format_session.phase_ends_at = now + timedelta(seconds=format_session.paused_seconds_left or 0)
    format_session.paused_seconds_left = None
    format_session.state = SessionState.running
    await session.flush()
    return await describe(session, format_session, now=now)


async def skip(
    session: AsyncSession, format_session: FormatSession, *, now: datetime | None = None
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
        await _next_round(session, format_session, starts_at=now)
    await session.flush()
    return await describe(session, format_session, now=now)


async def extend(
    session: AsyncSession, format_session: FormatSession, body: Extension, *, now: datetime | None = None
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
    return await describe(session, format_session, now=now)


async def end(
    session: AsyncSession, format_session: FormatSession, *, now: datetime | None = None
) -> SessionOut:
    if format_session.state is SessionState.ended:
        raise SessionNotRunning(format_session.state)
    await _claim(session, format_session)
    _end(format_session)
    await session.flush()
    return await describe(session, format_session, now=now)


async def board(
    session: AsyncSession, format_session: FormatSession, *, now: datetime | None = None
) -> Board:
    out = await describe(session, format_session, now=now)
    tables: dict[int, int] = {}
    if format_session.current_round and format_session.state is not SessionState.ended:
        for row in await repository.seats_of_round(session, format_session.id, format_session.current_round):
            tables[row.table] = tables.get(row.table, 0) + 1
    return Board(
        session=out,
        tables=[
            TableOut(index=i, name=table_name(format_session, i), seats=tables[i]) for i in sorted(tables)
        ],
    )


# --- the clock ------------------------------------------------------------------------------


async def advance(
    session: AsyncSession, session_id: uuid.UUID, *, now: datetime | None = None
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
            await _next_round(session, format_session, starts_at=starts_at)
        except (RoundsExhausted, TooFewParticipants, NoHost):
            # The room cannot make another round (everyone met, or too few left): the session ends.
            _end(format_session)
    await session.flush()
    return format_session


async def _claim(session: AsyncSession, format_session: FormatSession) -> None:
    """Take the session's current version for this change, or say another change won."""
    if not await repository.claim(session, format_session.id, format_session.version):
        raise Conflict("The session changed meanwhile (another screen or the clock): look again and retry.")
    format_session.version += 1


def _end(format_session: FormatSession) -> None:
    format_session.state = SessionState.ended
    format_session.phase_ends_at = None
    format_session.paused_seconds_left = None


async def _next_round(session: AsyncSession, format_session: FormatSession, *, starts_at: datetime) -> None:
    people = await repository.taking_part(session, format_session)
    round_ = format_session.current_round + 1
    groups = await _seating(session, format_session, people, round_)
    await repository.seat(
        session,
        [
            FormatSeat(session_id=format_session.id, round=round_, attendee_id=person, table=index)
            for index, group in enumerate(groups)
            for person in group
        ],
    )
    format_session.current_round = round_
    format_session.phase = Phase.round
    format_session.state = SessionState.running
    format_session.phase_ends_at = starts_at + timedelta(seconds=format_session.round_seconds)
    await session.flush()


async def _seating(
    session: AsyncSession, format_session: FormatSession, people: list[tuple[uuid.UUID, bool]], round_: int
) -> list[tuple[uuid.UUID, ...]]:
    ids = [person for person, _ in people]
    hosts = {person for person, host in people if host}
    if format_session.kind is FormatKind.reverse_forum and (not hosts or len(hosts) == len(ids)):
        raise NoHost()
    if len(ids) < 2:
        raise TooFewParticipants(len(ids))
    room = pairing.Room(
        ids,
        met=await repository.met_in_session(session, format_session.id),
        scanned=await repository.met_before(session, format_session.event_id, ids),
    )
    # Seeded by session and round: the same room gives the same seating, whichever instance computes it.
    rng = random.Random(f"{format_session.id}:{round_}")
    try:
        if format_session.kind is FormatKind.speed_meeting:
            return pairing.pairs(room, rng)
        if format_session.kind is FormatKind.walk_and_talk:
            wanted = len(format_session.table_names) or None
            return pairing.groups(room, rng, format_session.group_min, format_session.group_max, wanted)
        return pairing.forum(room, hosts, rng)
    except pairing.Exhausted:
        raise RoundsExhausted() from None


def table_name(format_session: FormatSession, index: int) -> str:
    if index < len(format_session.table_names):
        return format_session.table_names[index]
    return str(index + 1)


# --- what screens show ---------------------------------------------------------------------


def clock(format_session: FormatSession, now: datetime) -> Clock:
    if format_session.state is SessionState.paused:
        left = format_session.paused_seconds_left
    elif format_session.phase_ends_at is not None:
        left = max(0.0, (format_session.phase_ends_at - now).total_seconds())
    else:
        left = None
    return Clock(
        state=format_session.state,
        current_round=format_session.current_round,
        rounds_total=format_session.rounds_total,
        phase=format_session.phase,
        phase_ends_at=format_session.phase_ends_at,
        seconds_left=left,
        server_now=now,
        version=format_session.version,
    )


async def describe(
    session: AsyncSession, format_session: FormatSession, *, now: datetime | None = None
) -> SessionOut:
    people = await repository.taking_part(session, format_session)
    return SessionOut(
        id=format_session.id,
        name=format_session.name,
        kind=format_session.kind,
        audience=format_session.audience,
        table_names=list(format_session.table_names),
        group_min=format_session.group_min,
        group_max=format_session.group_max,
        round_seconds=format_session.round_seconds,
        break_seconds=format_session.break_seconds,
        participants=len(people),
        hosts=sum(1 for _, host in people if host),
        clock=clock(format_session, now or utcnow()),
    )


# --- the attendee ----------------------------------------------------------------------------


class SessionEnded(Conflict):
    def __init__(self) -> None:
        super().__init__("This session has ended.")


async def find_for_attendee(
    session: AsyncSession, attendee: Attendee, session_id: uuid.UUID
) -> FormatSession:
    found = await repository.get(session, attendee.event_id, session_id)
    if found is None:
        raise SessionNotFound()
    return found


async def my_sessions(session: AsyncSession, settings: Settings, attendee: Attendee) -> list[MySession]:
    sessions = await open_sessions(session, attendee.event_id)
    views = await SessionViews.load(session, settings, attendee.event_id, sessions)
    return (await views.for_phones(session, [attendee], sessions, now=utcnow()))[attendee.id]


async def open_sessions(session: AsyncSession, event_id: uuid.UUID) -> list[FormatSession]:
    """The event's sessions a phone shows: those not ended."""
    return [s for s in await repository.of_event(session, event_id) if s.state is not SessionState.ended]


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
    return await my_view(session, settings, attendee, format_session, now=now)


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
    return await my_view(session, settings, attendee, format_session, now=now)


async def my_view(
    session: AsyncSession,
    settings: Settings,
    attendee: Attendee,
    format_session: FormatSession,
    *,
    now: datetime | None = None,
) -> MySession:
    views = await SessionViews.load(session, settings, attendee.event_id, [format_session])
    return await views.of(session, attendee, format_session, now=now or utcnow())


class SessionViews:
    """What each phone of an event sees of some sessions, read once for all of them: who
    takes part and the current round's tables, then each phone's view in memory (the live
    channel builds a thousand phones' views from a few queries)."""

    def __init__(
        self,
        settings: Settings,
        event_code: str,
        taking_part: dict[uuid.UUID, dict[uuid.UUID, bool]],
        tables: dict[uuid.UUID, dict[uuid.UUID, list[uuid.UUID]]],
        table_of: dict[uuid.UUID, dict[uuid.UUID, int]],
    ) -> None:
        self._settings = settings
        self._event_code = event_code
        # session → attendee → host; session → table → people; session → attendee → table.
        self._taking_part = taking_part
        self._tables = tables
        self._table_of = table_of
        self._people: dict[uuid.UUID, Attendee] = {}

    @classmethod
    async def load(
        cls, session: AsyncSession, settings: Settings, event_id: uuid.UUID, sessions: list[FormatSession]
    ) -> SessionViews:
        event_code = await badge_repository.event_code(session, event_id)
        assert event_code is not None  # the sessions' event exists (foreign key)
        taking_part: dict[uuid.UUID, dict[uuid.UUID, bool]] = {}
        tables: dict[uuid.UUID, dict[uuid.UUID, list[uuid.UUID]]] = {}
        table_of: dict[uuid.UUID, dict[uuid.UUID, int]] = {}
        for s in sessions:
            taking_part[s.id] = dict(await repository.taking_part(session, s))
            by_table: dict[int, list[uuid.UUID]] = {}
            where: dict[uuid.UUID, int] = {}
            if _seated_now(s):
                for row in await repository.seats_of_round(session, s.id, s.current_round):
                    by_table.setdefault(row.table, []).append(row.attendee_id)
                    where[row.attendee_id] = row.table
            tables[s.id] = {person: by_table[table] for person, table in where.items()}
            table_of[s.id] = where
        return cls(settings, event_code, taking_part, tables, table_of)

    async def of(
        self, session: AsyncSession, attendee: Attendee, format_session: FormatSession, *, now: datetime
    ) -> MySession:
        return (await self.for_phones(session, [attendee], [format_session], now=now))[attendee.id][0]

    async def for_phones(
        self,
        session: AsyncSession,
        attendees: list[Attendee],
        sessions: list[FormatSession],
        *,
        now: datetime,
    ) -> dict[uuid.UUID, list[MySession]]:
        """Each attendee's view of each session, in the order given."""
        wanted = {
            other
            for s in sessions
            for a in attendees
            for other in self._tables[s.id].get(a.id, ())
            if other not in self._people
        }
        if wanted and sessions:
            for person in await repository.attendees_of_event(session, sessions[0].event_id, list(wanted)):
                self._people[person.id] = person
        return {a.id: [self._view(a, s, now) for s in sessions] for a in attendees}

    def _view(self, attendee: Attendee, format_session: FormatSession, now: datetime) -> MySession:
        seat = None
        table = self._table_of[format_session.id].get(attendee.id)
        if table is not None:
            language = language_of(attendee)
            others = [p for p in self._tables[format_session.id][attendee.id] if p != attendee.id]
            seat = Seat(
                round=format_session.current_round,
                table=table,
                table_name=table_name(format_session, table),
                host=format_session.kind is FormatKind.reverse_forum
                and self._taking_part[format_session.id].get(attendee.id, False),
                people=[self._mate(self._people[p], language) for p in others if p in self._people],
            )
        return MySession(
            id=format_session.id,
            name=format_session.name,
            kind=format_session.kind,
            audience=format_session.audience,
            taking_part=attendee.id in self._taking_part[format_session.id],
            clock=clock(format_session, now),
            seat=seat,
        )

    def _mate(self, person: Attendee, language: Language) -> SeatMate:
        badge = None
        if person.deleted_at is None:
            badge = badge_service.link(self._settings, self._event_code, person).url
        return SeatMate(card=public_card(person, language=language), badge=badge)


def _seated_now(format_session: FormatSession) -> bool:
    """Phones show a seat during a round (running or paused), not in a break or after the end."""
    return format_session.phase is Phase.round and format_session.state in (
        SessionState.running,
        SessionState.paused,
    )
