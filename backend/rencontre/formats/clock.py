"""The ticker that moves sessions on when a round or break ends.

It runs in every instance (started in the lifespan); each due session is advanced in its
own transaction by whichever instance claims its version first (``service.advance``),
so several instances move a session on once, and a restart loses nothing: the clock is
in the database.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.db import begin_write, session_scope
from rencontre.feed.broker import Publish
from rencontre.formats import repository, service
from rencontre.kit.background import Repeating
from rencontre.kit.time import utcnow


class SessionClock:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        publish: Publish | None = None,
        period_seconds: float = 0.25,
    ) -> None:
        self.sessions = sessions
        self._publish = publish
        self._loop = Repeating("format-session-clock", self._tick, period_seconds)

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _tick(self) -> bool:
        await self.run_once()
        # Always wait for the next tick: a round ends at a time, not when work piles up.
        return False

    async def run_once(self) -> int:
        """Advance every session whose phase has ended; how many this instance advanced."""
        async with session_scope(self.sessions) as session:
            due = await repository.due(session, utcnow())
        moved = 0
        for session_id in due:
            async with session_scope(self.sessions) as session:
                await begin_write(session)
                if await service.advance(session, session_id, publish=self._publish) is not None:
                    moved += 1
        return moved
