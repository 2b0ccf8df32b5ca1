"""Invitations by e-mail: queued by the console, sent in the background, their state shown."""

from __future__ import annotations

import base64
import io
import re
import uuid
from email.message import EmailMessage

import httpx
import zxingcpp
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.invitations.sender import InvitationSender
from tests.api.invitation_support import (
    inline_images,
    invite,
    join_token,
    mail_server,
    part,
    sender,
    settings,
    shown,
)
from tests.smtp_server import FakeMailServer
from tests.support import Factory, free_port

__all__ = ["mail_server", "sender", "settings"]

LINK = re.compile(r"https?://\S+/join#[\w.-]+")


class TestAnInvitationArrivesAndItsLinkJoins:
    async def test_the_mail_names_the_event_carries_the_link_and_its_qr_and_the_link_joins(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        sender: InvitationSender,
        mail_server: FakeMailServer,
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser, name="Soirée des fondateurs", venue="La Sucrière")
        zoe = await factory.attendee(event, name="Zoé Lefèvre", email="zoe@example.org")
        headers = factory.organiser_headers(organiser)

        queued = await invite(client, event, headers, attendee_ids=[str(zoe.id)])
        assert queued.status_code == 202, queued.text
        assert queued.json()["queued_now"] == 1
        assert (await shown(client, event, zoe.id, headers))["invitation_state"] == "queued"

        assert await sender.run_once() == 1
        [message] = mail_server.to("zoe@example.org")
        assert message["Subject"] == "Votre invitation à Soirée des fondateurs"
        assert "Zoé Lefèvre" in str(message["To"])
        assert message["From"].addresses[0].addr_spec == "events@example.org"
        text, html = part(message, "plain"), part(message, "html")
        assert "Soirée des fondateurs" in text
        assert "La Sucrière" in text
        link = LINK.search(text)
        assert link is not None
        assert link.group(0) in html
        [(cid, png)] = inline_images(message).items()
        assert f"cid:{cid}" in html
        [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert decoded.text == link.group(0)
        after = await shown(client, event, zoe.id, headers)
        assert (after["invitation_state"], after["invite_error"]) == ("sent", "")
        assert after["invite_sent_at"] is not None

        joined = await client.post("/api/auth/join", json={"token": join_token(link.group(0))})
        assert joined.status_code == 200
        assert joined.json()["attendee_id"] == str(zoe.id)
        assert (await shown(client, event, zoe.id, headers))["invitation_state"] == "joined"

    async def test_each_attendee_reads_it_in_their_language_else_the_one_the_organiser_chose(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        sender: InvitationSender,
        mail_server: FakeMailServer,
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser, name="Demo Day")
        english = await factory.attendee(event, email="en@example.org", language="en")
        french = await factory.attendee(event, email="fr@example.org", language="fr")
        unset = await factory.attendee(event, email="unset@example.org")
        ids = [str(a.id) for a in (english, french, unset)]
        response = await invite(
            client, event, factory.organiser_headers(organiser), attendee_ids=ids, language="en"
        )
        assert response.status_code == 202
        assert await sender.run_once() == 3
        assert mail_server.to("en@example.org")[0]["Subject"] == "Your invitation to Demo Day"
        assert mail_server.to("fr@example.org")[0]["Subject"] == "Votre invitation à Demo Day"
        assert mail_server.to("unset@example.org")[0]["Subject"] == "Your invitation to Demo Day"
        assert "Open this link on your phone" in part(mail_server.to("unset@example.org")[0], "plain")


class TestTemporaryFailuresAreRetried:
    async def test_a_451_answer_is_retried_and_then_sent(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        sender: InvitationSender,
        mail_server: FakeMailServer,
    ) -> None:
        mail_server.data_answers.append("451 4.3.0 Mailbox busy, try later")
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event, email="busy@example.org")
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(person.id)])

        assert await sender.run_once() == 1
        waiting = await shown(client, event, person.id, headers)
        assert waiting["invitation_state"] == "queued"
        assert waiting["invite_error"].startswith("451")
        assert mail_server.to("busy@example.org") == []

        assert await sender.run_once() == 1
        sent = await shown(client, event, person.id, headers)
        assert (sent["invitation_state"], sent["invite_error"]) == ("sent", "")
        assert len(mail_server.to("busy@example.org")) == 1
        assert mail_server.attempts == 2

    async def test_an_unreachable_server_is_retried_until_the_attempts_run_out(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        nowhere = settings.model_copy(update={"smtp_port": free_port(), "smtp_max_attempts": 2})
        sender = InvitationSender(nowhere, session_factory)
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(person.id)])
        assert await sender.run_once() == 1
        first = await shown(client, event, person.id, headers)
        assert first["invitation_state"] == "queued"
        assert "unreachable" in first["invite_error"]
        assert await sender.run_once() == 1
        last = await shown(client, event, person.id, headers)
        assert last["invitation_state"] == "failed"
        assert "unreachable" in last["invite_error"]


