"""Group commit: the scans that arrive while a group is being written go together in the next one.

Every scan request of this process hands its scans to one :class:`ScanWriter`. While
a group is being written, new requests wait in line; when it is committed, all of
them are written in the next group: one transaction, one commit (one fsync on
SQLite, one round trip on PostgreSQL), a handful of statements however many scans
(:func:`~rencontre.encounters.service.record_scans`). So requests never queue on
the database's write lock, and the cost of a commit is shared.

A scan is answered only once the commit of its group has succeeded. If the group
cannot be written, no scan in it is acknowledged: each request is tried again on
its own (so one bad request cannot fail the others) and, if the database is what
failed, every request gets a 503 with Retry-After. Feed notices are published after
the commit, as on any session (:func:`rencontre.db.after_commit`).

On SQLite (a file) a group is written on the writer's own thread through a
synchronous connection to the same file: one hop from the event loop per group
rather than several per statement (see :mod:`rencontre.kit.immediate`).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from rencontre.config import Settings
from rencontre.db import (
    begin_write,
    create_sqlite_writer_engine,
    run_after_commit,
    session_info,
    session_scope,
)
from rencontre.encounters import service
from rencontre.encounters.outcomes import Outcome, ScanRequest
from rencontre.errors import ServiceUnavailable
from rencontre.feed.broker import Publish
from rencontre.kit.immediate import ImmediateSession, run_now

logger = logging.getLogger(__name__)

_ATTEMPTS = 3


class ScansNotSaved(ServiceUnavailable):
    def __init__(self) -> None:
        super().__init__(
            "Your scans could not be saved just now; nothing was recorded. Please retry.", retry_after=1
        )


@dataclass
class _Waiting:
    requests: Sequence[ScanRequest]
    answer: asyncio.Future[list[Outcome]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class ScanWriter:
    def __init__(
        self, factory: async_sessionmaker[AsyncSession], settings: Settings, publish: Publish
    ) -> None:
        self.factory = factory
        self.settings = settings
        self.publish = publish
        # A group holds at most a full offline batch, plus whatever single scans fit beside it.
        self.max_group = max(settings.max_batch_items, 1)
        self._line: list[_Waiting] = []
        self._writing: asyncio.Task[None] | None = None
        self._thread = _SQLiteThread.for_factory(factory, settings, publish)

    def close(self) -> None:
        """Let go of what this writer holds of its own (SQLite: its thread and connection)."""
        if self._thread is not None:
            self._thread.close()

    async def record(self, requests: Sequence[ScanRequest]) -> list[Outcome]:
        """Each scan's outcome, once the group holding them is committed."""
        if not requests:
            return []
        waiting = _Waiting(requests)
        self._line.append(waiting)
        if self._writing is None:
            self._writing = asyncio.create_task(self._write_all())
        # A request that goes away (client gone) leaves its scans to their group: they are
        # committed or not as a whole, and the phone's retry finds them by client id.
        return await asyncio.shield(waiting.answer)

    async def _write_all(self) -> None:
        try:
            # Let the requests that arrived in the same turn of the loop join the first group.
            await asyncio.sleep(0)
            while self._line:
                group = self._next_group()
                try:
                    await self._write(group)
                except BaseException:
                    for waiting in group:
                        _settle(waiting, error=ScansNotSaved())
                    raise
        finally:
            self._writing = None
            # Only when cancelled (shutdown): whoever still waits is told, not left hanging.
            while self._line:
                _settle(self._line.pop(0), error=ScansNotSaved())

    def _next_group(self) -> list[_Waiting]:
        group = [self._line.pop(0)]
        size = len(group[0].requests)
        while self._line and size + len(self._line[0].requests) <= self.max_group:
            size += len(self._line[0].requests)
            group.append(self._line.pop(0))
        return group

    async def _write(self, group: list[_Waiting]) -> None:
        try:
            outcomes = await self._commit([request for waiting in group for request in waiting.requests])
        except Exception as exc:
            if len(group) > 1 and not _database_unavailable(exc):
                logger.warning("a group of %d scan requests failed; writing them one by one", len(group))
                for waiting in group:
                    await self._write([waiting])
                return
            logger.warning("scans not saved", exc_info=True)
            # An outage is answered as any request meeting it would be (the app's 503 for it).
            error = exc if _database_unavailable(exc) else ScansNotSaved()
            for waiting in group:
                _settle(waiting, error=error)
            return
        start = 0
        for waiting in group:
            end = start + len(waiting.requests)
            _settle(waiting, outcomes=outcomes[start:end])
            start = end

    async def _commit(self, requests: list[ScanRequest]) -> list[Outcome]:
        for _ in range(_ATTEMPTS):
            try:
                if self._thread is not None:
                    return await self._thread.write(requests)
                async with session_scope(self.factory) as session:
                    await begin_write(session)
                    outcomes = await service.record_scans(
                        session, self.settings, requests, publish=self.publish
                    )
                # Committed: the feed notices have been published too.
                return outcomes
            except IntegrityError:
                # Only a writer that skipped the scan locks can get here; read again and retry.
                logger.info("a group of %d scans lost a race; writing it again", len(requests))
            except DBAPIError as exc:
                # Every lock is taken in one order, so this is a writer outside the scan path
                # (an account deleted, holding its event first) meeting a group: write it again.
                if not _lost_to_another_writer(exc):
                    raise
                logger.info(
                    "a group of %d scans was chosen to give way (%s); writing it again", len(requests), exc
                )
        raise service.BusyRetry()


