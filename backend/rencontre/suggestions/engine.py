"""Keeping every reader's stored list in step with the directory.

The lists live in the database (table ``suggestion``): every instance serves the same
list with one indexed query, and a restart loses nothing. They are recomputed:

- *whole*, for an event (:func:`recompute_event`: the CLI, the bench);
- *for one change* (:func:`refresh`): a profile edited, someone joining or leaving the
  directory, a reader's hide or "not now", a list that lost people met since. Only that
  person's row and column, and the lists that lost someone, are recomputed
  (:func:`rencontre.suggestions.rank.refresh`).

A recompute reads the directory, the pairs who met, the dismissals and the stored lists,
scores in a worker thread (numpy and scipy release the GIL: the event loop keeps serving),
then writes the lists that changed. Between recomputes a process keeps the event's room
and lists (:class:`Kept`): the lists while the event's ``suggestions_version`` is the one
it saw, the room checked against the directory read each time (``Room.updated``).
Recomputes of one event never overlap: an
``asyncio.Lock`` per event in a process, a transaction-level advisory lock across
PostgreSQL instances.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from weakref import WeakValueDictionary

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.db import begin_write, session_scope
from rencontre.kit.time import utcnow
from rencontre.people import repository as people_repository
from rencontre.suggestions import rank, repository
from rencontre.suggestions.profiles import directory_profile
from rencontre.suggestions.score import Profile, Room

logger = logging.getLogger(__name__)

_locks: WeakValueDictionary[uuid.UUID, asyncio.Lock] = WeakValueDictionary()


def _lock(event_id: uuid.UUID) -> asyncio.Lock:
    lock = _locks.get(event_id)
    if lock is None:
        lock = _locks[event_id] = asyncio.Lock()
    return lock


# A reader's list is topped up from a GET at most this often per process: a list that
# cannot be filled (everyone met, hidden, or at their cap) must not cost a recompute per read.
TOP_UP_EVERY_SECONDS = 60.0
_topped_up: dict[tuple[uuid.UUID, uuid.UUID], float] = {}


def top_up_due(event_id: uuid.UUID, reader_id: uuid.UUID) -> bool:
    now = time.monotonic()
    if len(_topped_up) > 10_000:
        for key in [k for k, at in _topped_up.items() if now - at > TOP_UP_EVERY_SECONDS]:
            del _topped_up[key]
    last = _topped_up.get((event_id, reader_id))
    if last is not None and now - last < TOP_UP_EVERY_SECONDS:
        return False
    _topped_up[(event_id, reader_id)] = now
    return True


def rules_from(settings: Settings) -> rank.Rules:
    return rank.Rules(size=settings.suggestion_list_size, max_share=settings.suggestion_max_share)


@dataclass(frozen=True)
class Recomputed:
    people: int
    lists_written: int
    seconds: float


async def exclusions(session: AsyncSession, event_id: uuid.UUID) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Who each reader must not be suggested: met (either way), hidden or "not now", blocked.

    The one place every exclusion is gathered; the directory's blocks join here.
    """
    excluded: dict[uuid.UUID, set[uuid.UUID]] = {}
    for one, other in [
        *await repository.met_pairs(session, event_id),
        *await blocked_pairs(session, event_id),
    ]:
        excluded.setdefault(one, set()).add(other)
        excluded.setdefault(other, set()).add(one)
    for reader, person in await repository.dismissed_pairs(session, event_id, utcnow()):
        excluded.setdefault(reader, set()).add(person)
    return excluded


