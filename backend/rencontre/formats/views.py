"""What screens show of a session: the clock every screen counts down from, the
organiser's view and wall screen, and each phone's seat.

The organiser's views count people per table and never name who sits with whom: who met
whom stays the attendees' business. A phone sees its own seat: the others at its table as
they share themselves, and one or two conversation openers drawn from those cards.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.badges import repository as badge_repository
from rencontre.badges import service as badge_service
from rencontre.config import Settings
from rencontre.formats import repository
from rencontre.formats.schemas import Board, Clock, MySession, Openers, Seat, SeatMate, SessionOut, TableOut
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, FormatKind, FormatSession, Phase
from rencontre.models.format_session import SessionState
from rencontre.people.prompts import prompts
from rencontre.profile.cards import language_of, public_card
from rencontre.profile.schemas import Language, PublicCard

# "One or two conversation openers" per person met: fewer than after a scan, as the round is short.
MAX_OPENERS = 2


def table_name(format_session: FormatSession, index: int) -> str:
    if index < len(format_session.table_names):
        return format_session.table_names[index]
    return str(index + 1)


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


# --- the organiser ---------------------------------------------------------------------------


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


async def list_sessions(session: AsyncSession, event_id: uuid.UUID) -> list[SessionOut]:
    return [await describe(session, s) for s in await repository.of_event(session, event_id)]


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


# --- the attendee ----------------------------------------------------------------------------


async def my_sessions(session: AsyncSession, settings: Settings, attendee: Attendee) -> list[MySession]:
    sessions = await open_sessions(session, attendee.event_id)
    views = await SessionViews.load(session, settings, attendee.event_id, sessions)
    return (await views.for_phones(session, [attendee], sessions, now=utcnow()))[attendee.id]


async def open_sessions(session: AsyncSession, event_id: uuid.UUID) -> list[FormatSession]:
    """The event's sessions a phone shows: those not ended."""
    return [s for s in await repository.of_event(session, event_id) if s.state is not SessionState.ended]


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


def openers(card: PublicCard) -> Openers:
    """One or two questions for ``card``'s person in both languages, so the phone shows its
    own language, offline too. Made from the card only: nothing its subject did not share."""
    return Openers(fr=prompts(card, "fr")[:MAX_OPENERS], en=prompts(card, "en")[:MAX_OPENERS])


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
        # A mate as each language sees them: a thousand phones share a few hundred mates.
        self._mates: dict[tuple[uuid.UUID, Language], SeatMate] = {}

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
        key = (person.id, language)
        if key not in self._mates:
            badge = None
            if person.deleted_at is None:
                badge = badge_service.link(self._settings, self._event_code, person).url
            card = public_card(person, language=language)
            self._mates[key] = SeatMate(card=card, badge=badge, openers=openers(card))
        return self._mates[key]


def _seated_now(format_session: FormatSession) -> bool:
    """Phones show a seat during a round (running or paused), not in a break or after the end."""
    return format_session.phase is Phase.round and format_session.state in (
        SessionState.running,
        SessionState.paused,
    )
