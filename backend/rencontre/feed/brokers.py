"""The live feed's broker for the configured database: the one module that knows both kinds."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from rencontre.config import Settings
from rencontre.feed.broker import Broker, InProcessBroker


def create_broker(settings: Settings, engine: AsyncEngine, channel: str | None = None) -> Broker:
    """SQLite serves one process: in-process. PostgreSQL: LISTEN/NOTIFY across instances, on
    the feed's channel or another (the phones' live channel has its own)."""
    if settings.is_sqlite:
        return InProcessBroker()
    # asyncpg is loaded only where PostgreSQL serves.
    from rencontre.feed.postgres import CHANNEL, PostgresBroker, asyncpg_dsn

    return PostgresBroker(asyncpg_dsn(engine), channel=channel or CHANNEL)
