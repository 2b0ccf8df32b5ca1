"""The organiser's live feed: tickets, the snapshot, deltas, coalescing, privacy."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import update

from rencontre.auth import service as auth_service
from rencontre.badges import service as badge_service
from rencontre.config import Settings
from rencontre.feed.broker import FeedNotice
from rencontre.feed.dashboard import Dashboard, FeedLimits, Frame
from rencontre.feed.watch import LiveState
from rencontre.kit.time import utcnow
from rencontre.models import FeedTicket
from tests.api.feed_support import (
    WAIT,
    Refused,
    assert_matches_database,
    follow_all,
    scene_of,
)
from tests.support import Factory


class TestTicket:
    async def test_a_ticket_opens_one_socket_once(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            response = await scene.http.post(
                f"/api/events/{scene.event.id}/feed/ticket", headers=scene.headers
            )
            assert response.status_code == 201
            body = response.json()
            socket = await scene.socket()
            await socket.auth(body["ticket"])
            assert (await socket.receive())["type"] == "snapshot"

            again = await scene.socket()
            await again.auth(body["ticket"])
            closed = await again.closed()
            assert closed.code == 4401
            assert "already used" in closed.reason

    async def test_ticket_lifetime_follows_the_setting(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            before = utcnow()
            body = (
                await scene.http.post(f"/api/events/{scene.event.id}/feed/ticket", headers=scene.headers)
            ).json()
            expires_at = datetime.fromisoformat(body["expires_at"])
            assert timedelta(0) < expires_at - before <= timedelta(seconds=settings.ws_ticket_seconds + 5)

    async def test_tickets_are_rate_limited_by_the_setting(self, settings: Settings) -> None:
        settings.feed_ticket_rate_limit = "2/minute"
        async with scene_of(settings) as scene:
            path = f"/api/events/{scene.event.id}/feed/ticket"
            for _ in range(2):
                assert (await scene.http.post(path, headers=scene.headers)).status_code == 201
            refused = await scene.http.post(path, headers=scene.headers)
            assert refused.status_code == 429
            assert int(refused.headers["retry-after"]) >= 1
            assert "Too many requests" in refused.json()["detail"]

    async def test_only_the_events_organiser_gets_a_ticket(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            path = f"/api/events/{scene.event.id}/feed/ticket"
            assert (await scene.http.post(path)).status_code == 401
            async with scene.sessions() as session:
                factory = Factory(session, settings)
                stranger = await factory.organiser()
                await session.commit()
                try:
                    response = await scene.http.post(path, headers=factory.organiser_headers(stranger))
                    assert response.status_code == 404
                    response = await scene.http.post(path, headers=factory.attendee_headers(scene.people[0]))
                    assert response.status_code == 403
                finally:
                    await session.delete(stranger)
                    await session.commit()

    async def test_an_expired_ticket_is_refused(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            ticket = await scene.ticket()
            async with scene.sessions() as session:
                await session.execute(
                    update(FeedTicket)
                    .where(FeedTicket.id == uuid.UUID(ticket))
                    .values(expires_at=utcnow() - timedelta(seconds=1))
                )
                await session.commit()
            socket = await scene.socket()
            await socket.auth(ticket)
            closed = await socket.closed()
            assert (closed.code, "expired" in closed.reason) == (4401, True)

    async def test_another_events_ticket_is_refused_and_not_spent(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            async with scene.sessions() as session:
                other = await Factory(session, settings).event(scene.organiser)
                await session.commit()
            foreign = await scene.ticket(other.id)
            socket = await scene.socket()
            await socket.auth(foreign)
            closed = await socket.closed()
            assert closed.code == 4403
            assert "another event" in closed.reason
            right = await scene.socket(path=f"/api/events/{other.id}/feed")
            await right.auth(foreign)
            assert (await right.receive())["type"] == "snapshot"

    @pytest.mark.parametrize("ticket", ["not-a-ticket", str(uuid.uuid4())])
    async def test_an_unknown_ticket_is_refused(self, settings: Settings, ticket: str) -> None:
        async with scene_of(settings) as scene:
            socket = await scene.socket()
            await socket.auth(ticket)
            closed = await socket.closed()
            assert closed.code == 4401
            assert "Unknown ticket" in closed.reason

    async def test_a_foreign_origin_is_refused_before_the_handshake(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            with pytest.raises(Refused):
                await scene.socket(origin="https://evil.example")
            with pytest.raises(Refused):
                await scene.socket(origin="null")
            ours = await scene.socket(origin=settings.public_origin)
            await ours.auth(await scene.ticket())
            assert (await ours.receive())["type"] == "snapshot"


class TestSnapshot:
    async def test_the_snapshot_matches_the_database(self, settings: Settings) -> None:
        # Names on: the lists then say how many people each person met.
        async with scene_of(settings, people=8, shows_names=True) as scene:
            # 0 and 1 met both ways (mutual); 2 met 0, 3 and 4; 5 met 2; 6 and 7 met nobody.
            await scene.meet([(0, 1), (1, 0), (2, 0), (2, 3), (2, 4), (5, 2)])
            _socket, snapshot = await scene.dashboard()
            state = LiveState()
            state.apply(snapshot)
            assert snapshot["type"] == "snapshot"
            assert_matches_database(state, await scene.truth())
            assert snapshot["counts"] == {
                "connections": 6,
                "unique_pairs": 5,
                "mutual": 1,
                "active_scanners": 4,
                "present": 8,
                "isolated": 6,
            }
            assert [(p["name"], p["connections"]) for p in snapshot["top"]] == [
                ("Person 02", 4),
                ("Person 00", 2),
                ("Person 01", 1),
                ("Person 03", 1),
                ("Person 04", 1),
                ("Person 05", 1),
            ]
            assert [(p["name"], p["connections"]) for p in snapshot["isolated"]] == [
                ("Person 06", 0),
                ("Person 07", 0),
                ("Person 01", 1),
                ("Person 03", 1),
                ("Person 04", 1),
                ("Person 05", 1),
            ]
            assert all(p["company"].startswith("Company") for p in snapshot["isolated"])

    async def test_newcomers_and_the_absent_are_not_isolated(self, settings: Settings) -> None:
        async with scene_of(settings, people=3, joined_minutes_ago=5) as scene:
            async with scene.sessions() as session:
                absent = await Factory(session, settings).attendee(scene.event, name="Absent")
                await session.commit()
            _socket, snapshot = await scene.dashboard()
            assert snapshot["counts"]["present"] == 3
            assert snapshot["counts"]["isolated"] == 0
            assert snapshot["isolated"] == []
            assert absent.arrived_at is None

    async def test_never_a_note_nor_who_met_whom(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            await scene.meet([(0, 1)])
            socket, _ = await scene.dashboard()
            await scene.meet([(2, 3), (3, 2)])
            state = LiveState()
            state.apply(socket.frames[0])
            await socket.follow(state, lambda s: s.seq == 3)
            for text in socket.texts:
                assert "SECRET" not in text
                assert "secret-tag" not in text
                assert '"names"' not in text
            assert all("names" not in c for c in state.connections)


class TestDeltas:
    async def test_a_new_connection_arrives_as_a_delta(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            socket, snapshot = await scene.dashboard()
            assert snapshot["seq"] == 0
            await scene.meet([(0, 1)])
            delta = await socket.receive()
            assert delta["type"] == "delta"
            assert (delta["from_seq"], delta["seq"]) == (0, 1)
            assert delta["counts"]["connections"] == 1
            assert delta["connections"] == [], "names are off: the connection is a count only"
            assert len(delta["timeline"]) == 1

    async def test_names_only_when_the_event_allows(self, settings: Settings) -> None:
        async with scene_of(settings, shows_names=True) as scene:
            socket, snapshot = await scene.dashboard()
            assert snapshot["shows_names"] is True
            await scene.meet([(0, 1)])
            delta = await socket.receive()
            assert delta["connections"][0]["names"] == ["Person 00", "Person 01"]
            assert "SECRET" not in socket.texts[-1]

    async def test_a_burst_is_coalesced_and_counts_stay_exact(self, settings: Settings) -> None:
        # Names on: each connection is then listed, and must be listed once.
        async with scene_of(settings, people=14, shows_names=True) as scene:
            socket, snapshot = await scene.dashboard()
            state = LiveState()
            state.apply(snapshot)
            pairs = [(a, b) for a in range(14) for b in range(14) if a != b][:150]
            started = asyncio.get_running_loop().time()
            await scene.meet(pairs)
            await socket.follow(state, lambda s: s.seq == 150, within=30)
            elapsed = asyncio.get_running_loop().time() - started
            deltas = [f for f in socket.frames if f["type"] == "delta"]
            # At most one frame per coalescing interval (plus the first, immediate one).
            assert len(deltas) <= elapsed / (settings.feed_coalesce_ms / 1000) + 2
            assert len(deltas) < 150
            seen = [c["seq"] for c in state.connections]
            assert seen == list(range(1, 151))
            assert_matches_database(state, await scene.truth())

    async def test_one_read_and_one_frame_per_tick_for_every_dashboard(self, settings: Settings) -> None:
        async with scene_of(settings, people=10) as scene:
            dashboards = [await scene.dashboard() for _ in range(15)]
            statements: list[str] = []

            def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
                statements.append(statement)

            engine = scene.app.state.engine.sync_engine
            # Recorded with nothing else happening: the encounters are written (unannounced) first.
            await scene.meet([(a, (a + 1) % 10) for a in range(10)], publish=False)
            sa_event.listen(engine, "before_cursor_execute", count)
            try:
                for seq in range(1, 11):
                    await scene.app.state.broker.publish(FeedNotice(scene.event.id, seq))
                states = await follow_all(dashboards, 10)
            finally:
                sa_event.remove(engine, "before_cursor_execute", count)
            hub = scene.app.state.feed_hub
            ticks = hub.feeds[scene.event.id].ticks
            # Each tick reads the event's head and the new connections: never once per dashboard.
            assert len(statements) <= 3 * ticks + 2
            assert ticks <= 5
            texts = [tuple(socket.texts[1:]) for socket, _ in dashboards]
            assert all(t == texts[0] for t in texts), "every dashboard gets the very same frames"
            for state in states:
                assert state.counts == states[0].counts

    async def test_the_fan_out_yields_to_other_work_between_slices(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        settings = settings.model_copy(update={"feed_fanout_slice": 2})
        turns = 0

        async def count_turns() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        offered: dict[int, list[int]] = {}
        real_offer = Dashboard.offer

        def offer(dashboard: Dashboard, frame: Frame) -> None:
            offered.setdefault(frame.rev, []).append(turns)
            real_offer(dashboard, frame)

        monkeypatch.setattr(Dashboard, "offer", offer)
        async with scene_of(settings, people=4) as scene:
            dashboards = [await scene.dashboard() for _ in range(7)]
            counter = asyncio.create_task(count_turns())
            try:
                await scene.meet([(0, 1)])
                states = await follow_all(dashboards, 1)
            finally:
                counter.cancel()
            (rev_turns,) = offered.values()
            assert len(rev_turns) == 7
            # Seven dashboards, two per slice: four slices, each in its own turn of the loop.
            assert len(set(rev_turns)) == 4
            assert all(state.counts == states[0].counts for state in states)
            assert_matches_database(states[0], await scene.truth())

    async def test_a_scan_through_the_api_reaches_the_dashboard(self, settings: Settings) -> None:
        async with scene_of(settings) as scene:
            socket, snapshot = await scene.dashboard()
            state = LiveState()
            state.apply(snapshot)
            alice, bob = scene.people[0], scene.people[1]

            async def scan(scanner: Any, scanned: Any) -> None:
                qr = badge_service.link(settings, scene.event.badge_code, scanned).url
                token = auth_service.attendee_token(settings, scanner)
                response = await scene.http.post(
                    "/api/scans",
                    json={"client_id": str(uuid.uuid4()), "qr": qr, "note": "SECRET from the API"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert response.status_code == 201, response.text

            await scan(alice, bob)
            await socket.follow(state, lambda s: s.seq == 1)
            await scan(bob, alice)
            await socket.follow(state, lambda s: s.seq == 2)
            assert state.counts["mutual"] == 1
            assert_matches_database(state, await scene.truth())
            assert all("SECRET" not in text for text in socket.texts)

    async def test_figures_that_move_with_time_are_refreshed(self, settings: Settings) -> None:
        limits = FeedLimits(refresh_seconds=0.5)
        async with scene_of(settings, people=2, limits=limits) as scene:
            socket, snapshot = await scene.dashboard()
            assert snapshot["counts"]["present"] == 2
            async with scene.sessions() as session:
                await Factory(session, settings).attendee(
                    scene.event, name="Late", joined_at=utcnow(), arrived_at=utcnow()
                )
                await session.commit()
            state = LiveState()
            state.apply(snapshot)
            await socket.follow(state, lambda s: s.counts["present"] == 3, within=WAIT)

    async def test_connections_missed_by_the_broker_are_caught_up(self, settings: Settings) -> None:
        limits = FeedLimits(refresh_seconds=0.5)
        async with scene_of(settings, limits=limits) as scene:
            socket, snapshot = await scene.dashboard()
            await scene.meet([(0, 1), (1, 2)], publish=False)
            state = LiveState()
            state.apply(snapshot)
            await socket.follow(state, lambda s: s.seq == 2)
            assert_matches_database(state, await scene.truth())


class TestEventDeleted:
    async def test_dashboards_are_told_when_the_event_goes(self, settings: Settings) -> None:
        limits = FeedLimits(refresh_seconds=0.3)
        async with scene_of(settings, limits=limits) as scene:
            socket, _ = await scene.dashboard()
            async with scene.sessions() as session:
                await session.delete(await session.merge(scene.event))
                await session.commit()
            closed = await socket.closed()
            assert closed.code == 4404
            assert "deleted" in closed.reason
