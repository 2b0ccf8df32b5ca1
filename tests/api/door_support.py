"""Apps with the production sign-in and join limits, and clients at chosen addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rencontre.app import create_app
from rencontre.config import Settings
from rencontre.feed.broker import InProcessBroker
from rencontre.kit import ratelimit

_DOOR_LIMITS = (
    "login_rate_limit",
    "login_address_rate_limit",
    "login_email_rate_limit",
    "join_rate_limit",
    "join_address_rate_limit",
)


def door_settings(settings: Settings, **limits: str) -> Settings:
    """The test's settings with the shipped defaults of the door's limits, then ``limits``.

    A test that counts hits up to a limit gives it a daily window: the sliding window
    counter lets one more hit through when a window boundary passes between two of them,
    and a minute boundary passes during a run far more often than midnight does."""
    shipped: dict[str, Any] = {name: Settings.model_fields[name].default for name in _DOOR_LIMITS}
    return settings.model_copy(update={**shipped, **limits})


def door_app(
    settings: Settings, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> FastAPI:
    ratelimit.reset()
    app = create_app(settings)
    app.state.engine = engine
    app.state.session_factory = session_factory
    app.state.broker = InProcessBroker()
    return app


ClientAt = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


def clients_of(app: FastAPI) -> ClientAt:
    """``async with at("10.0.0.7") as client``: requests that come from that address."""

    @asynccontextmanager
    async def at(address: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client

    return at