async def blocked_pairs(session: AsyncSession, event_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(blocker, blocked) pairs of the event: never suggested to each other."""
    return await people_repository.blocks_in_event(session, event_id)


@dataclass(frozen=True)
class Kept:
    """What this process last read or wrote of an event: its room and its stored lists."""

    version: int  # the event's suggestions_version the lists are as of
    room: Room
    lists: rank.Lists
    # The directory rows as last read, each with its profile: an unchanged row is not parsed again.
    profiles: dict[repository.RawRow, Profile]


# Per event, between recomputes. The database stays the truth: the lists are used only
# while the event's version is the one kept (every write of lists, by any instance, moves
# it on), and the room is always checked against the directory just read (the profiles
# that differ are re-scored, see Room.updated). An instance that kept nothing reads both.
_kept: dict[uuid.UUID, Kept] = {}
KEEP_EVENTS = 4


def forget(event_id: uuid.UUID | None = None) -> None:
    """Drop what this process keeps (of one event, or of all)."""
    if event_id is None:
        _kept.clear()
    else:
        _kept.pop(event_id, None)


def kept(event_id: uuid.UUID) -> Kept | None:
    """What this process keeps of the event, if anything."""
    return _kept.get(event_id)


def keep(event_id: uuid.UUID, state: Kept) -> None:
    """Keep ``state`` as what this process knows of the event (the last written or read)."""
    _kept.pop(event_id, None)
    _kept[event_id] = state
    while len(_kept) > KEEP_EVENTS:
        del _kept[next(iter(_kept))]  # the least recently recomputed event


Compute = Callable[[Room, dict[uuid.UUID, set[uuid.UUID]], rank.Lists], rank.Lists]


async def _recompute(
    factory: async_sessionmaker[AsyncSession], event_id: uuid.UUID, compute: Compute, *, refit: bool = False
) -> Recomputed:
    """Read what the lists rest on, ``compute`` the changed lists in a thread, write them.

    ``refit`` builds the room anew (rarity weights fitted on it) rather than updating the kept one.
    """
    started = time.perf_counter()
    async with _lock(event_id):
        last = _kept.get(event_id)
        async with session_scope(factory) as session:
            await begin_write(session)
            await repository.lock_event(session, event_id)
            version = await repository.version(session, event_id)
            raw = await repository.directory_raw(session, event_id)
            room, profiles = await asyncio.to_thread(_room_in_thread, raw, last, refit)
            excluded = await exclusions(session, event_id)
            if last is not None and last.version == version:
                stored = last.lists
            else:
                stored = await repository.lists(session, event_id, room.index)
            fresh = await asyncio.to_thread(compute, room, excluded, stored)
            gone = [reader for reader in stored if reader not in room.index]
            version = await repository.replace_lists(session, event_id, fresh, gone, utcnow())
        # Committed: what the database now holds, kept for the next change.
        lists = {reader: items for reader, items in stored.items() if reader in room.index}
        lists.update(fresh)
        keep(event_id, Kept(version, room, lists, profiles))
    return Recomputed(len(room), len(fresh), time.perf_counter() - started)


def _room_in_thread(
    raw: list[repository.RawRow], last: Kept | None, refit: bool
) -> tuple[Room, dict[repository.RawRow, Profile]]:
    known = {} if last is None else last.profiles
    profiles = {row: known.get(row) or directory_profile(repository.parse(row)) for row in raw}
    room_profiles = [profiles[row] for row in raw]
    if last is None or refit:
        return Room(room_profiles), profiles
    return last.room.updated(room_profiles), profiles


async def recompute_event(
    factory: async_sessionmaker[AsyncSession], settings: Settings, event_id: uuid.UUID
) -> Recomputed:
    """Every list of the event, from scratch."""
    rules = rules_from(settings)
    done = await _recompute(
        factory, event_id, lambda room, excluded, _: rank.assign(room, excluded, rules), refit=True
    )
    async with session_scope(factory) as session:
        await repository.analyse_lists(session)
    return done


async def refresh(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    event_id: uuid.UUID,
    *,
    changed: uuid.UUID | None = None,
    readers: Collection[uuid.UUID] = (),
) -> Recomputed:
    """The lists one change touches: ``changed``'s row and column, ``readers``' lists."""
    rules = rules_from(settings)

    def compute(room: Room, excluded: dict[uuid.UUID, set[uuid.UUID]], stored: rank.Lists) -> rank.Lists:
        return rank.refresh(room, excluded, stored, changed=changed, readers=readers, rules=rules)

    return await _recompute(factory, event_id, compute)


async def refresh_quietly(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    event_id: uuid.UUID,
    *,
    changed: uuid.UUID | None = None,
    readers: Collection[uuid.UUID] = (),
) -> None:
    """:func:`refresh` after a response: a failure is logged, the next change repairs it."""
    try:
        await refresh(factory, settings, event_id, changed=changed, readers=readers)
    except Exception:
        logger.exception("suggestions: refresh of event %s failed", event_id)
