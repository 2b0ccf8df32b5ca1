"""What a dashboard's frame stream can tell about who met whom: nothing, with names off.

The lists (most connected, isolated) name people; they move only on their periodic
refresh, in a frame of their own, and only by ``list_step`` connections at a time,
whichever way the dashboard follows the feed (live, resumed, snapshot, a new room).
With names on, only the connections made after names were turned on are named.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from rencontre.config import Settings
from rencontre.feed.dashboard import FeedLimits
from rencontre.feed.hub import EventFeed
from rencontre.feed.watch import LiveState
from tests.api.feed_support import WAIT, AsgiSocket, Scene, scene_of

# Lists recomputed often (the tests wait for refreshes, never for a duration), every 3 connections.
LIMITS = FeedLimits(refresh_seconds=0.2, lists_refresh_seconds=0.2, list_step=3, linger_seconds=0.2)


def _feed(scene: Scene) -> EventFeed:
    feed: EventFeed = scene.app.state.feed_hub.feeds[scene.event.id]
    return feed


async def _until(condition: Callable[[], bool]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def _lists_refreshed(scene: Scene, times: int = 2) -> None:
    """Wait until the feed has recomputed its lists ``times`` more times."""
    feed = _feed(scene)
    target = feed.lists_refreshes + times
    await _until(lambda: feed.lists_refreshes >= target)


async def _drain(socket: AsgiSocket, state: LiveState) -> None:
    """Apply every frame already sent (the feed has refreshed since)."""
    while True:
        try:
            frame = await socket.receive(within=0.3)
        except TimeoutError:
            return
        assert state.apply(frame)


def _isolated(frame_or_state: dict[str, Any] | LiveState) -> list[str]:
    items = frame_or_state.isolated if isinstance(frame_or_state, LiveState) else frame_or_state["isolated"]
    return [item["name"] for item in items]


def _carries_lists(frame: dict[str, Any]) -> bool:
    return "top" in frame or "isolated" in frame


class TestAConnectionFrameCarriesCountsOnly:
    async def test_the_frame_of_a_connection_leaves_the_lists_alone(self, settings: Settings) -> None:
        async with scene_of(settings, people=4) as scene:
            socket, snapshot = await scene.dashboard()
            assert _isolated(snapshot) == ["Person 00", "Person 01", "Person 02", "Person 03"]
            await scene.meet([(0, 1), (0, 2)])
            state = LiveState()
            state.apply(snapshot)
            await socket.follow(state, lambda s: s.seq == 2)
            deltas = socket.frames[1:]
            assert deltas
            for frame in deltas:
                assert not _carries_lists(frame)
                assert frame["connections"] == []
                assert frame["counts"]["isolated"] == snapshot["counts"]["isolated"]
            assert all("Person" not in text for text in socket.texts[1:])
            assert state.counts["connections"] == 2

    async def test_with_names_off_the_lists_say_no_number(self, settings: Settings) -> None:
        async with scene_of(settings, people=4) as scene:
            await scene.meet([(0, 1), (0, 2), (0, 3)])
            _socket, snapshot = await scene.dashboard()
            assert [p["name"] for p in snapshot["top"]][:1] == ["Person 00"]
            assert all(p["connections"] is None for p in snapshot["top"] + snapshot["isolated"])


class TestListsMoveOnRefreshAfterSeveralConnections:
    async def test_fewer_connections_than_the_step_never_move_the_lists(self, settings: Settings) -> None:
        async with scene_of(settings, people=5, limits=LIMITS) as scene:
            socket, snapshot = await scene.dashboard()
            state = LiveState()
            state.apply(snapshot)
            await scene.meet([(0, 1), (0, 2)])  # Person 00 is no longer alone
            await socket.follow(state, lambda s: s.seq == 2)
            await _lists_refreshed(scene)
            await _drain(socket, state)
            assert not any(_carries_lists(frame) for frame in socket.frames[1:])
            assert _isolated(state) == _isolated(snapshot)
            assert state.counts["isolated"] == snapshot["counts"]["isolated"]

    async def test_the_step_reached_the_next_refresh_moves_them_in_a_frame_of_their_own(
        self, settings: Settings
    ) -> None:
        async with scene_of(settings, people=5, limits=LIMITS) as scene:
            socket, snapshot = await scene.dashboard()
            state = LiveState()
            state.apply(snapshot)
            await scene.meet([(0, 1), (0, 2), (3, 4)])
            await socket.follow(state, lambda s: "Person 00" not in _isolated(s))
            (moved,) = [frame for frame in socket.frames[1:] if _carries_lists(frame)]
            # Sent apart from any connection: no new connection in it, the feed number unchanged.
            assert (moved["from_seq"], moved["seq"]) == (3, 3)
            assert moved["connections"] == []
            assert _isolated(moved) == ["Person 01", "Person 02", "Person 03", "Person 04"]
            assert [p["name"] for p in moved["top"]][:1] == ["Person 00"]


class TestResumingRevealsNothingMore:
    async def test_snapshots_resumes_and_new_rooms_show_the_lists_the_live_feed_shows(
        self, settings: Settings
    ) -> None:
        async with scene_of(settings, people=5, limits=LIMITS) as scene:
            watcher, first = await scene.dashboard()
            await scene.meet([(0, 1), (0, 2)])
            state = LiveState()
            state.apply(first)
            await watcher.follow(state, lambda s: s.seq == 2)
            await _lists_refreshed(scene)
            everyone = _isolated(first)
            assert "Person 00" in everyone

            _s, snapshot = await scene.dashboard()
            assert snapshot["type"] == "snapshot"
            assert _isolated(snapshot) == everyone
            assert snapshot["counts"]["isolated"] == first["counts"]["isolated"]
            _s, resumed = await scene.dashboard(last_seq=0)
            assert resumed["type"] == "delta"
            assert _isolated(resumed) == everyone
            assert resumed["connections"] == []

            # Every dashboard gone, the room retires; the next one is built from the database.
            old = _feed(scene)
            for socket in list(scene.sockets):
                await socket.drop()
            scene.sockets.clear()
            await _until(lambda: scene.event.id not in scene.app.state.feed_hub.feeds)
            _s, rebuilt = await scene.dashboard(last_seq=0)
            assert _feed(scene) is not old
            assert _isolated(rebuilt) == everyone
            assert rebuilt["connections"] == []
            _s, fresh = await scene.dashboard()
            assert _isolated(fresh) == everyone
            assert fresh["counts"]["isolated"] == first["counts"]["isolated"]


class TestNamesOnlyAfterTheyWereTurnedOn:
    async def test_turning_names_on_names_only_the_connections_made_after(self, settings: Settings) -> None:
        async with scene_of(settings, limits=LIMITS) as scene:
            socket, snapshot = await scene.dashboard()
            state = LiveState()
            state.apply(snapshot)
            await scene.meet([(0, 1)])
            await socket.follow(state, lambda s: s.seq == 1)
            response = await scene.http.patch(
                f"/api/events/{scene.event.id}", json={"feed_shows_names": True}, headers=scene.headers
            )
            assert response.status_code == 200, response.text
            await socket.follow(state, lambda s: s.shows_names)
            await scene.meet([(2, 3)])
            await socket.follow(state, lambda s: s.seq == 2)
            assert [(c["seq"], c["names"]) for c in state.connections] == [(2, ["Person 02", "Person 03"])]

            _s, resumed = await scene.dashboard(last_seq=0)
            assert [c["seq"] for c in resumed["connections"]] == [2]
            assert all("Person 00" not in json.dumps(c) for c in resumed["connections"])

    async def test_a_room_that_did_not_see_names_turned_on_names_nothing_before_it(
        self, settings: Settings
    ) -> None:
        async with scene_of(settings, limits=LIMITS) as scene:
            await scene.meet([(0, 1)])
            response = await scene.http.patch(
                f"/api/events/{scene.event.id}", json={"feed_shows_names": True}, headers=scene.headers
            )
            assert response.status_code == 200, response.text
            _socket, resumed = await scene.dashboard(last_seq=0)
            assert resumed["shows_names"] is True
            assert resumed["connections"] == []

    async def test_a_room_built_after_the_switch_names_what_came_after_it_and_nothing_before(
        self, settings: Settings
    ) -> None:
        async with scene_of(settings, limits=LIMITS) as scene:
            await scene.meet([(0, 1)])
            response = await scene.http.patch(
                f"/api/events/{scene.event.id}", json={"feed_shows_names": True}, headers=scene.headers
            )
            assert response.status_code == 200, response.text
            await scene.meet([(2, 3)])
            _socket, resumed = await scene.dashboard(last_seq=0)
            assert [(c["seq"], c["names"]) for c in resumed["connections"]] == [
                (2, ["Person 02", "Person 03"])
            ]

    async def test_turning_names_on_twice_keeps_the_first_mark(self, settings: Settings) -> None:
        async with scene_of(settings, limits=LIMITS) as scene:
            on = {"feed_shows_names": True}
            assert (
                await scene.http.patch(f"/api/events/{scene.event.id}", json=on, headers=scene.headers)
            ).is_success
            await scene.meet([(0, 1)])
            assert (
                await scene.http.patch(f"/api/events/{scene.event.id}", json=on, headers=scene.headers)
            ).is_success
            _socket, resumed = await scene.dashboard(last_seq=0)
            assert [c["seq"] for c in resumed["connections"]] == [1]

    async def test_turning_names_off_again_names_nothing(self, settings: Settings) -> None:
        async with scene_of(settings, shows_names=True, limits=LIMITS) as scene:
            socket, snapshot = await scene.dashboard()
            state = LiveState()
            state.apply(snapshot)
            response = await scene.http.patch(
                f"/api/events/{scene.event.id}", json={"feed_shows_names": False}, headers=scene.headers
            )
            assert response.status_code == 200, response.text
            await socket.follow(state, lambda s: not s.shows_names)
            await scene.meet([(0, 1)])
            await socket.follow(state, lambda s: s.seq == 1)
            assert state.connections == []
            assert all('"names"' not in text for text in socket.texts)
