"""Seating a session's next round: who takes part at that moment, what is known about
them, and :mod:`rencontre.formats.pairing` to place them.

What the pairing is told, read in a few queries per round whatever the room's size:

- who already shared a table in this session, and who scanned whom before it (kept apart
  when a choice exists);
- who is kept apart for good: a block either way is a hard "never", like hosts meeting
  hosts (a round that cannot be made without seating a blocked pair is not made, and the
  organiser is told only that the room ran out of new encounters);
- who would like to meet, each pair weighed by how strongly: a match (both asked) most,
  then one person's "I'd like to meet you", then the stored suggestions (a reader's first
  few "people for you", whose seeks and offers or interests meet). A request the other
  let be weighs exactly as one still waiting: nothing a phone sees could tell them apart.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.formats import pairing, repository
from rencontre.formats.errors import NoHost, RoundsExhausted, TooFewParticipants
from rencontre.kit.time import utcnow
from rencontre.models import FormatKind, FormatSeat, FormatSession, MeetRequestState, Phase
from rencontre.models.format_session import SessionState
from rencontre.people import repository as people_repository
from rencontre.suggestions import repository as suggestions_repository

# How many times a wished pair counts (``pairing.Room.wishes`` weighs each one).
MATCH = 3  # both asked
ASKED = 1  # one asked (waiting, or let be: the same to the pairing)
SUGGESTED = 1  # each reader whose first suggestions hold the other
# The first suggestions of each list that count: the strongest, not the whole list.
SUGGESTIONS_TOP = 5


async def seat_next_round(
    session: AsyncSession, format_session: FormatSession, *, starts_at: datetime
) -> None:
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
        wishes=await wishes(session, format_session.event_id, ids),
        never=await people_repository.blocks_in_event(session, format_session.event_id),
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


async def wishes(
    session: AsyncSession, event_id: uuid.UUID, ids: Sequence[uuid.UUID], *, now: datetime | None = None
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """The pairs among ``ids`` who would like to meet, each given as many times as it weighs."""
    found: list[tuple[uuid.UUID, uuid.UUID]] = []
    for sender, recipient, state in await people_repository.requests_among(session, event_id, ids):
        found += [(sender, recipient)] * (MATCH if state is MeetRequestState.accepted else ASKED)
    found += (
        await suggestions_repository.pairs_among(
            session, event_id, ids, top=SUGGESTIONS_TOP, now=now or utcnow()
        )
    ) * SUGGESTED
    return found
