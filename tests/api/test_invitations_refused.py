"""Invitation requests that are refused change nothing, and say why with a code."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from rencontre.config import Settings
from rencontre.invitations.sender import InvitationSender
from rencontre.models import InviteState
from tests.api.invitation_support import invite, mail_server, sender, settings, shown
from tests.smtp_server import FakeMailServer
from tests.support import Factory

__all__ = ["mail_server", "sender", "settings"]


class TestRefusedInvitationsQueueNothing:
    async def test_unknown_attendee_ids_are_named_and_nothing_is_queued(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        other_event = await factory.event(organiser)
        known = await factory.attendee(event)
        elsewhere = await factory.attendee(other_event)
        stranger = uuid.uuid4()
        headers = factory.organiser_headers(organiser)
        response = await invite(
            client, event, headers, attendee_ids=[str(known.id), str(elsewhere.id), str(stranger)]
        )
        assert response.status_code == 404
        problem = response.json()
        assert problem["code"] == "unknown_attendees"
        assert set(problem["attendee_ids"]) == {str(elsewhere.id), str(stranger)}
        assert (await shown(client, event, known.id, headers))["invitation_state"] == "pending"

    async def test_an_attendee_who_already_joined_gets_no_invitation(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        joined = await factory.attendee(event, name="Already Here", join_used_version=1)
        waiting = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        response = await invite(client, event, headers, attendee_ids=[str(joined.id), str(waiting.id)])
        assert response.status_code == 409
        problem = response.json()
        assert problem["code"] == "attendees_already_joined"
        assert problem["attendee_ids"] == [str(joined.id)]
        assert "Already Here" in problem["detail"]
        assert (await shown(client, event, waiting.id, headers))["invitation_state"] == "pending"

    async def test_without_a_mail_server_sending_is_refused_and_the_console_is_told(
        self, app: FastAPI, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        app.state.settings = settings.model_copy(update={"smtp_host": ""})
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        response = await invite(client, event, headers, attendee_ids=[str(person.id)])
        assert response.status_code == 409
        assert response.json()["code"] == "mail_not_configured"
        progress = await client.get(f"/api/events/{event.id}/invitations", headers=headers)
        assert progress.json()["mail_configured"] is False
        assert (await shown(client, event, person.id, headers))["invitation_state"] == "pending"

    async def test_a_request_must_name_one_audience(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        bodies: list[dict[str, Any]] = [
            {},
            {"attendee_ids": [str(person.id)], "everyone_not_invited": True},
            {"attendee_ids": []},
            {"attendee_ids": ["not-an-id"]},
            {"everyone_not_invited": True, "language": "de"},
        ]
        for body in bodies:
            response = await invite(client, event, headers, **body)
            assert response.status_code == 422, body
            assert response.json()["code"] == "invalid_request"
        assert (await shown(client, event, person.id, headers))["invitation_state"] == "pending"

    async def test_another_organisers_event_is_not_found(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        owner = await factory.organiser()
        intruder = await factory.organiser()
        event = await factory.event(owner)
        person = await factory.attendee(event)
        response = await invite(
            client, event, factory.organiser_headers(intruder), attendee_ids=[str(person.id)]
        )
        assert response.status_code == 404


class TestWhoIsInvited:
    async def test_everyone_not_invited_leaves_out_the_sent_the_queued_and_the_joined(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        sender: InvitationSender,
        mail_server: FakeMailServer,
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        new = await factory.attendee(event, email="new@example.org")
        await factory.attendee(event, email="sent@example.org", invite_state=InviteState.sent)
        await factory.attendee(event, email="joined@example.org", join_used_version=1)
        headers = factory.organiser_headers(organiser)
        response = await invite(client, event, headers, everyone_not_invited=True)
        assert response.status_code == 202
        body = response.json()
        assert body["queued_now"] == 1
        assert body["counts"] == {
            "pending": 0,
            "queued": 1,
            "sending": 0,
            "sent": 1,
            "failed": 0,
            "joined": 1,
        }
        again = await invite(client, event, headers, everyone_not_invited=True)
        assert again.json()["queued_now"] == 0
        assert await sender.run_once() == 1
        assert [str(m["To"]) for m in mail_server.received] == [f"{new.name} <new@example.org>"]

    async def test_showing_an_attendees_link_in_the_console_sends_nothing(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        link = await client.get(f"/api/events/{event.id}/attendees/{person.id}/invite", headers=headers)
        assert link.status_code == 200
        assert (await shown(client, event, person.id, headers))["invitation_state"] == "pending"

    async def test_an_attendee_who_joins_while_queued_is_not_mailed(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        sender: InvitationSender,
        mail_server: FakeMailServer,
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(person.id)])
        link = (
            await client.get(f"/api/events/{event.id}/attendees/{person.id}/invite", headers=headers)
        ).json()
        joined = await client.post("/api/auth/join", json={"token": link["join_link"].split("#", 1)[1]})
        assert joined.status_code == 200
        await sender.run_once()
        assert mail_server.received == []
        assert (await shown(client, event, person.id, headers))["invitation_state"] == "joined"

    async def test_a_failed_invitation_can_be_sent_again(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        sender: InvitationSender,
        mail_server: FakeMailServer,
    ) -> None:
        mail_server.data_answers.append("554 5.7.1 Rejected")
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        person = await factory.attendee(event)
        headers = factory.organiser_headers(organiser)
        await invite(client, event, headers, attendee_ids=[str(person.id)])
        await sender.run_once()
        assert (await shown(client, event, person.id, headers))["invitation_state"] == "failed"
        await invite(client, event, headers, attendee_ids=[str(person.id)])
        await sender.run_once()
        after = await shown(client, event, person.id, headers)
        assert (after["invitation_state"], after["invite_error"]) == ("sent", "")
