"""The live feed's "present" and isolated list count people at the venue, from their arrival;
an attendee introduced by staff leaves the list; an arrival never moves "present" in the
frame that counts the connection which made it."""

from __future__ import annotations

from datetime import datetime, timedelta

from rencontre.config import Settings
from rencontre.feed.dashboard import FeedLimits
from rencontre.feed.watch import LiveState
from rencontre.kit.time import utcnow
from tests.api.feed_support import WAIT, scene_of
from tests.api.presence_support import arrival
from tests.api.scan_support import scan_body
from tests.support import Factory

QUIET = FeedLimits(refresh_seconds=600, lists_refresh_seconds=600)


class TestPresentMeansArrived:
    async def test_joined_long_ago_but_not_arrived_is_not_present(self, settings: Settings) -> None:
        async with scene_of(settings, people=3) as scene:
            async with scene.sessions() as session:
                factory = Factory(session, settings)
                await factory.attendee(scene.event, name="Joined", joined_at=utcnow() - timedelta(days=2))
                await session.commit()
            _socket, snapshot = await scene.dashboard()
            assert snapshot["counts"]["present"] == 3
            assert "Joined" not in [p["name"] for p in snapshot["isolated"]]

    async def test_isolation_counts_from_arrival_not_from_joining(self, settings: Settings) -> None:
        async with scene_of(settings, people=2) as scene:
            async with scene.sessions() as session:
                factory = Factory(session, settings)
                newcomer = await factory.attendee(
                    scene.event,
                    name="Newcomer",
                    joined_at=utcnow() - timedelta(days=2),
                    arrived_at=utcnow() - timedelta(minutes=5),
                )
                await session.commit()
            _socket, snapshot = await scene.dashboard()
            assert snapshot["counts"]["present"] == 3
            assert [p["name"] for p in snapshot["isolated"]] == ["Person 00", "Person 01"]
            arrived = scene.people[0].arrived_at
            assert arrived is not None
            assert datetime.fromisoformat(snapshot["isolated"][0]["present_since"]) == arrived
            assert str(newcomer.id) not in {p["id"] for p in snapshot["isolated"]}


class TestIntroducedLeavesTheIsolatedList:
    async def test_the_marked_attendee_leaves_the_list_on_its_refresh(self, settings: Settings) -> None:
        limits = FeedLimits(refresh_seconds=0.2, lists_refresh_seconds=0.2)
        async with scene_of(settings, people=3, limits=limits) as scene:
            socket, before = await scene.dashboard()
            assert [p["id"] for p in before["isolated"]] == [str(p.id) for p in scene.people]
            response = await scene.http.post(
                f"/api/events/{scene.event.id}/attendees/{scene.people[0].id}/introduced",
                headers=scene.headers,
            )
            assert response.status_code == 200, response.text
            state = LiveState()
            state.apply(before)
            await socket.follow(state, lambda s: s.counts["isolated"] == 2, within=WAIT)
            assert [p["name"] for p in state.isolated] == ["Person 01", "Person 02"]
            assert state.counts["present"] == 3


class TestACheckInMovesPresentOnTheRefresh:
    async def test_present_follows_a_check_in(self, settings: Settings) -> None:
        async with scene_of(settings, people=2, limits=FeedLimits(refresh_seconds=0.3)) as scene:
            async with scene.sessions() as session:
                late = await Factory(session, settings).attendee(scene.event, name="Late")
                await session.commit()
            socket, snapshot = await scene.dashboard()
            assert snapshot["counts"]["present"] == 2
            response = await scene.http.post(
                f"/api/events/{scene.event.id}/check-in",
                json={"attendee_id": str(late.id)},
                headers=scene.headers,
            )
            assert response.status_code == 200, response.text
            state = LiveState()
            state.apply(snapshot)
            await socket.follow(state, lambda s: s.counts["present"] == 3, within=WAIT)


class TestAnArrivalByScanIsNotShownWithItsConnection:
    async def test_the_frame_of_the_connection_keeps_present_as_it_was(self, settings: Settings) -> None:
        async with scene_of(settings, people=2, limits=QUIET) as scene:
            async with scene.sessions() as session:
                factory = Factory(session, settings)
                carla = await factory.attendee(scene.event, name="Carla")
                dan = await factory.attendee(scene.event, name="Dan")
                carla_headers = factory.attendee_headers(carla)
                await session.commit()
            socket, snapshot = await scene.dashboard()
            assert snapshot["counts"]["present"] == 2
            response = await scene.http.post(
                "/api/scans", json=scan_body(settings, scene.event, dan), headers=carla_headers
            )
            assert response.status_code == 201, response.text
            state = LiveState()
            state.apply(snapshot)
            await socket.follow(state, lambda s: s.seq == 1, within=WAIT)
            for frame in socket.frames[1:]:
                assert frame["counts"]["present"] == 2
            # The two did arrive: the next periodic refresh will count them.
            async with scene.sessions() as session:
                assert await arrival(session, carla) is not None
                assert await arrival(session, dan) is not None