class TestPermanentFailuresAreShown:
    async def test_a_550_answer_fails_at_once_with_the_servers_reason(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        sender: InvitationSender,
        mail_server: FakeMailServer,
    ) -> None:
        mail_server.refused.add("gone@example.org")
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        gone = await factory.attendee(event, email="gone@example.org")
        fine = await factory.attendee(event, email="fine@example.org")
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(gone.id), str(fine.id)])

        assert await sender.run_once() == 2
        failed = await shown(client, event, gone.id, headers)
        assert failed["invitation_state"] == "failed"
        assert failed["invite_error"] == "550 5.1.1 No such user here"
        assert await sender.run_once() == 0
        progress = (await client.get(f"/api/events/{event.id}/invitations", headers=headers)).json()
        assert progress["mail_configured"] is True
        assert (progress["counts"]["failed"], progress["counts"]["sent"]) == (1, 1)


class TestThePreviewShowsTheMailAsItWouldLeave:
    async def test_the_preview_has_the_subject_text_html_and_qr_in_the_chosen_language(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser, name="Demo Day")
        person = await factory.attendee(event, name="Ada")
        path = f"/api/events/{event.id}/attendees/{person.id}/invitation/preview"
        headers = factory.organiser_headers(organiser)
        english = (await client.get(path, params={"language": "en"}, headers=headers)).json()
        assert english["subject"] == "Your invitation to Demo Day"
        assert english["to"] == person.email
        assert "Hello Ada," in english["text"]
        assert "cid:join-qr" in english["html"]
        link = LINK.search(english["text"])
        assert link is not None
        png = base64.b64decode(english["qr_png_base64"])
        assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text == link.group(0)
        french = (await client.get(path, headers=headers)).json()
        assert french["subject"] == "Votre invitation à Demo Day"
        assert (await shown(client, event, person.id, headers))["invitation_state"] == "pending"

    async def test_no_preview_for_an_attendee_who_joined_or_is_not_there(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        joined = await factory.attendee(event, join_used_version=1)
        headers = factory.organiser_headers(organiser)
        base = f"/api/events/{event.id}/attendees"
        refused = await client.get(f"{base}/{joined.id}/invitation/preview", headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (409, "attendee_already_joined")
        missing = await client.get(f"{base}/{uuid.uuid4()}/invitation/preview", headers=headers)
        assert (missing.status_code, missing.json()["code"]) == (404, "attendee_not_found")
        bad = await client.get(f"{base}/{joined.id}/invitation/preview?language=de", headers=headers)
        assert bad.status_code == 422


class TestNoInvitationStaysClaimedByAnError:
    async def test_an_internationalised_address_is_delivered(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        sender: InvitationSender,
        mail_server: FakeMailServer,
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        chloe = await factory.attendee(event, name="Chloé", email="chloé@example.org")
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(chloe.id)])
        assert await sender.run_once() == 1
        assert (await shown(client, event, chloe.id, headers))["invitation_state"] == "sent"
        [message] = mail_server.received
        assert message["To"].addresses[0].addr_spec == "chloé@example.org"

    async def test_an_unexpected_error_fails_the_invitation_with_its_reason(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        async def broken(message: EmailMessage) -> None:
            raise RuntimeError("the transport broke")

        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(person.id)])
        assert await InvitationSender(settings, session_factory, transport=broken).run_once() == 1
        failed = await shown(client, event, person.id, headers)
        assert failed["invitation_state"] == "failed"
        assert "the transport broke" in failed["invite_error"]


class TestAMailSettingTheServerLacksFailsAtOnce:
    async def test_starttls_against_a_server_without_it_fails_with_the_reason(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        mail_server: FakeMailServer,
    ) -> None:
        starttls = settings.model_copy(update={"smtp_tls": "starttls"})
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(person.id)])
        assert await InvitationSender(starttls, session_factory).run_once() == 1
        failed = await shown(client, event, person.id, headers)
        assert failed["invitation_state"] == "failed"
        assert "does not support" in failed["invite_error"]
        assert "STARTTLS" in failed["invite_error"]
        assert mail_server.received == []
