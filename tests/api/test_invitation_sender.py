"""The background sender: a rate the mail server accepts, and nothing lost to a crash."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.invitations.sender import InvitationSender
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, InviteState
from tests.api.invitation_support import invite, mail_server, shown
from tests.smtp_server import FakeMailServer
from tests.support import Factory, make_settings

__all__ = ["mail_server"]


@pytest.fixture
def settings(database_url: str, tmp_path: Path, mail_server: FakeMailServer) -> Settings:
    return make_settings(tmp_path, database_url, **{**mail_server.settings(), "smtp_rate_per_minute": 2})


class TestTheRatePerMinute:
    async def test_no_more_attempts_in_a_minute_than_the_rate_the_rest_waits_queued(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        mail_server: FakeMailServer,
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        people = [await factory.attendee(event) for _ in range(3)]
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(p.id) for p in people])
        # Two instances share the database, and so the rate.
        first, second = (
            InvitationSender(settings, session_factory),
            InvitationSender(settings, session_factory),
        )
        assert await first.run_once() == 2
        assert await second.run_once() == 0
        assert len(mail_server.received) == 2
        progress = (await client.get(f"/api/events/{event.id}/invitations", headers=headers)).json()
        assert (progress["counts"]["sent"], progress["counts"]["queued"]) == (2, 1)


class TestACrashedSendersClaimIsTakenBack:
    async def test_an_invitation_claimed_long_ago_by_a_sender_that_died_is_sent(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        session_factory: async_sessionmaker[AsyncSession],
        mail_server: FakeMailServer,
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event, email="orphan@example.org")
        long_ago = utcnow() - timedelta(hours=1)
        await session.execute(
            update(Attendee)
            .where(Attendee.id == person.id)
            .values(
                invite_state=InviteState.sending,
                invite_claimed_at=long_ago,
                invite_last_attempt_at=long_ago,
                invite_next_at=long_ago,
            )
        )
        await session.commit()
        assert await InvitationSender(settings, session_factory).run_once() == 1
        assert len(mail_server.to("orphan@example.org")) == 1
        headers = factory.organiser_headers(organiser)
        assert (await shown(client, event, person.id, headers))["invitation_state"] == "sent"

    async def test_a_recent_claim_is_left_to_the_sender_holding_it(
        self,
        factory: Factory,
        settings: Settings,
        session: AsyncSession,
        session_factory: async_sessionmaker[AsyncSession],
        mail_server: FakeMailServer,
    ) -> None:
        event = await factory.event()
        person = await factory.attendee(event)
        now = utcnow()
        await session.execute(
            update(Attendee)
            .where(Attendee.id == person.id)
            .values(invite_state=InviteState.sending, invite_claimed_at=now, invite_next_at=now)
        )
        await session.commit()
        assert await InvitationSender(settings, session_factory).run_once() == 0
        assert mail_server.received == []


class TestASlowMessageHoldsUpNoOther:
    async def test_the_others_of_the_round_are_sent_while_one_waits_for_the_server(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        tmp_path: Path,
        database_url: str,
        mail_server: FakeMailServer,
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        settings = make_settings(
            tmp_path,
            database_url,
            **{**mail_server.settings(), "smtp_rate_per_minute": 10, "smtp_connections": 2},
        )
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        slow = await factory.attendee(event, email="slow@example.org")
        others = [await factory.attendee(event, email=f"quick{n}@example.org") for n in range(3)]
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(p.id) for p in [slow, *others]])
        answer = asyncio.Event()
        sent: list[str] = []

        async def transport(message: EmailMessage) -> None:
            if message["To"].addresses[0].addr_spec == "slow@example.org":
                await answer.wait()
            sent.append(message["To"].addresses[0].addr_spec)

        round_ = asyncio.create_task(InvitationSender(settings, session_factory, transport).run_once())
        for _ in range(500):
            if len(sent) == 3:
                break
            await asyncio.sleep(0.01)
        assert sorted(sent) == sorted(p.email for p in others)
        answer.set()
        assert await round_ == 4
        assert sent[-1] == "slow@example.org"
        progress = (await client.get(f"/api/events/{event.id}/invitations", headers=headers)).json()
        assert progress["counts"]["sent"] == 4
