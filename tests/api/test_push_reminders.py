"""Follow-up reminders by Web Push, end to end against a local push service that decrypts
what it receives: when (24 h, 40 h), grouped, never at night, never for contacts already
followed up, in the attendee's language, and expired subscriptions removed."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.models import FollowUpState, PushSubscription
from rencontre.push import reminders, webpush
from tests.api.push_support import local, met, pushes, settings, subscribe
from tests.push_server import FakePushService
from tests.support import Factory

__all__ = ["pushes", "settings"]

AFTERNOON = local(14)


async def _person(client: httpx.AsyncClient, factory: Factory, pushes: FakePushService, **fields: object):
    event = await factory.event(timezone="Europe/Paris", name="Salon Lyon")
    me = await factory.attendee(event, **fields)
    browser = pushes.browser()
    await subscribe(client, factory, me, browser)
    return event, me, browser


class TestWhenRemindersLeave:
    async def test_nothing_before_24_hours_then_one_at_24_then_one_at_40(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event, me, browser = await _person(client, factory, pushes)
        meeting = local(18, days_ago=2)
        await met(factory, event, me, meeting)

        early = await reminders.run_round(settings, session_factory, now=meeting + timedelta(hours=21))
        assert early.reminded == 0
        assert pushes.messages(browser) == []

        first = await reminders.run_round(settings, session_factory, now=meeting + timedelta(hours=24))
        assert (first.reminded, first.messages) == (1, 1)
        [message] = pushes.messages(browser)
        assert message == {
            "kind": "follow_up",
            "title": "Salon Lyon",
            "body": "1 contact à relancer — il reste 24 h",
            "url": "/contacts?follow_up=todo",
            "tag": "follow-up",
        }
        pushes.verify(pushes.all_received()[0], webpush.public_key(settings))

        # The same round again (another instance, a cron run, a restart) sends nothing more.
        again = await reminders.run_round(
            settings, session_factory, now=meeting + timedelta(hours=24, minutes=1)
        )
        assert again.reminded == 0
        assert len(pushes.messages(browser)) == 1

        # 40 hours after the meeting: 10:00 today.
        second = await reminders.run_round(settings, session_factory, now=meeting + timedelta(hours=40))
        assert second.reminded == 1
        assert pushes.messages(browser)[-1]["body"] == "1 contact à relancer — il reste 8 h"
        done = await reminders.run_round(settings, session_factory, now=meeting + timedelta(hours=44))
        assert done.reminded == 0
        assert len(pushes.messages(browser)) == 2

    async def test_past_the_48_hour_window_nothing_is_sent(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event, me, browser = await _person(client, factory, pushes)
        await met(factory, event, me, AFTERNOON - timedelta(hours=49))
        report = await reminders.run_round(settings, session_factory, now=AFTERNOON)
        assert report.reminded == 0
        assert pushes.messages(browser) == []


class TestGrouping:
    async def test_every_due_contact_in_one_notification_with_the_nearest_deadline(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event, me, browser = await _person(client, factory, pushes)
        for hours in (24, 24.5, 25):
            await met(factory, event, me, AFTERNOON - timedelta(hours=hours))
        # Due within the gap: joins this notification rather than making another in an hour.
        await met(factory, event, me, AFTERNOON - timedelta(hours=23))
        # Met this morning: counted as still to do, not yet due.
        await met(factory, event, me, AFTERNOON - timedelta(hours=4))
        report = await reminders.run_round(settings, session_factory, now=AFTERNOON)
        assert (report.reminded, report.messages) == (1, 1)
        [message] = pushes.messages(browser)
        assert message["body"] == "5 contacts à relancer — il reste 23 h"
        # Within the gap nothing else leaves, even for the one met 4 hours ago once due.
        assert (
            await reminders.run_round(settings, session_factory, now=AFTERNOON + timedelta(hours=1))
        ).reminded == 0

    async def test_at_most_the_daily_cap_however_many_meetings_fall_due(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event, me, browser = await _person(client, factory, pushes)
        day = local(9)
        # A meeting due every three hours of the day: more than the cap allows.
        for step in range(5):
            await met(factory, event, me, day + timedelta(hours=3 * step) - timedelta(hours=24))
        sent = 0
        for step in range(5):
            report = await reminders.run_round(settings, session_factory, now=day + timedelta(hours=3 * step))
            sent += report.reminded
        assert sent == settings.reminder_max_per_day == 3
        assert len(pushes.messages(browser)) == 3


class TestQuietHours:
    async def test_never_at_night_in_the_event_time_zone_then_in_the_morning(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event, me, browser = await _person(client, factory, pushes)
        night = local(23, days_ago=1)
        await met(factory, event, me, night - timedelta(hours=24))
        for moment in (night, night + timedelta(hours=3), local(7, 30)):
            report = await reminders.run_round(settings, session_factory, now=moment)
            assert (report.reminded, report.quiet) == (0, 1)
        assert pushes.messages(browser) == []
        morning = await reminders.run_round(settings, session_factory, now=local(8, 5))
        assert morning.reminded == 1
        assert pushes.messages(browser)[0]["body"] == "1 contact à relancer — il reste 14 h"

    def test_quiet_hours_follow_the_event_zone_not_the_server(self, settings: Settings) -> None:
        paris_noon = local(12)
        # Noon in Paris is 00:00 in Auckland (summer) or 23:00: night there either way.
        assert not reminders.is_quiet(settings, paris_noon, "Europe/Paris")
        assert reminders.is_quiet(settings, paris_noon, "Pacific/Auckland")
        assert not reminders.is_quiet(settings, local(21, 59), "Europe/Paris")
        assert reminders.is_quiet(settings, local(22), "Europe/Paris")


class TestWhatIsNotReminded:
    async def test_contacts_followed_up_are_skipped_and_not_counted(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event, me, browser = await _person(client, factory, pushes)
        await met(factory, event, me, AFTERNOON - timedelta(hours=24), follow_up=FollowUpState.done)
        assert (await reminders.run_round(settings, session_factory, now=AFTERNOON)).reminded == 0
        await met(factory, event, me, AFTERNOON - timedelta(hours=24))
        assert (await reminders.run_round(settings, session_factory, now=AFTERNOON)).reminded == 1
        assert pushes.messages(browser)[0]["body"] == "1 contact à relancer — il reste 24 h"

    async def test_an_attendee_without_a_subscription_gets_nothing(
        self,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event = await factory.event()
        me = await factory.attendee(event)
        await met(factory, event, me, AFTERNOON - timedelta(hours=24))
        assert (await reminders.run_round(settings, session_factory, now=AFTERNOON)).reminded == 0
        assert pushes.all_received() == []


class TestLanguage:
    async def test_in_the_attendees_language_else_the_phones(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event = await factory.event(name="Lyon Meetup")
        english = await factory.attendee(event, language="en")
        undecided = await factory.attendee(event, language="")
        first, second = pushes.browser(), pushes.browser()
        await subscribe(client, factory, english, first)
        await subscribe(client, factory, undecided, second, language="en")
        for person in (english, undecided):
            for _ in range(2):
                await met(factory, event, person, AFTERNOON - timedelta(hours=24))
        await reminders.run_round(settings, session_factory, now=AFTERNOON)
        assert pushes.messages(first)[0]["body"] == "2 contacts to follow up — 24 h left"
        assert pushes.messages(second)[0]["body"] == "2 contacts to follow up — 24 h left"


class TestExpiredSubscriptions:
    async def test_a_subscription_the_push_service_calls_gone_is_removed_the_others_still_get_it(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        session_factory: async_sessionmaker[AsyncSession],
        pushes: FakePushService,
    ) -> None:
        event, me, phone = await _person(client, factory, pushes)
        gone, missing = pushes.browser(status=410), pushes.browser(status=404)
        failing = pushes.browser(status=500)
        for browser in (gone, missing, failing):
            await subscribe(client, factory, me, browser)
        await met(factory, event, me, AFTERNOON - timedelta(hours=24))
        report = await reminders.run_round(settings, session_factory, now=AFTERNOON)
        assert (report.messages, report.removed, report.failed) == (1, 2, 1)
        left = set(
            await session.scalars(
                select(PushSubscription.endpoint).where(PushSubscription.attendee_id == me.id)
            )
        )
        assert left == {phone.endpoint, failing.endpoint}
