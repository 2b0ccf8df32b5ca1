"""The live feed across reconnects, with slow clients, and at shutdown."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import update

from rencontre.config import Settings
from rencontre.feed.broker import FeedNotice
from rencontre.feed.dashboard import FeedLimits
from rencontre.feed.room import RESUME_WINDOW
from rencontre.feed.watch import LiveState
from rencontre.kit.time import utcnow
from rencontre.models import Encounter, Event
from tests.api.feed_support import WAIT, Scene, assert_matches_database, scene_of


async def _record_many(scene: Scene, count: int) -> None:
    """``count`` connections in one transaction, unannounced (a bulk import, or an outage)."""
    pairs = [(a, b) for a in scene.people for b in scene.people if a.id != b.id][:count]
    assert len(pairs) == count
    now = utcnow()
    async with scene.sessions() as session:
        session.add_all(
            Encounter(
                event_id=scene.event.id,
                scanner_id=a.id,
                scanned_id=b.id,
                seq=seq,
                client_id=uuid.uuid4(),
                met_at=now,
                last_scanned_at=now,
            )
            for seq, (a, b) in enumerate(pairs, start=1)
        )
        await session.execute(update(Event).where(Event.id == scene.event.id).values(feed_seq=count))
        await session.commit()


class TestResume:
    async def test_a_dropped_dashboard_resumes_with_exactly_what_it_missed(self, settings: Settings) -> None:
        # Names on from the start: every connection is listed, so the test sees each one once.
        async with scene_of(settings, people=8, shows_names=True) as scene:
            pairs = [(a, b) for a in range(8) for b in range(8) if a != b][:40]
            socket, snapshot = await scene.dashboard()
            state = LiveState()
            state.apply(snapshot)

            async def scans() -> None:
                for pair in pairs:
                    await scene.meet([pair])
                    await asyncio.sleep(0.02)

            writer = asyncio.create_task(scans())
            await socket.follow(state, lambda s: (s.seq or 0) >= 8, within=WAIT)
            await socket.drop()  # killed mid-stream
            seen_before = state.seq
            assert seen_before is not None
            await asyncio.sleep(0.3)  # more connections happen while it is away

            again, first = await scene.dashboard(last_seq=seen_before)
            assert first["type"] == "delta"
            assert first["from_seq"] == seen_before
            assert [c["seq"] for c in first["connections"]] == list(range(seen_before + 1, first["seq"] + 1))
            assert state.apply(first)
            await asyncio.wait_for(writer, WAIT)
            await again.follow(state, lambda s: s.seq == 40)
            assert [c["seq"] for c in state.connections] == list(range(1, 41)), "nothing lost, nothing twice"
            assert_matches_database(state, await scene.truth())

    async def test_an_up_to_date_dashboard_gets_an_empty_delta(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            await scene.meet([(0, 1), (1, 2)])
            _socket, first = await scene.dashboard(last_seq=2)
            assert (first["type"], first["from_seq"], first["seq"]) == ("delta", 2, 2)
            assert first["connections"] == []
            assert first["counts"]["connections"] == 2

    async def test_too_far_behind_gets_a_snapshot(self, settings: Settings) -> None:
        total = RESUME_WINDOW + 100
        async with scene_of(settings, people=34) as scene:
            await _record_many(scene, total)
            _socket, covered = await scene.dashboard(last_seq=total - RESUME_WINDOW)
            assert covered["type"] == "delta"
            assert covered["seq"] == total
            assert covered["connections"] == [], "names are off: a connection is a count only"
            _socket, behind = await scene.dashboard(last_seq=total - RESUME_WINDOW - 1)
            assert behind["type"] == "snapshot"
            assert behind["seq"] == total
            state = LiveState()
            state.apply(behind)
            assert_matches_database(state, await scene.truth())

    async def test_a_burst_larger_than_a_delta_is_sent_as_a_snapshot(self, settings: Settings) -> None:
        async with scene_of(settings, people=34) as scene:
            socket, _ = await scene.dashboard()
            await _record_many(scene, RESUME_WINDOW + 50)
            await scene.app.state.broker.publish(FeedNotice(scene.event.id, RESUME_WINDOW + 50))
            frame = await socket.receive()
            assert frame["type"] == "snapshot"
            assert frame["seq"] == RESUME_WINDOW + 50

    async def test_a_dashboard_from_the_future_gets_a_snapshot(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            await scene.meet([(0, 1)])
            _socket, first = await scene.dashboard(last_seq=50)
            assert (first["type"], first["seq"]) == ("snapshot", 1)

    async def test_resuming_past_what_this_process_has_read_reads_first(self, settings: Settings) -> None:
        async with scene_of(settings, shows_names=True) as scene:
            watcher, _ = await scene.dashboard()
            # Another instance recorded these; this process has not heard of them yet.
            await scene.meet([(0, 1), (2, 3)], publish=False)
            _socket, first = await scene.dashboard(last_seq=1)
            assert (first["type"], first["from_seq"], first["seq"]) == ("delta", 1, 2)
            assert [c["seq"] for c in first["connections"]] == [2]
            state = LiveState()
            state.apply(watcher.frames[0])
            await watcher.follow(state, lambda s: s.seq == 2)


class TestSlowClients:
    async def test_a_stuck_dashboard_neither_blocks_scans_nor_others_and_is_resynced(
        self, settings: Settings
    ) -> None:
        limits = FeedLimits(frame_queue=2, resyncs_per_minute=100)
        async with scene_of(settings, people=8, limits=limits) as scene:
            slow, slow_first = await scene.dashboard()
            fast, fast_first = await scene.dashboard()
            slow.pause()
            fast_state, slow_state = LiveState(), LiveState()
            fast_state.apply(fast_first)
            slow_state.apply(slow_first)
            pairs = [(a, b) for a in range(8) for b in range(8) if a != b][:24]
            for batch in range(8):
                # The scan path never waits on a socket, even a stuck one.
                await asyncio.wait_for(scene.meet(pairs[batch * 3 : batch * 3 + 3]), WAIT)
                await fast.follow(fast_state, lambda s, n=batch: s.seq == (n + 1) * 3)
            slow.resume()
            await slow.follow(slow_state, lambda s: s.seq == 24)
            truth = await scene.truth()
            assert_matches_database(fast_state, truth)
            assert_matches_database(slow_state, truth)
            assert slow_state.snapshots >= 2, "the slow dashboard was resynchronised with a snapshot"
            assert len(slow.frames) < len(fast.frames)

    async def test_a_dashboard_that_keeps_falling_behind_is_closed(self, settings: Settings) -> None:
        limits = FeedLimits(frame_queue=1, resyncs_per_minute=1, coalesce_seconds=0.05)
        async with scene_of(settings, people=8, limits=limits) as scene:
            slow, _ = await scene.dashboard()
            slow.pause()
            pairs = [(a, b) for a in range(8) for b in range(8) if a != b]
            for pair in pairs[:12]:
                await scene.meet([pair])
                await asyncio.sleep(0.08)
            closed = await slow.closed()
            assert closed.code == 1013
            assert "Too slow" in closed.reason

    async def test_a_socket_that_takes_no_data_is_closed(self, settings: Settings) -> None:
        limits = FeedLimits(send_stall_seconds=0.3)
        async with scene_of(settings, limits=limits) as scene:
            slow, _ = await scene.dashboard()
            slow.pause()
            await scene.meet([(0, 1)])
            closed = await slow.closed()
            assert closed.code == 1013


class TestShutdown:
    async def test_dashboards_are_told_to_go_elsewhere(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            sockets: list[Any] = [(await scene.dashboard())[0] for _ in range(3)]
            ticket = await scene.ticket()
            await scene.app.state.broker.stop()  # what the lifespan does on SIGTERM
            for socket in sockets:
                closed = await socket.closed()
                assert closed.code == 1001
                assert "reconnect" in closed.reason
            late = await scene.socket()
            await late.auth(ticket)
            assert (await late.closed()).code == 1012
