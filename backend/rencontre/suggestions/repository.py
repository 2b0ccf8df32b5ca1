from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    cast,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.db import dialect_of
from rencontre.models import Attendee, DismissalKind, Encounter, Event, Suggestion, SuggestionDismissal
from rencontre.suggestions.rank import Lists

# What a card (and so a Profile) is made of; the rest of the attendee row is never read here.
CARD_COLUMNS = (
    Attendee.id,
    Attendee.badge_code,
    Attendee.deleted_at,
    Attendee.name,
    Attendee.company,
    Attendee.job_title,
    Attendee.pitch,
    Attendee.objectives,
    Attendee.objective_other,
    Attendee.interests,
    Attendee.shared_fields,
    Attendee.email,
    Attendee.phone,
    Attendee.website,
    Attendee.linkedin,
    Attendee.offers,
    Attendee.seeks,
    Attendee.open_to_chat,
    Attendee.photo_key,
)


@dataclass(frozen=True, slots=True)
class CardRow:
    """An attendee's card columns (satisfies ``profile.cards.CardSource``)."""

    id: uuid.UUID
    badge_code: str
    deleted_at: datetime | None
    name: str
    company: str
    job_title: str
    pitch: str
    objectives: Sequence[str]
    objective_other: str
    interests: Sequence[str]
    shared_fields: Sequence[str]
    email: str
    phone: str
    website: str
    linkedin: str
    offers: Sequence[str]
    seeks: Sequence[str]
    open_to_chat: bool
    photo_key: str | None


def _in_directory(event_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [Attendee.event_id == event_id, Attendee.directory_opt_in.is_(True), Attendee.deleted_at.is_(None)]


async def directory(session: AsyncSession, event_id: uuid.UUID) -> list[CardRow]:
    """Everyone in the event's directory, as their cards are made."""
    rows = await session.execute(select(*CARD_COLUMNS).where(*_in_directory(event_id)).order_by(Attendee.id))
    return [CardRow(*tuple(row)) for row in rows]


# What the scorer reads of each person (rencontre.suggestions.profiles.directory_profile).
PROFILE_COLUMNS = (
    Attendee.id,
    Attendee.company,
    Attendee.objectives,
    Attendee.interests,
    Attendee.offers,
    Attendee.seeks,
    Attendee.open_to_chat,
)
_LISTS = ("objectives", "interests", "offers", "seeks")


class ScorerRow(NamedTuple):
    """A directory row as the scorer reads it."""

    id: uuid.UUID
    company: str
    objectives: Sequence[str] | None
    interests: Sequence[str] | None
    offers: Sequence[str] | None
    seeks: Sequence[str] | None
    open_to_chat: bool


RawRow = tuple[Any, ...]


async def directory_raw(session: AsyncSession, event_id: uuid.UUID) -> list[RawRow]:
    """Everyone in the event's directory, the scorer's columns as stored, in id order.

    Read at every recompute, where the kept room is checked against it: the ids and the
    lists come back undecoded (a row that did not change is never parsed again, see
    :func:`parse`), on the Core path.
    """
    # As text in SQL too: PostgreSQL's driver would otherwise decode every JSON value.
    columns = [
        cast(column, String)
        if column.key in _LISTS
        else type_coerce(column, String)
        if column.key == "id"
        else column
        for column in PROFILE_COLUMNS
    ]
    query = select(*columns).where(*_in_directory(event_id)).order_by(Attendee.id)
    result = await (await session.connection()).execute(query)
    return [tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in result]


def parse(raw: RawRow) -> ScorerRow:
    """A row of :func:`directory_raw`, decoded."""
    found, company, *lists, open_to_chat = raw
    objectives, interests, offers, seeks = (json.loads(v) if isinstance(v, str) else v for v in lists)
    return ScorerRow(
        id=found if isinstance(found, uuid.UUID) else uuid.UUID(str(found)),
        company=company,
        objectives=objectives,
        interests=interests,
        offers=offers,
        seeks=seeks,
        open_to_chat=bool(open_to_chat),
    )


async def lock_event(session: AsyncSession, event_id: uuid.UUID) -> None:
    """Serialise recomputes of one event across instances (PostgreSQL; SQLite has one writer)."""
    if dialect_of(session).name == "postgresql":
        key = zlib.crc32(b"suggestions:" + event_id.bytes)
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def version(session: AsyncSession, event_id: uuid.UUID) -> int:
    """The event's lists version (:attr:`Event.suggestions_version`), as committed."""
    found = await session.scalar(select(Event.suggestions_version).where(Event.id == event_id))
    return int(found or 0)


async def bump_version(session: AsyncSession, event_id: uuid.UUID) -> int:
    """Move the lists version on, in the transaction that writes lists; the new number."""
    await session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(suggestions_version=Event.suggestions_version + 1)
        .execution_options(synchronize_session=False)
    )
    return await version(session, event_id)


