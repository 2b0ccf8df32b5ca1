"""The background schedule: reminders, retention warnings and purges, in every instance.

Like the invitation sender, it runs in the app's lifespan; the work it does is claimed
in the database (see push.repository and retention.repository), so several instances,
restarts and a cron job running ``rencontre reminders`` / ``rencontre purge`` never send
a reminder twice nor purge twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.db import create_engine, create_session_factory
from rencontre.push import reminders
from rencontre.retention import service as retention

logger = logging.getLogger(__name__)


async def run_reminders_once(settings: Settings) -> reminders.RoundReport:
    """``rencontre reminders``: one round with an engine of its own."""
    engine = create_engine(settings)
    try:
        return await reminders.run_round(settings, create_session_factory(engine))
    finally:
        await engine.dispose()


async def run_purge_once(settings: Settings) -> tuple[int, retention.PurgeReport]:
    """``rencontre purge``: the warnings due, then the purges due."""
    engine = create_engine(settings)
    try:
        sessions = create_session_factory(engine)
        warned = await retention.warning_round(settings, sessions)
        return warned, await retention.purge_round(settings, sessions)
    finally:
        await engine.dispose()


async def run_all(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
    await reminders.run_round(settings, sessions)
    await retention.warning_round(settings, sessions)
    await retention.purge_round(settings, sessions)


@dataclass
class Schedule:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="push-schedule")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await run_all(self.settings, self.sessions)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database or a push service went away: the next round tries again.
                logger.exception("schedule: a round failed; trying again at the next one")
            await asyncio.sleep(self.settings.reminder_poll_seconds)
