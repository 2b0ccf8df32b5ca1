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
then writes the lists that changed. Recomputes of one event never overlap: an
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
from rencontre.suggestions.score import Room

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


async def _room(session: AsyncSession, event_id: uuid.UUID) -> Room:
    return Room([directory_profile(row) for row in await repository.directory(session, event_id)])


Compute = Callable[[Room, dict[uuid.UUID, set[uuid.UUID]], rank.Lists], rank.Lists]


async def _recompute(
    factory: async_sessionmaker[AsyncSession], event_id: uuid.UUID, compute: Compute
) -> Recomputed:
    """Read what the lists rest on, ``compute`` the changed lists in a thread, write them."""
    started = time.perf_counter()
    async with _lock(event_id), session_scope(factory) as session:
        await begin_write(session)
        await repository.lock_event(session, event_id)
        room = await _room(session, event_id)
        excluded = await exclusions(session, event_id)
        stored = await repository.lists(session, event_id, room.index)
        fresh = await asyncio.to_thread(compute, room, excluded, stored)
        gone = [reader for reader in stored if reader not in room.index]
        await repository.replace_lists(session, event_id, fresh, gone, utcnow())
    return Recomputed(len(room), len(fresh), time.perf_counter() - started)


async def recompute_event(
    factory: async_sessionmaker[AsyncSession], settings: Settings, event_id: uuid.UUID
) -> Recomputed:
    """Every list of the event, from scratch."""
    rules = rules_from(settings)
    return await _recompute(factory, event_id, lambda room, excluded, _: rank.assign(room, excluded, rules))


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
