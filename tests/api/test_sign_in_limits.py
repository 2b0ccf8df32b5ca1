"""Organiser sign-in limits: per address and per e-mail, without locking the organiser out."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rencontre.config import Settings
from tests.api.door_support import ClientAt, clients_of, door_app, door_settings
from tests.support import TEST_PASSWORD, Factory

ATTACKER = "203.0.113.66"
ORGANISER_DESK = "198.51.100.7"
EMAIL = "lea@example.org"


async def _sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"email": email, "password": password})


def _assert_too_many(response: httpx.Response) -> None:
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_sign_ins"
    assert int(response.headers["Retry-After"]) >= 1
    assert "sign-in attempts" in response.json()["detail"]


@pytest.fixture
def door(
    settings: Settings, engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> FastAPI:
    return door_app(door_settings(settings), engine, session_factory)


def _app(
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    **limits: str,
) -> ClientAt:
    return clients_of(door_app(door_settings(settings, **limits), engine, session_factory))


class TestPasswordSprayingFromOneAddress:
    async def test_one_address_trying_many_emails_is_refused(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        at = _app(settings, engine, session_factory, login_address_rate_limit="5/day")
        async with at(ATTACKER) as attacker:
            for i in range(5):
                wrong = await _sign_in(attacker, f"org{i}@example.org", "Summer2026!")
                assert wrong.status_code == 401
            _assert_too_many(await _sign_in(attacker, "org99@example.org", "Summer2026!"))

    async def test_the_shipped_limits_stop_spraying_within_a_minute(
        self, door: FastAPI, factory: Factory
    ) -> None:
        async with clients_of(door)(ATTACKER) as attacker:
            statuses = [
                (await _sign_in(attacker, f"org{i}@example.org", "Summer2026!")).status_code
                for i in range(40)
            ]
        # 30 a minute: a minute boundary passing meanwhile may let one or two more through.
        assert statuses[:30] == [401] * 30
        assert statuses[-1] == 429


class TestGuessingOnePasswordFromOneAddress:
    async def test_ten_failures_refuse_that_address_even_the_right_password(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        factory: Factory,
    ) -> None:
        await factory.organiser(email=EMAIL)
        at = _app(settings, engine, session_factory, login_rate_limit="10/day")
        async with at(ATTACKER) as attacker:
            for _ in range(10):
                assert (await _sign_in(attacker, EMAIL, "guess")).status_code == 401
            _assert_too_many(await _sign_in(attacker, EMAIL, TEST_PASSWORD))


class TestTheOrganiserIsNotLockedOut:
    async def test_ten_wrong_attempts_elsewhere_leave_the_organiser_signing_in(
        self, door: FastAPI, factory: Factory
    ) -> None:
        await factory.organiser(email=EMAIL)
        at = clients_of(door)
        async with at(ATTACKER) as attacker, at(ORGANISER_DESK) as desk:
            for _ in range(10):
                await _sign_in(attacker, EMAIL, "guess")
            assert (await _sign_in(desk, EMAIL, TEST_PASSWORD)).status_code == 200

    async def test_past_the_emails_cap_only_addresses_that_failed_are_refused(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        factory: Factory,
    ) -> None:
        await factory.organiser(email=EMAIL)
        at = _app(settings, engine, session_factory, login_email_rate_limit="4/day")
        botnet = [f"203.0.113.{i}" for i in range(1, 5)]
        for address in botnet:
            async with at(address) as bot:
                assert (await _sign_in(bot, EMAIL, "guess")).status_code == 401
        async with at(botnet[0]) as bot:
            _assert_too_many(await _sign_in(bot, EMAIL, TEST_PASSWORD))
        async with at(ORGANISER_DESK) as desk:
            assert (await _sign_in(desk, EMAIL, TEST_PASSWORD)).status_code == 200
        async with at("203.0.113.99") as fresh:
            # A fresh address gets its one try, then is one of those that failed.
            assert (await _sign_in(fresh, EMAIL, "guess")).status_code == 401
            _assert_too_many(await _sign_in(fresh, EMAIL, "guess"))

    async def test_the_emails_cap_is_counted_whatever_its_spelling(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        factory: Factory,
    ) -> None:
        await factory.organiser(email=EMAIL)
        at = _app(settings, engine, session_factory, login_rate_limit="2/day")
        async with at(ATTACKER) as attacker:
            assert (await _sign_in(attacker, "LEA@example.org", "guess")).status_code == 401
            assert (await _sign_in(attacker, "Lea@Example.org", "guess")).status_code == 401
            _assert_too_many(await _sign_in(attacker, EMAIL, "guess"))


class TestBadSignInRequests:
    async def test_a_malformed_body_is_refused_without_counting(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        factory: Factory,
    ) -> None:
        await factory.organiser(email=EMAIL)
        at = _app(settings, engine, session_factory, login_address_rate_limit="2/day")
        async with at(ATTACKER) as client:
            for _ in range(3):
                response = await client.post("/api/auth/login", json={"email": "not-an-email"})
                assert response.status_code == 422
            assert (await _sign_in(client, EMAIL, TEST_PASSWORD)).status_code == 200
