"""Organiser sessions can be ended: sign-out and a password change revoke every token."""

from __future__ import annotations

import httpx

from rencontre.auth.service import organiser_token
from rencontre.config import Settings
from rencontre.models import Organiser
from tests.api.feed_support import scene_of
from tests.support import TEST_PASSWORD, Factory

NEW_PASSWORD = "a longer passphrase for the door"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


async def _works(client: httpx.AsyncClient, token: str) -> bool:
    return (await client.get("/api/auth/organiser", headers=_bearer(token))).status_code == 200


class TestSignOut:
    async def test_sign_out_revokes_every_token_at_once(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        laptop, phone = organiser_token(settings, organiser), organiser_token(settings, organiser)
        # Both have just been verified, and so sit in the verified-token cache.
        assert await _works(client, laptop)
        assert await _works(client, phone)
        out = await client.post("/api/auth/logout", headers=_bearer(laptop))
        assert out.status_code == 204
        for token in (laptop, phone):
            refused = await client.get("/api/events", headers=_bearer(token))
            assert refused.status_code == 401
            assert "revoked" in refused.json()["detail"]

    async def test_signing_in_again_after_sign_out_works(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        await client.post("/api/auth/logout", headers=_bearer(organiser_token(settings, organiser)))
        again = await _sign_in(client, organiser.email, TEST_PASSWORD)
        assert again.status_code == 200
        assert await _works(client, again.json()["access_token"])

    async def test_a_signed_out_organiser_gets_no_live_feed_ticket(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        token = organiser_token(settings, organiser)
        await client.post("/api/auth/logout", headers=_bearer(token))
        ticket = await client.post(f"/api/events/{event.id}/feed/ticket", headers=_bearer(token))
        assert ticket.status_code == 401

    async def test_sign_out_needs_an_organiser_token(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        assert (await client.post("/api/auth/logout")).status_code == 401
        event = await factory.event()
        attendee = await factory.attendee(event)
        as_attendee = await client.post("/api/auth/logout", headers=factory.attendee_headers(attendee))
        assert as_attendee.status_code == 403
        garbage = await client.post("/api/auth/logout", headers=_bearer("abc.def.ghi"))
        assert garbage.status_code == 401


class TestPasswordChange:
    async def test_a_new_password_revokes_old_tokens_and_returns_a_working_one(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        old = organiser_token(settings, organiser)
        other_device = organiser_token(settings, organiser)
        assert await _works(client, other_device)
        changed = await client.post(
            "/api/auth/password",
            json={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD},
            headers=_bearer(old),
        )
        assert changed.status_code == 200
        assert await _works(client, changed.json()["access_token"])
        assert not await _works(client, old)
        assert not await _works(client, other_device)
        assert (await _sign_in(client, organiser.email, TEST_PASSWORD)).status_code == 401
        assert (await _sign_in(client, organiser.email, NEW_PASSWORD)).status_code == 200

    async def test_a_wrong_current_password_changes_nothing(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        token = organiser_token(settings, organiser)
        refused = await client.post(
            "/api/auth/password",
            json={"current_password": "not it", "new_password": NEW_PASSWORD},
            headers=_bearer(token),
        )
        assert refused.status_code == 403
        assert refused.json()["code"] == "current_password_wrong"
        assert await _works(client, token)
        assert (await _sign_in(client, organiser.email, TEST_PASSWORD)).status_code == 200

    async def test_the_new_password_follows_the_strength_rule(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        token = organiser_token(settings, organiser)
        short = await client.post(
            "/api/auth/password",
            json={"current_password": TEST_PASSWORD, "new_password": "short"},
            headers=_bearer(token),
        )
        assert short.status_code == 422
        assert [e["field"] for e in short.json()["errors"]] == ["new_password"]
        assert await _works(client, token)

    async def test_the_new_password_must_differ_from_the_current_one(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        token = organiser_token(settings, organiser)
        same = await client.post(
            "/api/auth/password",
            json={"current_password": TEST_PASSWORD, "new_password": TEST_PASSWORD},
            headers=_bearer(token),
        )
        assert same.status_code == 422
        assert same.json()["code"] == "password_unchanged"
        assert await _works(client, token)

    async def test_missing_fields_are_named(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        response = await client.post(
            "/api/auth/password", json={}, headers=_bearer(organiser_token(settings, organiser))
        )
        assert response.status_code == 422
        assert {e["field"] for e in response.json()["errors"]} == {"current_password", "new_password"}

    async def test_a_password_change_needs_an_organiser_token(self, client: httpx.AsyncClient) -> None:
        body = {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}
        assert (await client.post("/api/auth/password", json=body)).status_code == 401


class TestPasswordGuessingThroughAChange:
    async def test_wrong_current_passwords_count_as_failed_sign_ins(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser: Organiser = await factory.organiser()
        client.headers.update(_bearer(organiser_token(settings, organiser)))
        settings.login_rate_limit = "2/day"
        body = {"current_password": "guess", "new_password": NEW_PASSWORD}
        for _ in range(2):
            assert (await client.post("/api/auth/password", json=body)).status_code == 403
        refused = await client.post("/api/auth/password", json=body)
        assert refused.status_code == 429
        assert refused.json()["code"] == "too_many_sign_ins"


class TestSignOutAndTheLiveFeed:
    async def test_a_ticket_asked_for_before_sign_out_opens_no_feed_after(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            ticket = await scene.ticket()
            out = await scene.http.post("/api/auth/logout", headers=scene.headers)
            assert out.status_code == 204
            socket = await scene.socket()
            await socket.auth(ticket)
            closed = await socket.closed()
            assert closed.code == 4401
            again = await scene.http.post(f"/api/events/{scene.event.id}/feed/ticket", headers=scene.headers)
            assert again.status_code == 401