async def analyse_lists(session: AsyncSession) -> None:
    """Refresh PostgreSQL's statistics of the lists table after a whole recompute rewrote it.

    Without them (until autovacuum gets there) the planner guesses hundreds of lines per
    reader and serves a list of eight by scanning every attendee (7.8 ms against 0.15 ms).
    """
    if dialect_of(session).name == "postgresql":
        await session.execute(text("ANALYZE suggestion"))


async def met_pairs(session: AsyncSession, event_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    rows = await session.execute(
        select(Encounter.scanner_id, Encounter.scanned_id).where(Encounter.event_id == event_id)
    )
    return [(a, b) for a, b in rows]


def _dismissal_in_force(now: datetime) -> ColumnElement[bool]:
    return or_(SuggestionDismissal.kind == DismissalKind.hidden, SuggestionDismissal.until > now)


async def dismissed_pairs(
    session: AsyncSession, event_id: uuid.UUID, now: datetime
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    rows = await session.execute(
        select(SuggestionDismissal.reader_id, SuggestionDismissal.person_id).where(
            SuggestionDismissal.event_id == event_id, _dismissal_in_force(now)
        )
    )
    return [(a, b) for a, b in rows]


async def lists(session: AsyncSession, event_id: uuid.UUID, known: Iterable[uuid.UUID] = ()) -> Lists:
    """Every stored list of the event, in order.

    Tens of thousands of rows on a large event, read at every recompute: read as plain
    values (SQLite hands back its stored hex, PostgreSQL a UUID) on the Core path, as the
    ORM's per-row and per-value processing costs more than the query itself; ``known``
    ids (the room's) are reused rather than parsed again.
    """
    query = (
        select(
            type_coerce(Suggestion.reader_id, String),
            type_coerce(Suggestion.person_id, String),
            Suggestion.score,
        )
        .where(Suggestion.event_id == event_id)
        .order_by(Suggestion.reader_id, Suggestion.rank)
    )
    result = await (await session.connection()).execute(query)
    # Ids already in hand (the room's) are reused rather than parsed again.
    by_hex = {value.hex: value for value in known}

    def as_uuid(value: Any) -> uuid.UUID:
        if isinstance(value, uuid.UUID):
            return value
        return by_hex.get(value) or uuid.UUID(str(value))

    found: Lists = {}
    for reader, person, score in result:
        found.setdefault(as_uuid(reader), []).append((as_uuid(person), float(score)))
    return found


async def replace_lists(
    session: AsyncSession, event_id: uuid.UUID, changed: Lists, gone: Iterable[uuid.UUID], now: datetime
) -> int:
    """Write the changed readers' lists; drop the lists of readers who left the directory.

    Returns the event's new lists version (bumped in the same transaction).
    """
    readers = [*changed, *gone]
    if not readers:
        return await version(session, event_id)
    for start in range(0, len(readers), 500):
        await session.execute(
            delete(Suggestion).where(
                Suggestion.event_id == event_id, Suggestion.reader_id.in_(readers[start : start + 500])
            )
        )
    rows = [
        {
            "id": uuid.uuid4(),
            "event_id": event_id,
            "reader_id": reader,
            "person_id": person,
            "rank": rank,
            "score": score,
            "computed_at": now,
        }
        for reader, items in changed.items()
        for rank, (person, score) in enumerate(items)
    ]
    for start in range(0, len(rows), 2000):
        await session.execute(insert(Suggestion), rows[start : start + 2000])
    return await bump_version(session, event_id)


@dataclass(frozen=True, slots=True)
class Served:
    card: CardRow
    score: float
    # Out of the list at serving time: met either way, hidden or "not now", left the directory.
    dropped: bool


def _met(reader_id: uuid.UUID) -> ColumnElement[bool]:
    return exists().where(
        or_(
            and_(Encounter.scanner_id == reader_id, Encounter.scanned_id == Suggestion.person_id),
            and_(Encounter.scanner_id == Suggestion.person_id, Encounter.scanned_id == reader_id),
        )
    )


def _dismissed(reader_id: uuid.UUID, now: datetime) -> ColumnElement[bool]:
    return exists().where(
        SuggestionDismissal.reader_id == reader_id,
        SuggestionDismissal.person_id == Suggestion.person_id,
        _dismissal_in_force(now),
    )


async def reader_list(session: AsyncSession, reader_id: uuid.UUID, now: datetime) -> list[Served]:
    """The reader's stored list, in order, each line marked if it no longer holds."""
    rows = await session.execute(
        select(
            *CARD_COLUMNS,
            Suggestion.score,
            or_(
                _met(reader_id),
                _dismissed(reader_id, now),
                Attendee.directory_opt_in.is_(False),
                Attendee.deleted_at.is_not(None),
            ).label("dropped"),
        )
        .join(Attendee, Attendee.id == Suggestion.person_id)
        .where(Suggestion.reader_id == reader_id)
        .order_by(Suggestion.rank)
    )
    width = len(CARD_COLUMNS)
    served = []
    for row in rows:
        values: tuple[Any, ...] = tuple(row)
        served.append(Served(CardRow(*values[:width]), float(values[width]), bool(values[width + 1])))
    return served


async def directory_member(session: AsyncSession, event_id: uuid.UUID, person_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Attendee.id).where(*_in_directory(event_id), Attendee.id == person_id)
    )
    return found is not None


async def dismiss(
    session: AsyncSession,
    event_id: uuid.UUID,
    reader_id: uuid.UUID,
    person_id: uuid.UUID,
    kind: DismissalKind,
    until: datetime | None,
) -> None:
    """Record the reader's hide or "not now" (the latest word replaces an earlier one)."""
    await session.execute(
        delete(SuggestionDismissal).where(
            SuggestionDismissal.reader_id == reader_id, SuggestionDismissal.person_id == person_id
        )
    )
    session.add(
        SuggestionDismissal(
            event_id=event_id, reader_id=reader_id, person_id=person_id, kind=kind, until=until
        )
    )
    removed = await session.execute(
        delete(Suggestion).where(Suggestion.reader_id == reader_id, Suggestion.person_id == person_id)
    )
    if removed.rowcount:  # type: ignore[attr-defined]
        await bump_version(session, event_id)
    await session.flush()


async def exposure(session: AsyncSession, event_id: uuid.UUID) -> list[int]:
    """How many readers each suggested person is suggested to (for the bench's spread)."""
    rows = await session.execute(
        select(func.count()).where(Suggestion.event_id == event_id).group_by(Suggestion.person_id)
    )
    return [int(n) for (n,) in rows]


async def suggested_present(
    session: AsyncSession, event_id: uuid.UUID, reader_ids: Sequence[uuid.UUID], most: int
) -> dict[uuid.UUID, list[tuple[str, str]]]:
    """For each reader, the first ``most`` people of their list who are at the venue: (name, company)."""
    rows = await session.execute(
        select(Suggestion.reader_id, Attendee.name, Attendee.company)
        .join(Attendee, Attendee.id == Suggestion.person_id)
        .where(
            Suggestion.event_id == event_id,
            Suggestion.reader_id.in_(reader_ids),
            Attendee.arrived_at.is_not(None),
            Attendee.deleted_at.is_(None),
            Attendee.directory_opt_in.is_(True),
        )
        .order_by(Suggestion.reader_id, Suggestion.rank)
    )
    found: dict[uuid.UUID, list[tuple[str, str]]] = {r: [] for r in reader_ids}
    for reader, name, company in rows:
        if len(found[reader]) < most:
            found[reader].append((name, company))
    return found


async def pairs_among(
    session: AsyncSession,
    event_id: uuid.UUID,
    attendee_ids: Sequence[uuid.UUID],
    *,
    top: int,
    now: datetime,
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(reader, person) for the first ``top`` people of each reader's list, both among these
    people, leaving out those the reader hid or put off ("not now")."""
    if not attendee_ids:
        return []
    ids = list(attendee_ids)
    dismissed = exists().where(
        SuggestionDismissal.reader_id == Suggestion.reader_id,
        SuggestionDismissal.person_id == Suggestion.person_id,
        _dismissal_in_force(now),
    )
    rows = await session.execute(
        select(Suggestion.reader_id, Suggestion.person_id).where(
            Suggestion.event_id == event_id,
            Suggestion.rank < top,
            Suggestion.reader_id.in_(ids),
            Suggestion.person_id.in_(ids),
            ~dismissed,
        )
    )
    return [(reader, person) for reader, person in rows]


async def forget_event(session: AsyncSession, event_id: uuid.UUID) -> None:
    """The retention purge: every list and dismissal of the event goes."""
    await session.execute(delete(Suggestion).where(Suggestion.event_id == event_id))
    await session.execute(delete(SuggestionDismissal).where(SuggestionDismissal.event_id == event_id))
    await bump_version(session, event_id)
