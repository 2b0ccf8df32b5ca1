"""Turning reminders on and off from a phone: the public key, subscribe, unsubscribe, and
every bad input refused with a clear error that changes nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.kit.time import utcnow
from rencontre.models import PushSubscription
from rencontre.push import webpush
from rencontre.push.service import MAX_SUBSCRIPTIONS
from tests.api.push_support import pushes, settings, subscribe
from tests.push_server import FakeBrowser, FakePushService, b64url
from tests.support import Factory, make_settings

__all__ = ["pushes", "settings"]


async def _count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(PushSubscription)) or 0)


class TestPublicKey:
    async def test_the_vapid_public_key_is_generated_once_and_kept(
        self, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
    ) -> None:
        response = await client.get("/api/push/key")
        assert response.status_code == 200
        key = response.json()["public_key"]
        assert key == webpush.public_key(settings)
        assert len(key) == 87  # 65 bytes, base64url without padding
        stored = settings.data_dir / "vapid.pem"
        assert stored.stat().st_mode & 0o777 == 0o600
        # Another process reading the same data directory signs with the same key.
        again = make_settings(settings.data_dir)
        assert webpush.public_key(again) == key

    async def test_a_key_given_by_the_deployment_is_used(self, tmp_path: Path) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        given = make_settings(tmp_path, vapid_private_key=pem.decode())
        assert webpush.public_key(given)
        assert not (tmp_path / "vapid.pem").exists()


class TestSubscribe:
    async def test_subscribe_then_again_then_unsubscribe(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, pushes: FakePushService
    ) -> None:
        event = await factory.event()
        me = await factory.attendee(event)
        browser = pushes.browser()
        first = await subscribe(client, factory, me, browser, language="en")
        assert first.status_code == 201
        assert first.json()["language"] == "en"
        again = await subscribe(client, factory, me, browser)
        assert again.status_code == 200
        assert again.json()["id"] == first.json()["id"]
        assert await _count(session) == 1
        headers = factory.attendee_headers(me)
        gone = await client.post(
            "/api/push/unsubscribe", json={"endpoint": browser.endpoint}, headers=headers
        )
        assert gone.status_code == 204
        assert await _count(session) == 0
        twice = await client.post(
            "/api/push/unsubscribe", json={"endpoint": browser.endpoint}, headers=headers
        )
        assert twice.status_code == 404
        assert twice.json()["code"] == "push_subscription_not_found"

    async def test_a_phone_handed_to_someone_else_follows_its_new_owner(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, pushes: FakePushService
    ) -> None:
        event = await factory.event()
        first, second = await factory.attendee(event), await factory.attendee(event)
        browser = pushes.browser()
        await subscribe(client, factory, first, browser)
        await subscribe(client, factory, second, browser)
        owners = list(await session.scalars(select(PushSubscription.attendee_id)))
        assert owners == [second.id]
        # The first can no longer remove what is not theirs.
        response = await client.post(
            "/api/push/unsubscribe",
            json={"endpoint": browser.endpoint},
            headers=factory.attendee_headers(first),
        )
        assert response.status_code == 404

    async def test_the_oldest_phone_makes_room_past_the_limit(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, pushes: FakePushService
    ) -> None:
        event = await factory.event()
        me = await factory.attendee(event)
        browsers = [pushes.browser() for _ in range(MAX_SUBSCRIPTIONS + 1)]
        for browser in browsers:
            await subscribe(client, factory, me, browser)
        endpoints = set(await session.scalars(select(PushSubscription.endpoint)))
        assert endpoints == {b.endpoint for b in browsers[1:]}

    async def test_deleting_the_account_forgets_every_phone(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, pushes: FakePushService
    ) -> None:
        event = await factory.event()
        me, other = await factory.attendee(event), await factory.attendee(event)
        for person in (me, me, other):
            await subscribe(client, factory, person, pushes.browser())
        response = await client.delete("/api/me", headers=factory.attendee_headers(me))
        assert response.status_code == 204
        owners = list(await session.scalars(select(PushSubscription.attendee_id)))
        assert owners == [other.id]

    async def test_no_subscription_after_the_events_data_was_erased(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, pushes: FakePushService
    ) -> None:
        event = await factory.event(purged_at=utcnow())
        me = await factory.attendee(event)
        response = await client.post(
            "/api/push/subscriptions",
            json=pushes.browser().subscription(),
            headers=factory.attendee_headers(me),
        )
        assert response.status_code == 409
        assert response.json()["code"] == "reminders_after_purge"
        assert await _count(session) == 0


def _valid(browser: FakeBrowser) -> dict[str, object]:
    return browser.subscription()


def _with(body: dict[str, object], **keys: object) -> dict[str, object]:
    return {**body, "keys": {**body["keys"], **keys}}  # type: ignore[dict-item]


BAD_KEYS = [
    ({"p256dh": "not base64!"}, "keys.p256dh"),
    ({"p256dh": b64url(b"\x04" + b"x" * 63)}, "keys.p256dh"),
    ({"p256dh": b64url(b"\x02" + b"x" * 64)}, "keys.p256dh"),
    ({"auth": b64url(b"short")}, "keys.auth"),
    ({"auth": 16}, "keys.auth"),
]


class TestBadInput:
    @pytest.mark.parametrize(("keys", "field"), BAD_KEYS)
    async def test_malformed_keys_are_refused_and_nothing_is_kept(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        pushes: FakePushService,
        keys: dict[str, object],
        field: str,
    ) -> None:
        me = await factory.attendee(await factory.event())
        body = _with(_valid(pushes.browser()), **keys)
        response = await client.post(
            "/api/push/subscriptions", json=body, headers=factory.attendee_headers(me)
        )
        assert response.status_code == 422, response.text
        assert field in response.text
        assert await _count(session) == 0

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"endpoint": "https://push.example.org/x"},
            {"keys": {"p256dh": "x", "auth": "y"}},
            {"endpoint": "https://push.example.org/" + "x" * 1000, "keys": {}},
            {"endpoint": 12, "keys": {"p256dh": "x", "auth": "y"}},
        ],
    )
    async def test_missing_or_wrong_fields_are_refused(
        self, client: httpx.AsyncClient, factory: Factory, session: AsyncSession, body: dict[str, object]
    ) -> None:
        me = await factory.attendee(await factory.event())
        response = await client.post(
            "/api/push/subscriptions", json=body, headers=factory.attendee_headers(me)
        )
        assert response.status_code == 422
        assert await _count(session) == 0

    @pytest.mark.parametrize(
        "endpoint",
        [
            "ftp://push.example.org/abc",
            "https://user:secret@push.example.org/abc",
            "not a url at all",
            "https:///no-host",
        ],
    )
    async def test_endpoints_no_push_service_has_are_refused(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        pushes: FakePushService,
        endpoint: str,
    ) -> None:
        me = await factory.attendee(await factory.event())
        body = {**_valid(pushes.browser()), "endpoint": endpoint}
        response = await client.post(
            "/api/push/subscriptions", json=body, headers=factory.attendee_headers(me)
        )
        assert response.status_code == 422
        assert response.json()["code"] == "push_endpoint_refused"
        assert await _count(session) == 0

    async def test_without_a_session_nothing_is_kept(
        self, client: httpx.AsyncClient, session: AsyncSession, pushes: FakePushService
    ) -> None:
        response = await client.post("/api/push/subscriptions", json=_valid(pushes.browser()))
        assert response.status_code == 401
        response = await client.post("/api/push/unsubscribe", json={"endpoint": "https://x.example/y"})
        assert response.status_code == 401
        assert await _count(session) == 0

    async def test_unsubscribe_refuses_unknown_fields(
        self, client: httpx.AsyncClient, factory: Factory
    ) -> None:
        me = await factory.attendee(await factory.event())
        response = await client.post(
            "/api/push/unsubscribe",
            json={"endpoint": "https://x.example/y", "all": True},
            headers=factory.attendee_headers(me),
        )
        assert response.status_code == 422


class TestOnlyHttpsInProduction:
    @pytest.fixture
    def app(self, settings: Settings, app: FastAPI) -> FastAPI:
        app.state.settings = settings.model_copy(update={"push_allow_loopback_http": False})
        return app

    @pytest.mark.parametrize(
        "endpoint",
        [
            "http://push.example.org/abc",
            "https://127.0.0.1/abc",
            "https://10.0.0.3/abc",
            "https://localhost/x",
            "https://localhost./x",
            "https://169.254.169.254/latest/meta-data",
            "https://[::ffff:10.0.0.1]/x",
        ],
    )
    async def test_plain_http_and_this_network_are_refused(
        self,
        client: httpx.AsyncClient,
        factory: Factory,
        session: AsyncSession,
        pushes: FakePushService,
        endpoint: str,
    ) -> None:
        me = await factory.attendee(await factory.event())
        body = {**_valid(pushes.browser()), "endpoint": endpoint}
        response = await client.post(
            "/api/push/subscriptions", json=body, headers=factory.attendee_headers(me)
        )
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "push_endpoint_refused"
        assert await _count(session) == 0
