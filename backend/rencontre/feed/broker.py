"""Publishing new connections to the live feed, behind one small interface.

The scan path calls :meth:`Broker.publish` after its transaction committed; it
never waits on a socket nor on another instance. The in-process broker serves one
process (SQLite); the PostgreSQL broker (:mod:`rencontre.feed.postgres`) fans out
across instances with LISTEN/NOTIFY; :mod:`rencontre.feed.brokers` picks one.

A notice is a hint, never the data: whoever receives one reads what changed from
the database, by sequence number. So a notice delivered twice costs nothing, and
one that is lost is made good by the next one or by a catch-up.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.db import after_commit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedNotice:
    """A new connection in an event: just enough to fetch the rest from the database."""

    event_id: uuid.UUID
    seq: int


Publish = Callable[[FeedNotice], Awaitable[None]]


def publish_after_commit(session: AsyncSession, publish: Publish, notice: FeedNotice) -> None:
    """Publish ``notice`` once this transaction commits, never on rollback. The change is
    committed whatever happens then: a failure to publish is logged, and readers catch up
    from the database."""

    async def send() -> None:
        try:
            await publish(notice)
        except Exception:
            logger.exception("could not publish notice %s", notice)

    after_commit(session, send)


Listener = Callable[[FeedNotice], None]
Unsubscribe = Callable[[], None]


class BrokerObserver(Protocol):
    """Told about the broker itself rather than about one event."""

    def catch_up(self) -> None:
        """Notices may have been missed (the database connection was lost): read everything again."""

    async def broker_stopping(self) -> None:
        """The process is shutting down: say goodbye to the clients."""


class Broker(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish(self, notice: FeedNotice) -> None: ...
    def subscribe(self, event_id: uuid.UUID, listener: Listener) -> Unsubscribe: ...
    def observe(self, observer: BrokerObserver) -> Unsubscribe: ...


class LocalListeners:
    """Listeners by event and broker observers, in this process; shared by both brokers."""

    def __init__(self) -> None:
        self._listeners: dict[uuid.UUID, set[Listener]] = defaultdict(set)
        self._observers: list[BrokerObserver] = []

    def deliver(self, notice: FeedNotice) -> None:
        for listener in list(self._listeners.get(notice.event_id, ())):
            try:
                listener(notice)
            except Exception:
                logger.exception("feed listener failed on %s", notice)

    def subscribe(self, event_id: uuid.UUID, listener: Listener) -> Unsubscribe:
        self._listeners[event_id].add(listener)

        def unsubscribe() -> None:
            listeners = self._listeners.get(event_id)
            if listeners is not None:
                listeners.discard(listener)
                if not listeners:
                    del self._listeners[event_id]

        return unsubscribe

    def observe(self, observer: BrokerObserver) -> Unsubscribe:
        self._observers.append(observer)

        def forget() -> None:
            if observer in self._observers:
                self._observers.remove(observer)

        return forget

    def catch_up(self) -> None:
        for observer in list(self._observers):
            observer.catch_up()

    async def stopping(self) -> None:
        for observer in list(self._observers):
            try:
                await observer.broker_stopping()
            except Exception:
                logger.exception("feed observer failed while stopping")

    def clear(self) -> None:
        self._listeners.clear()
        self._observers.clear()


class InProcessBroker:
    """One process: a notice goes straight to this process's listeners."""

    def __init__(self) -> None:
        self._local = LocalListeners()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self._local.stopping()
        self._local.clear()

    async def publish(self, notice: FeedNotice) -> None:
        self.deliver(notice)

    def deliver(self, notice: FeedNotice) -> None:
        self._local.deliver(notice)

    def subscribe(self, event_id: uuid.UUID, listener: Listener) -> Unsubscribe:
        return self._local.subscribe(event_id, listener)

    def observe(self, observer: BrokerObserver) -> Unsubscribe:
        return self._local.observe(observer)
