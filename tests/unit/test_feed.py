"""The live feed's rules without a database: the room's figures, frames, messages, outbox, origin."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rencontre.feed import service
from rencontre.feed.dashboard import BadMessage, Frame, Outbox, read_message
from rencontre.feed.room import RESUME_WINDOW, Connection, Person, Room, bucket_of
from rencontre.feed.schemas import AuthMessage, PingMessage
from rencontre.feed.service import FeedRefused
from tests.support import make_settings

NOW = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)


def _room(
    people: int = 6, *, joined_minutes_ago: float = 30, list_step: int = 1
) -> tuple[Room, list[uuid.UUID]]:
    ids = [uuid.uuid4() for _ in range(people)]
    joined = NOW - timedelta(minutes=joined_minutes_ago)
    everyone = {i: Person(f"P{n}", f"C{n}", joined, False) for n, i in enumerate(ids)}
    return Room(everyone, list_step=list_step), ids


class _Meetings:
    def __init__(self, room: Room, ids: list[uuid.UUID]) -> None:
        self.room, self.ids, self.seq = room, ids, 0

    def meet(self, a: int, b: int, at: datetime = NOW) -> None:
        self.seq += 1
        self.room.apply(Connection(self.seq, at, self.ids[a], self.ids[b]))


class TestCounts:
    def test_pairs_mutual_and_connections(self) -> None:
        room, ids = _room()
        meetings = _Meetings(room, ids)
        for a, b in [(0, 1), (1, 0), (0, 2), (3, 0), (0, 3)]:
            meetings.meet(a, b)
        counts = room.view(NOW).counts
        assert (counts.connections, counts.unique_pairs, counts.mutual) == (5, 3, 2)
        assert room.connections_of(ids[0]) == 3
        assert room.connections_of(ids[4]) == 0

    def test_an_old_or_repeated_sequence_number_is_not_counted_twice(self) -> None:
        room, ids = _room()
        room.apply(Connection(1, NOW, ids[0], ids[1]))
        assert not room.apply(Connection(1, NOW, ids[0], ids[1]))
        assert not room.apply(Connection(0, NOW, ids[2], ids[3]))
        assert room.view(NOW).counts.connections == 1

    def test_timeline_buckets_are_five_minutes(self) -> None:
        room, ids = _room()
        meetings = _Meetings(room, ids)
        start = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
        for minute, pair in [(0, (0, 1)), (4, (1, 2)), (5, (2, 3)), (14, (3, 4))]:
            meetings.meet(*pair, at=start + timedelta(minutes=minute, seconds=59))
        timeline = room.view(NOW).timeline
        assert timeline == {bucket_of(start): 2, bucket_of(start) + 300: 1, bucket_of(start) + 600: 1}

    def test_active_scanners_recorded_something_in_the_last_15_minutes(self) -> None:
        room, ids = _room()
        meetings = _Meetings(room, ids)
        meetings.meet(0, 1, at=NOW - timedelta(minutes=16))
        meetings.meet(2, 1, at=NOW - timedelta(minutes=14))
        meetings.meet(3, 1, at=NOW)
        assert room.view(NOW).counts.active_scanners == 2
        assert room.view(NOW + timedelta(minutes=15)).counts.active_scanners == 1


class TestPeople:
    def test_isolated_means_present_twenty_minutes_with_at_most_one_connection(self) -> None:
        room, ids = _room(5)
        room.people[ids[3]].arrived_at = NOW - timedelta(minutes=19)  # newcomer
        room.people[ids[4]].arrived_at = None  # not here
        meetings = _Meetings(room, ids)
        meetings.meet(0, 1)
        meetings.meet(0, 2)
        room.refresh_lists(NOW)
        view = room.view(NOW)
        assert [(p.name, p.connections) for p in view.lists.isolated] == [("P1", 1), ("P2", 1)]
        assert (view.counts.present, view.counts.isolated) == (4, 2)
        room.people[ids[1]].deleted = True
        assert [p.name for p in room.refresh_lists(NOW).isolated] == ["P2"]

    def test_someone_introduced_by_staff_is_no_longer_isolated_but_still_present(self) -> None:
        room, ids = _room(3)
        room.people[ids[0]].introduced = True
        room.refresh_lists(NOW)
        view = room.view(NOW)
        assert [p.name for p in view.lists.isolated] == ["P1", "P2"]
        assert [p.id for p in view.lists.isolated] == ids[1:]
        assert (view.counts.present, view.counts.isolated) == (3, 2)

    def test_the_most_connected_first_then_by_name_never_the_deleted(self) -> None:
        room, ids = _room(5)
        meetings = _Meetings(room, ids)
        for a, b in [(3, 0), (3, 1), (3, 2), (1, 0), (2, 4)]:
            meetings.meet(a, b)
        assert [(r.name, r.connections) for r in room.refresh_lists(NOW).top] == [
            ("P3", 3),
            ("P0", 2),
            ("P1", 2),
            ("P2", 2),
            ("P4", 1),
        ]
        room.people[ids[3]].deleted = True
        assert room.refresh_lists(NOW).top[0].name == "P0"


class TestResume:
    def test_the_room_covers_the_last_window_of_connections(self) -> None:
        room, ids = _room(50)
        pairs = [(a, b) for a in range(50) for b in range(50) if a != b][: RESUME_WINDOW + 10]
        meetings = _Meetings(room, ids)
        for a, b in pairs:
            meetings.meet(a, b)
        assert room.covers(10)
        assert not room.covers(9)
        assert not room.covers(RESUME_WINDOW + 11)
        assert [r.seq for r in room.since(RESUME_WINDOW + 8)] == [RESUME_WINDOW + 9, RESUME_WINDOW + 10]
        room.forget_history()
        assert not room.covers(RESUME_WINDOW + 9)


class TestFrames:
    def test_a_delta_lists_only_what_changed(self) -> None:
        room, ids = _room()
        meetings = _Meetings(room, ids)
        meetings.meet(0, 1, at=NOW - timedelta(minutes=30))
        room.refresh_lists(NOW)
        before = room.view(NOW)
        meetings.meet(1, 0)
        after = room.view(NOW)
        delta = service.delta_frame(
            uuid.uuid4(),
            before=before,
            after=after,
            from_seq=1,
            new=room.since(1),
            people=room.people,
            names_after=None,
        )
        assert [b.connections for b in delta.timeline] == [1]
        assert delta.counts.mutual == 1
        assert delta.top is None
        assert delta.isolated is None
        assert delta.connections == []
        named = service.delta_frame(
            uuid.uuid4(),
            before=None,
            after=after,
            from_seq=0,
            new=room.since(0),
            people=room.people,
            names_after=0,
        )
        assert [c.names for c in named.connections] == [("P0", "P1"), ("P1", "P0")]
        assert named.connections[1].mutual is True
        assert named.top is not None


class TestClientMessages:
    def test_auth_and_ping_are_read(self) -> None:
        auth = read_message(
            {"type": "websocket.receive", "text": '{"type":"auth","ticket":"t","last_seq":3}'}
        )
        assert auth == AuthMessage(type="auth", ticket="t", last_seq=3)
        assert isinstance(read_message({"type": "websocket.receive", "text": '{"type":"ping"}'}), PingMessage)

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("", "malformed"),
            ("[]", "malformed"),
            ('{"type":1}', "malformed"),
            ('{"type":"x"}', "unknown_type"),
        ],
    )
    def test_bad_messages_are_answered(self, text: str, code: str) -> None:
        with pytest.raises(BadMessage) as bad:
            read_message({"type": "websocket.receive", "text": text})
        assert bad.value.code == code

    def test_binary_and_oversize_messages_close_the_socket(self) -> None:
        with pytest.raises(FeedRefused) as binary:
            read_message({"type": "websocket.receive", "bytes": b"{}"})
        assert binary.value.code == 1003
        with pytest.raises(FeedRefused) as big:
            read_message({"type": "websocket.receive", "text": json.dumps({"type": "ping", "x": "é" * 3000})})
        assert big.value.code == 1009


class TestOutbox:
    async def test_an_overflow_replaces_queued_frames_with_one_resync_and_keeps_replies(self) -> None:
        outbox = Outbox(frame_limit=2, reply_limit=2)
        assert outbox.put_frame(Frame(1, 1, "a"))
        assert outbox.put_reply("pong")
        assert outbox.put_frame(Frame(2, 2, "b"))
        assert not outbox.put_frame(Frame(3, 3, "c"))
        assert outbox.put_frame(Frame(4, 4, "d"))
        items = [await outbox.get() for _ in range(3)]
        assert items[0] == "pong"
        assert type(items[1]).__name__ == "_Resync"
        assert items[2] == Frame(4, 4, "d")
        assert outbox.put_reply("1")
        assert outbox.put_reply("2")
        assert not outbox.put_reply("3")


class TestOrigin:
    def test_browsers_must_come_from_our_origin_other_clients_send_none(self) -> None:
        settings = make_settings(Path("/nonexistent"), public_base_url="https://rencontre.example.org/")
        settings_with_cors = make_settings(Path("/nonexistent"), cors_origins=["https://console.example.org"])
        assert service.origin_allowed(None, settings)
        assert service.origin_allowed("https://rencontre.example.org", settings)
        assert service.origin_allowed("HTTPS://Rencontre.Example.org", settings)
        assert not service.origin_allowed("https://rencontre.example.org.evil.example", settings)
        assert not service.origin_allowed("http://rencontre.example.org", settings)
        assert not service.origin_allowed("null", settings)
        assert service.origin_allowed("https://console.example.org", settings_with_cors)
