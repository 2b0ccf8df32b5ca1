"""Joins at a venue where every phone shares one public address (NAT)."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rencontre.auth.service import invite_token
from rencontre.config import Settings
from rencontre.models import Attendee
from tests.api.door_support import clients_of, door_app, door_settings
from tests.support import Factory

VENUE = "203.0.113.10"
ELSEWHERE = "198.51.100.20"


async def _attendees(factory: Factory, count: int) -> list[Attendee]:
    event = await factory.event()
    people = [
        Attendee(
            event_id=event.id,
            name=f"Person {i}",
            email=f"p{i}@example.org",
            badge_code=secrets.token_hex(6),
        )
        for i in range(count)
    ]
    factory.session.add_all(people)
    await factory.session.flush()
    return people


class TestAQueueAtTheDoorJoinsFromOneAddress:
    async def test_a_thousand_attendees_join_from_one_address_within_a_minute(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        factory: Factory,
    ) -> None:
        shipped = door_settings(settings)
        people = await _attendees(factory, 1000)
        at = clients_of(door_app(shipped, engine, session_factory))
        async with at(VENUE) as phone:
            statuses = []
            for person in people:
                joined = await phone.post("/api/auth/join", json={"token": invite_token(shipped, person)})
                statuses.append(joined.status_code)
        assert statuses.count(200) == 1000


class TestOneLinkIsCountedOnItsOwn:
    async def test_a_link_opened_too_often_is_refused_with_its_code_and_a_wait(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        factory: Factory,
    ) -> None:
        shipped = door_settings(settings, join_rate_limit="3/day")
        (person, other) = await _attendees(factory, 2)
        at = clients_of(door_app(shipped, engine, session_factory))
        async with at(VENUE) as phone:
            body = {"token": invite_token(shipped, person)}
            assert (await phone.post("/api/auth/join", json=body)).status_code == 200
            # A link works once; each further try still counts against the link.
            for _ in range(2):
                again = await phone.post("/api/auth/join", json=body)
                assert again.json()["code"] == "join_link_used"
            refused = await phone.post("/api/auth/join", json=body)
            assert refused.status_code == 429
            assert refused.json()["code"] == "too_many_joins"
            assert int(refused.headers["Retry-After"]) >= 1
            assert "join link" in refused.json()["detail"]
            # The next attendee in the queue, on the same network, is not held up.
            joined = await phone.post("/api/auth/join", json={"token": invite_token(shipped, other)})
            assert joined.status_code == 200


class TestTheAddressValve:
    async def test_an_address_past_the_valve_is_refused_and_another_is_not(
        self,
        settings: Settings,
        engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession],
        factory: Factory,
    ) -> None:
        shipped = door_settings(settings, join_address_rate_limit="3/day")
        people = await _attendees(factory, 2)
        at = clients_of(door_app(shipped, engine, session_factory))
        async with at(VENUE) as venue, at(ELSEWHERE) as elsewhere:
            # Links that do not work count too: the valve is what bounds a flood of them.
            for _ in range(3):
                assert (await venue.post("/api/auth/join", json={"token": "x" * 40})).status_code == 401
            refused = await venue.post("/api/auth/join", json={"token": invite_token(shipped, people[0])})
            assert refused.status_code == 429
            assert refused.json()["code"] == "too_many_joins_from_address"
            assert int(refused.headers["Retry-After"]) >= 1
            joined = await elsewhere.post("/api/auth/join", json={"token": invite_token(shipped, people[1])})
            assert joined.status_code == 200

    async def test_the_shipped_valve_is_far_above_a_queue_at_the_door(self) -> None:
        from limits import parse

        valve = parse(str(Settings.model_fields["join_address_rate_limit"].default))
        assert valve.amount >= 1000
        assert valve.get_expiry() >= 60
