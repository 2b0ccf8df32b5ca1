"""A join link works once; the phone that used it renews its own session with its device token."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.auth.service import device_token, invite_token
from rencontre.auth.tokens import Role, TokenType, issue
from rencontre.config import Settings
from rencontre.kit import ratelimit
from rencontre.models import Attendee, Organiser
from tests.api.conftest import Live
from tests.support import Factory


async def _join(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/auth/join", json={"token": token})


class TestJoinLinkSingleUse:
    async def test_a_second_use_is_refused_with_its_own_code(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        token = invite_token(settings, attendee)
        assert (await _join(client, token)).status_code == 200
        second = await _join(client, token)
        assert second.status_code == 409
        assert second.headers["content-type"].startswith("application/problem+json")
        assert second.json()["code"] == "join_link_used"
        assert "another device" in second.json()["detail"]
        assert "new access" in second.json()["detail"]

    async def test_another_link_of_the_same_access_is_spent_too(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        from_mail, from_csv = invite_token(settings, attendee), invite_token(settings, attendee)
        assert from_mail != from_csv
        assert (await _join(client, from_mail)).status_code == 200
        refused = await _join(client, from_csv)
        assert refused.status_code == 409
        assert refused.json()["code"] == "join_link_used"

    async def test_a_refused_second_use_changes_nothing(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        token = invite_token(settings, attendee)
        first = await _join(client, token)
        await factory.session.refresh(attendee)
        seen = (attendee.joined_at, attendee.last_seen_at, attendee.access_version)
        assert (await _join(client, token)).status_code == 409
        await factory.session.refresh(attendee)
        assert (attendee.joined_at, attendee.last_seen_at, attendee.access_version) == seen
        me = await client.get("/api/me", headers={"Authorization": f"Bearer {first.json()['access_token']}"})
        assert me.status_code == 200


class TestABrokenLink:
    async def test_a_forged_or_replaced_link_is_refused_with_its_own_code(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings, session: AsyncSession
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        replaced = invite_token(settings, attendee)
        attendee.access_version += 1
        await session.flush()
        for token in ("not-a-join-link", replaced):
            refused = await _join(client, token)
            assert refused.status_code == 401
            assert refused.json()["code"] == "invalid_join_link"
            assert (
                "join link does not work" in refused.json()["detail"]
                or "replaced" in refused.json()["detail"]
            )


class TestConcurrentExchanges:
    async def test_of_racing_exchanges_of_one_link_exactly_one_succeeds(self, live: Live) -> None:
        _event, [attendee], _ = await live.event_with(1)
        token = invite_token(live.settings, attendee)
        answers = await asyncio.gather(*(_join(live.client, token) for _ in range(6)))
        codes = sorted(r.status_code for r in answers)
        assert codes == [200, 409, 409, 409, 409, 409], [r.text for r in answers]
        assert {r.json()["code"] for r in answers if r.status_code == 409} == {"join_link_used"}
        async with live.sessions() as session:
            stored = await session.get(Attendee, attendee.id)
            assert stored is not None
            assert stored.join_used_version == stored.access_version == 1


class TestDeviceRenewal:
    async def test_the_phone_that_joined_renews_its_session_without_the_link(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        joined = (await _join(client, invite_token(settings, attendee))).json()
        renewed = await client.post("/api/auth/renew", json={"token": joined["device_token"]})
        assert renewed.status_code == 200
        body = renewed.json()
        assert body["attendee_id"] == str(attendee.id)
        assert body["event_id"] == str(event.id)
        me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.status_code == 200
        again = await client.post("/api/auth/renew", json={"token": body["device_token"]})
        assert again.status_code == 200

    async def test_renewal_works_after_the_access_token_has_expired(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        expired = issue(
            settings.jwt_keyring(),
            type=TokenType.access,
            role=Role.attendee,
            subject=attendee.id,
            version=attendee.access_version,
            event_id=event.id,
            lifetime=timedelta(minutes=-10),
        )
        assert (
            await client.get("/api/me", headers={"Authorization": f"Bearer {expired}"})
        ).status_code == 401
        renewed = await client.post("/api/auth/renew", json={"token": device_token(settings, attendee)})
        assert renewed.status_code == 200

    async def test_reissued_access_ends_the_old_phone_renewal(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        attendee = await factory.attendee(event)
        old_device = device_token(settings, attendee)
        reissued = await client.post(
            f"/api/events/{event.id}/attendees/{attendee.id}/access/reissue",
            headers=factory.organiser_headers(organiser),
        )
        assert reissued.status_code == 200
        refused = await client.post("/api/auth/renew", json={"token": old_device})
        assert refused.status_code == 401
        assert refused.json()["code"] == "access_reissued"

    async def test_the_old_phone_is_told_when_and_by_whom(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser(email="claire@example.org", name="Claire Martin")
        event = await factory.event(organiser)
        attendee = await factory.attendee(event)
        old_device = device_token(settings, attendee)
        await client.post(
            f"/api/events/{event.id}/attendees/{attendee.id}/access/reissue",
            json={"reason": "Lost phone"},
            headers=factory.organiser_headers(organiser),
        )
        problem = (await client.post("/api/auth/renew", json={"token": old_device})).json()
        assert problem["params"]["organiser_name"] == "Claire Martin"
        assert problem["params"]["organiser_email"] == "claire@example.org"
        assert problem["params"]["reason"] == "Lost phone"
        assert problem["params"]["reissued_at"]
        assert "Claire Martin" in problem["detail"]

    async def test_another_attendees_device_token_learns_nothing_of_a_reissue(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        attendee = await factory.attendee(event)
        other = await factory.attendee(event)
        await client.post(
            f"/api/events/{event.id}/attendees/{attendee.id}/access/reissue",
            headers=factory.organiser_headers(organiser),
        )
        renewed = await client.post("/api/auth/renew", json={"token": device_token(settings, other)})
        assert renewed.status_code == 200
        assert "params" not in renewed.json()

    async def test_other_tokens_cannot_renew(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        for token in (
            invite_token(settings, attendee),
            factory.attendee_headers(attendee)["Authorization"][7:],
        ):
            refused = await client.post("/api/auth/renew", json={"token": token})
            assert refused.status_code == 401
            assert "cannot be used as device tokens" in refused.json()["detail"]

    async def test_a_device_token_is_not_an_access_token(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        headers = {"Authorization": f"Bearer {device_token(settings, attendee)}"}
        assert (await client.get("/api/me", headers=headers)).status_code == 401

    async def test_garbage_and_missing_tokens_are_refused_clearly(self, client: httpx.AsyncClient) -> None:
        garbage = await client.post("/api/auth/renew", json={"token": "x" * 40})
        assert garbage.status_code == 401
        assert "sign-in" in garbage.json()["detail"]
        missing = await client.post("/api/auth/renew", json={})
        assert missing.status_code == 422
        assert [e["field"] for e in missing.json()["errors"]] == ["token"]

    async def test_a_removed_attendee_cannot_renew(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser: Organiser = await factory.organiser()
        event = await factory.event(organiser)
        attendee = await factory.attendee(event)
        token = device_token(settings, attendee)
        removed = await client.delete(
            f"/api/events/{event.id}/attendees/{attendee.id}", headers=factory.organiser_headers(organiser)
        )
        assert removed.status_code == 204
        assert (await client.post("/api/auth/renew", json={"token": token})).status_code == 401


class TestPhonesThatJoinedBeforeDeviceTokens:
    async def test_a_valid_session_gets_a_device_token_that_renews_it(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        event = await factory.event()
        attendee = await factory.attendee(event)
        given = await client.post("/api/auth/device", headers=factory.attendee_headers(attendee))
        assert given.status_code == 200
        assert given.json()["attendee_id"] == str(attendee.id)
        renewed = await client.post("/api/auth/renew", json={"token": given.json()["device_token"]})
        assert renewed.status_code == 200

    async def test_without_a_valid_attendee_session_there_is_none(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        organiser = await factory.organiser()
        event = await factory.event(organiser)
        attendee = await factory.attendee(event)
        assert (await client.post("/api/auth/device")).status_code == 401
        as_organiser = await client.post("/api/auth/device", headers=factory.organiser_headers(organiser))
        assert as_organiser.status_code == 403
        headers = factory.attendee_headers(attendee)
        await client.post(
            f"/api/events/{event.id}/attendees/{attendee.id}/access/reissue",
            headers=factory.organiser_headers(organiser),
        )
        assert (await client.post("/api/auth/device", headers=headers)).status_code == 401


class TestRenewalsAreCounted:
    """A phone renews when its access token nears its end; a loop of renewals is refused per
    attendee (a venue's phones share an address), with how long to wait, and mints nothing."""

    @pytest.fixture
    def app(self, settings: Settings, app: FastAPI) -> FastAPI:
        ratelimit.reset()
        app.state.settings = settings.model_copy(update={"session_renewal_rate_limit": "3/day"})
        return app

    async def test_past_the_limit_a_renewal_is_refused_and_other_phones_are_not(
        self, client: httpx.AsyncClient, factory: Factory, settings: Settings
    ) -> None:
        event = await factory.event()
        me, other = await factory.attendee(event), await factory.attendee(event)
        token = device_token(settings, me)
        for _ in range(2):
            assert (await client.post("/api/auth/renew", json={"token": token})).status_code == 200
        given = await client.post("/api/auth/device", headers=factory.attendee_headers(me))
        assert given.status_code == 200
        refused = await client.post("/api/auth/renew", json={"token": token})
        assert refused.status_code == 429
        assert refused.json()["code"] == "too_many_renewals"
        assert int(refused.headers["Retry-After"]) > 0
        assert "access_token" not in refused.json()
        again = await client.post("/api/auth/device", headers=factory.attendee_headers(me))
        assert again.status_code == 429
        mine = await client.post("/api/auth/renew", json={"token": device_token(settings, other)})
        assert mine.status_code == 200
