from __future__ import annotations

from datetime import timedelta

import httpx

from rencontre.auth.tokens import Role, TokenType, issue
from rencontre.config import Settings
from tests.support import TEST_PASSWORD, Factory


class TestOrganiserLogin:
    async def test_right_password_gives_a_working_token(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser(email="lea@example.org")
        response = await client.post(
            "/api/auth/login", json={"email": "LEA@example.org", "password": TEST_PASSWORD}
        )
        assert response.status_code == 200
        token = response.json()["access_token"]
        me = await client.get("/api/auth/organiser", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["id"] == str(organiser.id)

    async def test_wrong_password_and_unknown_email_look_the_same(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        await factory.organiser(email="lea@example.org")
        wrong = await client.post("/api/auth/login", json={"email": "lea@example.org", "password": "nope"})
        unknown = await client.post("/api/auth/login", json={"email": "who@example.org", "password": "nope"})
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json()["detail"] == unknown.json()["detail"]

    async def test_malformed_body_names_the_field(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/auth/login", json={"email": "not-an-email"})
        assert response.status_code == 422
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields == {"email", "password"}


class TestAccessTokens:
    async def test_missing_token(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/events")
        assert response.status_code == 401
        assert "Sign in" in response.json()["detail"]

    async def test_malformed_token(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/events", headers={"Authorization": "Bearer abc.def"})
        assert response.status_code == 401

    async def test_expired_token(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        token = issue(
            settings.jwt_keyring(),
            type=TokenType.access,
            role=Role.organiser,
            subject=organiser.id,
            version=organiser.token_version,
            lifetime=timedelta(minutes=-10),
        )
        response = await client.get("/api/events", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]

    async def test_attendee_token_cannot_reach_organiser_routes(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        response = await client.get("/api/events", headers=factory.attendee_headers(attendee))
        assert response.status_code == 403

    async def test_invite_token_is_not_an_access_token(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        from rencontre.auth.service import invite_token

        event = await factory.event()
        attendee = await factory.attendee(event)
        headers = {"Authorization": f"Bearer {invite_token(settings, attendee)}"}
        response = await client.get("/api/events", headers=headers)
        assert response.status_code == 401


class TestAttendeeJoin:
    async def test_join_link_exchanges_for_an_access_token(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        attendee = await factory.attendee(event)
        invite = await client.get(
            f"/api/events/{event.id}/attendees/{attendee.id}/invite",
            headers=factory.organiser_headers(organiser),
        )
        link = invite.json()["join_link"]
        assert "/join#" in link
        joined = await client.post("/api/auth/join", json={"token": link.split("#", 1)[1]})
        assert joined.status_code == 200
        body = joined.json()
        assert body["attendee_id"] == str(attendee.id)
        listed = await client.get(
            f"/api/events/{event.id}/attendees/{attendee.id}",
            headers=factory.organiser_headers(organiser),
        )
        assert listed.json()["invite_state"] == "joined"

    async def test_reissued_access_revokes_old_link_and_session(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        from rencontre.auth.service import attendee_token, invite_token

        organiser = await factory.organiser()
        event = await factory.event(organiser)
        attendee = await factory.attendee(event)
        old_invite = invite_token(settings, attendee)
        old_access = attendee_token(settings, attendee)
        reissued = await client.post(
            f"/api/events/{event.id}/attendees/{attendee.id}/access/reissue",
            headers=factory.organiser_headers(organiser),
        )
        assert reissued.status_code == 200
        refused = await client.post("/api/auth/join", json={"token": old_invite})
        assert refused.status_code == 401
        assert "revoked" in refused.json()["detail"]
        new_token = reissued.json()["join_link"].split("#", 1)[1]
        assert (await client.post("/api/auth/join", json={"token": new_token})).status_code == 200
        assert old_access != new_token

    async def test_garbage_join_token(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/auth/join", json={"token": "x" * 40})
        assert response.status_code == 401
        assert "join link" in response.json()["detail"]
