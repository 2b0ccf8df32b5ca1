"""The live feed never lets an observer of its frames attribute a connection to a pair."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from rencontre.feed import service
from rencontre.feed.repository import Head
from rencontre.feed.room import RESUME_WINDOW, Connection, Person, Room
from tests.support import make_settings

NOW = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
JOINED = NOW - timedelta(minutes=30)


def _people(count: int) -> tuple[dict[uuid.UUID, Person], list[uuid.UUID]]:
    ids = [uuid.UUID(int=n + 1) for n in range(count)]
    return {i: Person(f"P{n}", f"C{n}", JOINED, False) for n, i in enumerate(ids)}, ids


def _room_after(pairs: list[tuple[int, int]], *, people: int = 8, step: int = 3) -> Room:
    """A room built from scratch with these meetings, its lists computed: a new process's room."""
    everyone, ids = _people(people)
    room = Room(everyone, list_step=step)
    for seq, (a, b) in enumerate(pairs, start=1):
        room.apply(Connection(seq, NOW, ids[a], ids[b]))
    room.refresh_lists(NOW)
    return room


def _meet(room: Room, a: int, b: int) -> None:
    ids = list(room.people)
    room.apply(Connection(room.seq + 1, NOW, ids[a], ids[b]))


class TestAConnectionMovesNoList:
    def test_the_frame_of_a_connection_carries_counts_and_never_the_lists(self) -> None:
        room = _room_after([(2, 3), (3, 4), (4, 2)])
        before = room.view(NOW)
        assert [p.name for p in before.lists.isolated][:2] == ["P0", "P1"]
        _meet(room, 0, 1)  # the two isolated people meet
        after = room.view(NOW)
        assert after.lists is before.lists
        assert after.counts.isolated == before.counts.isolated
        assert after.counts.connections == before.counts.connections + 1
        delta = service.delta_frame(
            uuid.uuid4(),
            before=before,
            after=after,
            from_seq=before.seq,
            new=room.since(before.seq),
            people=room.people,
            names_after=None,
        )
        assert delta.top is None
        assert delta.isolated is None
        assert delta.connections == []
        assert "P0" not in delta.model_dump_json(exclude_none=True)


class TestListsMoveOnlyBySeveralConnections:
    def test_a_refresh_after_fewer_connections_than_the_step_changes_nothing(self) -> None:
        room = _room_after([(2, 3), (3, 4), (4, 2)])
        published = room.lists
        _meet(room, 0, 1)
        _meet(room, 5, 6)
        assert room.refresh_lists(NOW) == published
        assert room.view(NOW).counts.isolated == published.isolated_count

    def test_a_refresh_after_the_step_moves_the_lists(self) -> None:
        room = _room_after([(2, 3), (3, 4), (4, 2)])
        published = room.lists
        for a, b in [(0, 1), (5, 6), (0, 7)]:
            _meet(room, a, b)
        moved = room.refresh_lists(NOW)
        assert moved.upto == published.upto + 3
        assert [r.name for r in moved.top][:1] == ["P0"]
        assert "P0" not in [p.name for p in moved.isolated]

    @pytest.mark.parametrize("step", [1, 3, 5])
    def test_every_room_at_the_same_number_shows_the_same_lists(self, step: int) -> None:
        """What a long-lived room shows equals what a room built afresh (another process,
        a resumed feed) shows: a reconnecting observer learns nothing in between."""
        pairs = [(0, 1), (1, 0), (2, 0), (0, 3), (3, 0), (4, 5), (5, 6), (6, 4), (1, 2), (7, 1), (2, 1)]
        everyone, ids = _people(8)
        living = Room(everyone, list_step=step)
        for seq, (a, b) in enumerate(pairs, start=1):
            living.apply(Connection(seq, NOW, ids[a], ids[b]))
            assert living.refresh_lists(NOW) == _room_after(pairs[:seq], step=step).lists
            assert living.lists.upto == seq - seq % step

    def test_people_met_are_counted_as_of_the_cutoff(self) -> None:
        room = _room_after([(0, 1), (0, 2), (0, 3), (1, 0), (0, 4)], step=3)
        # Cut at 3: P0 had met three people; the mutual (1, 0) and (0, 4) come after.
        assert [(r.name, r.connections) for r in room.lists.top][:1] == [("P0", 3)]

    def test_a_step_beyond_the_resume_window_is_refused(self) -> None:
        with pytest.raises(ValueError, match="list_step"):
            Room({}, list_step=RESUME_WINDOW + 1)
        with pytest.raises(ValueError, match="list_step"):
            Room({}, list_step=0)

    @pytest.mark.parametrize(
        "setting", [{"feed_lists_min_connections": 0}, {"feed_lists_refresh_seconds": 0}]
    )
    def test_settings_out_of_bounds_are_refused_by_name(
        self, setting: dict[str, float], tmp_path: Path
    ) -> None:
        with pytest.raises(ValidationError, match=next(iter(setting))):
            make_settings(tmp_path, **setting)


class TestPerPersonCounts:
    def test_with_names_off_the_lists_rank_people_without_a_number(self) -> None:
        room = _room_after([(0, 1), (0, 2), (0, 3)])
        snapshot = service.snapshot_frame(uuid.uuid4(), room.view(NOW), shows_names=False)
        assert [r.name for r in snapshot.top][:1] == ["P0"]
        assert all(r.connections is None for r in snapshot.top)
        assert snapshot.isolated
        assert all(p.connections is None for p in snapshot.isolated)

    def test_with_names_on_the_lists_say_how_many(self) -> None:
        room = _room_after([(0, 1), (0, 2), (0, 3)])
        snapshot = service.snapshot_frame(uuid.uuid4(), room.view(NOW), shows_names=True)
        assert (snapshot.top[0].name, snapshot.top[0].connections) == ("P0", 3)
        assert all(p.connections == 1 for p in snapshot.isolated if p.name in ("P1", "P2", "P3"))


class TestNamesOnlyAfterTheyWereTurnedOn:
    ORGANISER = uuid.uuid4()

    def _head(self, seq: int, shows: bool, names_from: int | None = None) -> Head:
        return Head(feed_seq=seq, shows_names=shows, organiser_id=self.ORGANISER, names_from_seq=names_from)

    def test_the_mark_is_where_the_feed_stood_when_names_were_turned_on(self) -> None:
        assert service.names_after(self._head(7, False, None)) is None
        assert service.names_after(self._head(12, True, 7)) == 7
        # Turned off, nothing is named whatever the mark said.
        assert service.names_after(self._head(15, False, 7)) is None
        # An event created with names on shows them from its first connection.
        assert service.names_after(self._head(20, True, 0)) == 0

    def test_a_delta_names_only_the_connections_after_the_mark(self) -> None:
        room = _room_after([(0, 1), (2, 3), (4, 5), (6, 7)], step=1)
        view = room.view(NOW)
        delta = service.delta_frame(
            uuid.uuid4(),
            before=None,
            after=view,
            from_seq=0,
            new=room.since(0),
            people=room.people,
            names_after=2,
        )
        assert [(c.seq, c.names) for c in delta.connections] == [(3, ("P4", "P5")), (4, ("P6", "P7"))]
        text = delta.model_dump_json()
        assert '"P0","P1"' not in text
        assert '"P2","P3"' not in text
