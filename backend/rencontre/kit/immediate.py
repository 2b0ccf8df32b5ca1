"""Async database code run synchronously, start to end, on a thread of its own.

The scan rules (``encounters.service.record_scans``) are written once, against an
``AsyncSession``. On SQLite each of their statements, through aiosqlite, is three
or four hops between the event loop and the driver's thread (cursor, execute,
fetch, close), and each hop waits for a busy event loop to come round: a group of
scans spends most of its time waiting, not working. :class:`ImmediateSession`
stands in for the ``AsyncSession`` over a plain synchronous ``Session``: its
awaitables never wait, so :func:`run_now` drives the same coroutine to its end
in one go, on the writer's own thread; the event loop is visited once per group.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

T = TypeVar("T")


class ImmediateSession:
    """The part of ``AsyncSession`` the scan path uses, over a synchronous ``Session``."""

    def __init__(self, session: Session) -> None:
        self.sync_session = session

    @property
    def info(self) -> dict[Any, Any]:
        return self.sync_session.info

    def get_bind(self) -> Any:
        return self.sync_session.get_bind()

    def in_transaction(self) -> bool:
        return self.sync_session.in_transaction()

    async def connection(self, **kwargs: Any) -> Connection:
        return self.sync_session.connection(**kwargs)

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self.sync_session.execute(*args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return self.sync_session.scalar(*args, **kwargs)

    async def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return self.sync_session.scalars(*args, **kwargs)


def run_now(coroutine: Coroutine[Any, Any, T]) -> T:
    """The coroutine's result, run to its end here; it must never really wait."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    coroutine.close()
    raise RuntimeError("run_now: the coroutine waited on something; it needs an event loop")
