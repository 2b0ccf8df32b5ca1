"""Bad input on the live feed: answered or closed with a clear code, never a crash, never a neighbour hurt."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rencontre.config import Settings
from rencontre.feed.dashboard import FeedLimits
from rencontre.feed.schemas import MAX_CLIENT_MESSAGE_BYTES
from rencontre.feed.watch import LiveState
from tests.api.feed_support import Scene, scene_of


def _padded(size: int) -> str:
    """A ping of exactly ``size`` bytes (its extra field makes it invalid, not malformed)."""
    empty = json.dumps({"type": "ping", "pad": ""})
    return json.dumps({"type": "ping", "pad": "x" * (size - len(empty))})


async def _still_serving(scene: Scene) -> None:
    _socket, first = await scene.dashboard()
    assert first["type"] == "snapshot"


class TestBeforeAuth:
    @pytest.mark.parametrize(
        ("message", "code"),
        [
            ("not json", 4400),
            (json.dumps({"type": "ping"}), 4400),
            (json.dumps({"type": "auth"}), 4400),
            (json.dumps({"type": "auth", "ticket": "t", "last_seq": -1}), 4400),
            (json.dumps({"type": "auth", "ticket": "t", "last_seq": "ten"}), 4400),
            (json.dumps({"type": "auth", "ticket": "x" * 65}), 4400),
            (json.dumps(["auth"]), 4400),
            (_padded(MAX_CLIENT_MESSAGE_BYTES + 1), 1009),
        ],
    )
    async def test_a_bad_first_message_closes_with_a_reason(
        self, settings: Settings, message: str, code: int
    ) -> None:
        async with scene_of(settings) as scene:
            socket = await scene.socket()
            await socket.send_text(message)
            closed = await socket.closed()
            assert closed.code == code
            assert closed.reason
            await _still_serving(scene)

    async def test_a_binary_first_message_is_refused(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            socket = await scene.socket()
            await socket.send_bytes(b"\x00\x01")
            assert (await socket.closed()).code == 1003

    async def test_silence_is_not_an_authentication(self, settings: Settings) -> None:
        async with scene_of(settings, limits=FeedLimits(auth_timeout_seconds=0.2)) as scene:
            socket = await scene.socket()
            closed = await socket.closed()
            assert closed.code == 4408
            assert "auth" in closed.reason


class TestAfterAuth:
    async def test_malformed_and_unknown_messages_are_answered_and_ignored(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            socket, _ = await scene.dashboard()
            replies: list[dict[str, Any]] = []
            for message in [
                "{not json",
                json.dumps("a string"),
                json.dumps({"type": "dance"}),
                json.dumps({"type": "ping", "extra": 1}),
                json.dumps({"type": "auth", "ticket": "again"}),
                _padded(MAX_CLIENT_MESSAGE_BYTES),
            ]:
                await socket.send_text(message)
                replies.append(await socket.receive())
            assert [r["type"] for r in replies] == ["error"] * 6
            assert [r["code"] for r in replies] == [
                "malformed",
                "malformed",
                "unknown_type",
                "invalid",
                "already_authenticated",
                "invalid",
            ]
            assert all(r["detail"] for r in replies)
            await socket.send_json({"type": "ping"})
            assert await socket.receive() == {"type": "pong", "seq": 0}
            await scene.meet([(0, 1)])
            assert (await socket.receive())["type"] == "delta"

    async def test_an_oversize_message_closes_with_1009(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            socket, _ = await scene.dashboard()
            await socket.send_text(_padded(MAX_CLIENT_MESSAGE_BYTES + 1))
            closed = await socket.closed()
            assert closed.code == 1009
            assert str(MAX_CLIENT_MESSAGE_BYTES) in closed.reason
            big = await scene.socket()
            await big.auth(await scene.ticket())
            await big.receive()
            await big.send_text("é" * (MAX_CLIENT_MESSAGE_BYTES // 2 + 1))  # few characters, many bytes
            assert (await big.closed()).code == 1009

    async def test_a_binary_message_closes_with_1003(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            socket, _ = await scene.dashboard()
            await socket.send_bytes(b"{}")
            assert (await socket.closed()).code == 1003

    async def test_a_flood_is_closed_without_hurting_a_neighbour(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            flooder, _ = await scene.dashboard()
            neighbour, first = await scene.dashboard()
            for _ in range(200):
                await flooder.send_json({"type": "ping"})
            closed = await flooder.closed()
            assert closed.code == 1008
            assert "Too many messages" in closed.reason
            state = LiveState()
            state.apply(first)
            await scene.meet([(0, 1), (1, 0)])
            await neighbour.follow(state, lambda s: s.seq == 2)
            assert state.counts["mutual"] == 1

    async def test_a_resync_request_gets_a_snapshot(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            await scene.meet([(0, 1)])
            socket, _ = await scene.dashboard()
            await socket.send_json({"type": "resync"})
            frame = await socket.receive()
            assert (frame["type"], frame["seq"]) == ("snapshot", 1)


class TestConnectionCap:
    async def test_an_organiser_opens_a_bounded_number_of_feeds(self, settings: Settings) -> None:
        settings.feed_dashboards_per_organiser = 2
        async with scene_of(settings) as scene:
            first, _ = await scene.dashboard()
            await scene.dashboard()
            third = await scene.socket()
            await third.auth(await scene.ticket())
            closed = await third.closed()
            assert closed.code == 1008
            assert "Too many live feeds" in closed.reason
            await first.drop()
            _again, frame = await scene.dashboard()
            assert frame["type"] == "snapshot"