class _SQLiteThread:
    """SQLite: each group written on one thread of its own, through a synchronous connection.

    The same rules, in one hop from the event loop instead of three or four per
    statement (see rencontre.kit.immediate); SQLite has one writer at a time anyway.
    """

    def __init__(self, url: URL, settings: Settings, publish: Publish) -> None:
        self.settings = settings
        self.publish = publish
        self.engine = create_sqlite_writer_engine(url)
        self.info = session_info(self.engine)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rencontre-scans")

    @classmethod
    def for_factory(
        cls, factory: async_sessionmaker[AsyncSession], settings: Settings, publish: Publish
    ) -> _SQLiteThread | None:
        """One for a factory of sessions on a SQLite file's engine; else (PostgreSQL, a
        session bound to a connection already in a transaction) the factory's sessions serve."""
        bind = factory.kw.get("bind")
        if not isinstance(bind, AsyncEngine) or bind.dialect.name != "sqlite":
            return None
        if bind.url.database in (None, "", ":memory:"):
            return None
        return cls(bind.url, settings, publish)

    async def write(self, requests: list[ScanRequest]) -> list[Outcome]:
        """The group's outcomes once committed, and its feed notices published (here, on the loop)."""
        loop = asyncio.get_running_loop()
        outcomes, committed = await loop.run_in_executor(self.executor, self._write, requests)
        await run_after_commit(committed)
        return outcomes

    def _write(self, requests: list[ScanRequest]) -> tuple[list[Outcome], AsyncSession]:
        with Session(self.engine, info=self.info) as sync_session:
            # The rules see the AsyncSession they are written for; this one never waits.
            session = cast(AsyncSession, ImmediateSession(sync_session))
            try:
                run_now(begin_write(session))
                recording = service.record_scans(session, self.settings, requests, publish=self.publish)
                outcomes = run_now(recording)
                sync_session.commit()
            except BaseException:
                sync_session.rollback()
                raise
            return outcomes, session

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        self.engine.dispose()


# PostgreSQL's deadlock_detected and serialization_failure: the transaction did nothing, retry it.
_RETRYABLE_STATES = frozenset({"40P01", "40001"})


def _lost_to_another_writer(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in _RETRYABLE_STATES


def _database_unavailable(exc: Exception) -> bool:
    """The database is down, restarting or out of reach: retrying the group piecemeal won't help."""
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc, OperationalError)
    return isinstance(exc, PoolTimeout | ConnectionError | TimeoutError | socket.gaierror)


def _settle(
    waiting: _Waiting, *, outcomes: list[Outcome] | None = None, error: Exception | None = None
) -> None:
    if waiting.answer.done():
        return
    if error is not None:
        waiting.answer.set_exception(error)
    else:
        assert outcomes is not None
        waiting.answer.set_result(outcomes)
