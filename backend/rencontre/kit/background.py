"""A task that repeats in the background of the app, started and stopped by the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


class Repeating:
    """Runs ``step`` again and again until stopped: at once while it reports work done
    (``True``), after ``pause_seconds`` otherwise. A failing step is logged and retried
    after the pause: the database or a remote server that went away comes back."""

    def __init__(self, name: str, step: Callable[[], Awaitable[bool]], pause_seconds: float) -> None:
        self.name = name
        self._step = step
        self._pause = pause_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                busy = await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("%s: a round failed; trying again shortly", self.name)
                busy = False
            if not busy:
                await asyncio.sleep(self._pause)
