"""The ASGI application: routers, error handlers, static PWA and lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from rencontre import __version__, health
from rencontre.access import endpoints as access_endpoints
from rencontre.attendees import endpoints as attendees_endpoints
from rencontre.auth import endpoints as auth_endpoints
from rencontre.badges import endpoints as badges_endpoints
from rencontre.config import Settings, get_settings
from rencontre.contacts import endpoints as contacts_endpoints
from rencontre.db import create_engine, create_session_factory
from rencontre.encounters import endpoints as encounters_endpoints
from rencontre.errors import install_error_handlers
from rencontre.events import endpoints as events_endpoints
from rencontre.feed import endpoints as feed_endpoints
from rencontre.feed.brokers import create_broker
from rencontre.formats import endpoints as formats_endpoints
from rencontre.formats.clock import SessionClock
from rencontre.invitations import endpoints as invitations_endpoints
from rencontre.invitations.sender import InvitationSender
from rencontre.kit import collector
from rencontre.live import endpoints as live_endpoints
from rencontre.live.hub import LIVE_CHANNEL
from rencontre.nextsteps import endpoints as nextsteps_endpoints
from rencontre.passkeys import endpoints as passkeys_endpoints
from rencontre.people import endpoints as people_endpoints
from rencontre.presence import endpoints as presence_endpoints
from rencontre.profile import endpoints as profile_endpoints
from rencontre.push import endpoints as push_endpoints
from rencontre.push.schedule import Schedule
from rencontre.reports import endpoints as reports_endpoints
from rencontre.retention import endpoints as retention_endpoints
from rencontre.scanned_by import endpoints as scanned_by_endpoints

# Suggestions (who-to-meet)
from rencontre.suggestions import endpoints as suggestions_endpoints
from rencontre.web import install_api_docs, install_static, install_web_middleware


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
        live_broker = create_broker(settings, engine, channel=LIVE_CHANNEL)
        app.state.live_broker = live_broker
        await live_broker.start()
        collector.tune_for_serving(settings.gc_young_threshold)
        sender = InvitationSender(settings, app.state.session_factory) if settings.mail_configured else None
        if sender is not None:
            sender.start()
        session_clock = SessionClock(app.state.session_factory, live_broker.publish)
        session_clock.start()
        # Reminders, retention warnings and purges (issue 19); off when cron runs them.
        schedule = (
            Schedule(settings, app.state.session_factory) if settings.reminder_poll_seconds > 0 else None
        )
        if schedule is not None:
            schedule.start()
        try:
            yield
        finally:
            if schedule is not None:
                await schedule.stop()
            await session_clock.stop()
            await live_broker.stop()
            if sender is not None:
                await sender.stop()
            await broker.stop()
            writer = getattr(app.state, "scan_writer", None)
            if writer is not None:
                writer.close()
            await engine.dispose()

    app = FastAPI(
        title="Rencontre",
        version=__version__,
        summary="Badge scanning, private notes and live counts for networking events.",
        openapi_url="/api/openapi.json",
        # Served by install_api_docs from bundled files: FastAPI's own pages load a CDN.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    install_web_middleware(app, settings)

    # Routes are matched in order: the scans, the busiest by far, come first.
    for router in (
        encounters_endpoints.router,
        health.router,
        auth_endpoints.router,
        events_endpoints.router,
        attendees_endpoints.router,
        invitations_endpoints.router,
        profile_endpoints.router,
        passkeys_endpoints.router,
        access_endpoints.router,
        badges_endpoints.router,
        contacts_endpoints.router,
        reports_endpoints.router,
        feed_endpoints.router,
        presence_endpoints.router,
        formats_endpoints.router,
        formats_endpoints.attendee_router,
        live_endpoints.router,
        # Profile photos (issue 16).
        profile_endpoints.photos_router,
        # Next steps (issue 19)
        nextsteps_endpoints.router,
        # Reminders by Web Push and retention (issue 19)
        push_endpoints.router,
        retention_endpoints.router,
        # Who scanned me (issue 16).
        scanned_by_endpoints.router,
        # Who-to-meet
        people_endpoints.router,
        # Suggestions (who-to-meet)
        suggestions_endpoints.router,
    ):
        app.include_router(router)

    install_api_docs(app)
    install_static(app, settings)
    return app
