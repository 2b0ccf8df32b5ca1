"""The feed-only process (``rencontre serve --feed-only``): organisers' dashboards, away from the scans.

A thousand dashboards cost the process serving them a frame to send to each, several
times a second: on the same event loop as the scans, that is what a scan waits
behind. This app serves the dashboards' websocket (``/api/events/{id}/feed``) and
the health check, and nothing else (404): tickets are still asked for on the main
instances, and any instance redeems them (a ticket is a row in the database). The
feed crosses processes through PostgreSQL's LISTEN/NOTIFY, so a scan recorded by a
main instance reaches a dashboard here as it would one of its own; with SQLite there
is one process, and nothing to cross to.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from rencontre import __version__, health
from rencontre.config import Settings, get_settings
from rencontre.db import create_engine, create_session_factory
from rencontre.errors import install_error_handlers
from rencontre.feed import endpoints
from rencontre.feed.brokers import create_broker
from rencontre.kit import collector


class FeedOnlyNeedsPostgres(ValueError):
    def __init__(self) -> None:
        super().__init__(
            "a feed-only process needs PostgreSQL (RENCONTRE_DATABASE_URL): with SQLite one process"
            " serves everything, and scans recorded elsewhere could not reach its dashboards"
        )


def create_feed_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.is_sqlite:
        raise FeedOnlyNeedsPostgres()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        broker = app.state.broker = create_broker(settings, engine)
        await broker.start()
        collector.tune_for_serving(settings.gc_young_threshold)
        try:
            yield
        finally:
            await broker.stop()
            await engine.dispose()

    app = FastAPI(
        title="Rencontre live feed",
        version=__version__,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(endpoints.socket_router)
    app.include_router(health.router)
    return app
