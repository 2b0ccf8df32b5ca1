"""Fan-out across instances over PostgreSQL LISTEN/NOTIFY, and surviving a lost connection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from rencontre.config import Settings
from rencontre.feed.broker import FeedNotice
from rencontre.feed.dashboard import FeedLimits
from rencontre.feed.postgres import CHANNEL, PostgresBroker, asyncpg_dsn, decode_notice, encode_notice
from rencontre.feed.watch import LiveState
from tests.api.feed_support import WAIT, Scene, assert_matches_database, require_postgres, scene_of

# No periodic refresh during these tests: only notices (or a catch-up) can bring news.
NO_REFRESH = FeedLimits(refresh_seconds=3600)


@pytest.fixture
async def admin(settings: Settings, backend: str) -> AsyncIterator[Any]:
    """A plain connection to the test database, standing for another instance or an administrator."""
    require_postgres(backend)
    dsn = settings.resolved_database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(dsn)
    yield connection
    await connection.close()


async def _wait_until(condition: Any, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def _notify(admin: Any, scene: Scene, seq: int) -> None:
    await admin.execute("SELECT pg_notify($1, $2)", CHANNEL, encode_notice(FeedNotice(scene.event.id, seq)))


class TestNotices:
    def test_a_notice_is_small_and_read_back_strictly(self) -> None:
        import uuid

        notice = FeedNotice(uuid.uuid4(), 123456789)
        payload = encode_notice(notice)
        assert len(payload.encode()) < 100  # NOTIFY allows 8,000 bytes
        assert decode_notice(payload) == notice
        for garbage in ["", "x", "abc:1", f"{notice.event_id.hex}:", f"{notice.event_id.hex}:-1", "9" * 500]:
            assert decode_notice(garbage) is None


@pytest.mark.postgresql_only
class TestFanOut:
    async def test_a_notice_from_another_instance_reaches_the_dashboard(
        self, settings: Settings, admin: Any
    ) -> None:
        async with scene_of(settings, limits=NO_REFRESH) as scene:
            socket, first = await scene.dashboard()
            (seq,) = await scene.meet([(0, 1)], publish=False)
            await admin.execute("SELECT pg_notify($1, $2)", CHANNEL, "garbage")
            await _notify(admin, scene, seq)
            state = LiveState()
            state.apply(first)
            await socket.follow(state, lambda s: s.seq == 1)

    async def test_two_brokers_carry_notices_between_them(self, settings: Settings) -> None:
        """Instance B (a second broker) records scans; instance A's dashboard sees them."""
        async with scene_of(settings, limits=NO_REFRESH) as scene:
            other = PostgresBroker(asyncpg_dsn(scene.app.state.engine))
            await other.start()
            try:
                socket, first = await scene.dashboard()
                state = LiveState()
                state.apply(first)
                for pair in [(0, 1), (1, 0), (2, 3)]:
                    (seq,) = await scene.meet([pair], publish=False)
                    await other.publish(FeedNotice(scene.event.id, seq))
                await socket.follow(state, lambda s: s.seq == 3)
                assert_matches_database(state, await scene.truth())
            finally:
                await other.stop()

    async def test_after_losing_its_connection_the_broker_reconnects_and_catches_up(
        self, settings: Settings, admin: Any
    ) -> None:
        async with scene_of(settings, limits=NO_REFRESH) as scene:
            broker = scene.app.state.broker
            assert isinstance(broker, PostgresBroker)
            socket, first = await scene.dashboard()
            state = LiveState()
            state.apply(first)
            before = broker.connections_made
            # As after a database restart: the server ends the listening connection.
            await admin.execute("SELECT pg_terminate_backend($1)", broker.server_pid)
            (seq,) = await scene.meet([(0, 1)], publish=False)
            await _notify(admin, scene, seq)  # likely missed: nobody is listening
            await _wait_until(lambda: broker.connections_made > before, "the broker to reconnect")
            await socket.follow(state, lambda s: s.seq == 1)
            # And the feed lives on afterwards.
            (seq,) = await scene.meet([(1, 0)], publish=False)
            await _notify(admin, scene, seq)
            await socket.follow(state, lambda s: s.seq == 2)
            assert_matches_database(state, await scene.truth())

    async def test_a_notice_published_while_disconnected_is_sent_after_reconnecting(
        self, settings: Settings, admin: Any
    ) -> None:
        async with scene_of(settings, limits=NO_REFRESH) as scene:
            other = PostgresBroker(asyncpg_dsn(scene.app.state.engine), backoff_seconds=(0.5, 1.0))
            await other.start()
            try:
                socket, first = await scene.dashboard()
                state = LiveState()
                state.apply(first)
                await admin.execute("SELECT pg_terminate_backend($1)", other.server_pid)
                await _wait_until(lambda: not other.connected, "the other broker to notice")
                (seq,) = await scene.meet([(2, 3)], publish=False)
                await other.publish(FeedNotice(scene.event.id, seq))  # returns at once, queued
                await socket.follow(state, lambda s: s.seq == 1)
            finally:
                await other.stop()
