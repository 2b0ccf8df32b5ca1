"""Reminders leave once however many instances run the round at the same moment: each
instance here has its own engine (its own connections) on the test database, and the rows
are committed for real, then removed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from rencontre.config import Settings
from rencontre.db import create_engine, create_session_factory
from rencontre.models import PushSubscription
from rencontre.push import reminders
from tests.api.conftest import Live
from tests.api.push_support import local, pushes, settings
from tests.push_server import FakePushService
from tests.support import Factory

__all__ = ["pushes", "settings"]

PEOPLE = 12


class TestSeveralInstances:
    async def test_two_instances_at_once_send_each_reminder_once(
        self, live: Live, settings: Settings, engine: AsyncEngine, database_url: str, pushes: FakePushService
    ) -> None:
        now = local(15)
        browsers = []
        async with live.sessions() as session:
            factory = Factory(session, settings)
            organiser = await factory.organiser()
            live.organisers.append(organiser.id)
            event = await factory.event(organiser)
            for _ in range(PEOPLE):
                me = await factory.attendee(event)
                browser = pushes.browser()
                browsers.append(browser)
                keys = browser.subscription()["keys"]
                session.add(
                    PushSubscription(
                        attendee_id=me.id, endpoint=browser.endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
                    )
                )
                for hours in (24, 25):
                    other = await factory.attendee(event)
                    when = now - timedelta(hours=hours)
                    await factory.encounter(me, other, met_at=when, last_scanned_at=when)
            await session.commit()

        second_engine = create_engine(settings, database_url)
        try:
            first, second = create_session_factory(engine), create_session_factory(second_engine)
            reports = await asyncio.gather(
                reminders.run_round(settings, first, now=now),
                reminders.run_round(settings, second, now=now),
                reminders.run_round(settings, first, now=now),
            )
        finally:
            await second_engine.dispose()
        assert sum(r.reminded for r in reports) == PEOPLE
        for browser in browsers:
            [message] = pushes.messages(browser)
            assert message["body"] == "2 contacts à relancer — il reste 23 h"
