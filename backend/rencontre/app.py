"""The ASGI application: routers, error handlers, static PWA and lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text

from rencontre import __version__
from rencontre.config import Settings, get_settings
from rencontre.db import create_engine, create_session_factory
from rencontre.errors import install_error_handlers
from rencontre.feed.broker import create_broker
from rencontre.web import install_static, install_web_middleware

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        broker = create_broker(settings, engine)
        app.state.broker = broker
        await broker.start()
        try:
            yield
        finally:
            await broker.stop()
            await engine.dispose()

    app = FastAPI(
        title="Rencontre",
        version=__version__,
        summary="Badge scanning, private notes and live counts for networking events.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url="/api/redoc",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    install_web_middleware(app, settings)

    from rencontre.attendees.endpoints import router as attendees_router
    from rencontre.auth.endpoints import router as auth_router
    from rencontre.events.endpoints import router as events_router
    from rencontre.health import router as health_router

    for router in (health_router, auth_router, events_router, attendees_router):
        app.include_router(router)
    _include_optional_routers(app)

    install_static(app, settings)
    return app


def _include_optional_routers(app: FastAPI) -> None:
    """Domains that mount their own router; each lands with its endpoints module."""
    import importlib

    for name in (
        "rencontre.profile.endpoints",
        "rencontre.badges.endpoints",
        "rencontre.encounters.endpoints",
        "rencontre.contacts.endpoints",
        "rencontre.reports.endpoints",
        "rencontre.feed.endpoints",
    ):
        try:
            module: Any = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
            continue
        app.include_router(module.router)


async def database_ok(app: FastAPI) -> bool:
    try:
        async with app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        logger.warning("health check: database unreachable", exc_info=True)
        return False
    return True
