"""The pairing of a format's rounds, over thousands of random rooms: everyone placed every
round, no one alone, no pair twice in a session, group sizes within bounds, hosts never
together, and a repeat declared unavoidable only when it is."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rencontre.formats.pairing import Exhausted, Room, TooFew, forum, group_sizes, groups, pairs

Pair = tuple[int, int]


@st.composite
def rooms(draw: st.DrawFn, min_people: int = 2, max_people: int = 30) -> Room[int]:
    count = draw(st.integers(min_people, max_people))
    people = list(range(count))
    everyone = list(itertools.combinations(people, 2))
    density = draw(st.floats(0, 0.9))
    rng = random.Random(draw(st.integers(0, 2**32)))
    met = [p for p in everyone if rng.random() < density]
    scanned = [p for p in everyone if rng.random() < 0.2]
    wishes = [p for p in everyone if rng.random() < 0.1]
    never = [p for p in everyone if rng.random() < 0.05]
    return Room(people, met=met, scanned=scanned, wishes=wishes, never=never)


def pairs_in(group: tuple[int, ...]) -> Iterator[Pair]:
    for a, b in itertools.combinations(group, 2):
        yield (min(a, b), max(a, b))


def met_set(room: Room[int]) -> set[Pair]:
    """Pairs that may not share a table: met this session, or kept apart (a block)."""
    return {(min(a, b), max(a, b)) for a, b in [*room.met, *room.never]}


def assert_partition(room: Room[int], made: list[tuple[int, ...]]) -> None:
    placed = [p for group in made for p in group]
    assert sorted(placed) == sorted(room.present), "everyone present is placed exactly once"
    met = met_set(room)
    for group in made:
        assert not met & set(pairs_in(group)), f"{group} holds a pair who already met"


def arrangements(
    people: list[int], allowed: set[Pair], sizes: tuple[int, ...]
) -> Iterator[list[tuple[int, ...]]]:
    """Every split of ``people`` into groups of the given sizes where all pairs are allowed
    (brute force, small rooms only)."""
    if not people:
        yield []
        return
    first, rest = people[0], people[1:]
    for size in set(sizes):
        for others in itertools.combinations(rest, size - 1):
            group = (first, *others)
            if all(p in allowed for p in pairs_in(group)):
                left = [p for p in rest if p not in others]
                remaining = list(sizes)
                remaining.remove(size)
                for tail in arrangements(left, allowed, tuple(remaining)):
                    yield [group, *tail]


def speed_meeting_sizes(count: int) -> tuple[int, ...]:
    return (2,) * (count // 2 - 1) + ((3,) if count % 2 else (2,))


class TestPairs:
    @settings(max_examples=1500, deadline=None)
    @given(rooms(), st.integers(0, 2**32))
    def test_everyone_in_twos_or_one_trio_and_no_repeat(self, room: Room[int], seed: int) -> None:
        try:
            made = pairs(room, random.Random(seed))
        except Exhausted:
            return
        assert_partition(room, made)
        sizes = sorted(len(g) for g in made)
        odd = len(room.present) % 2
        assert sizes == [2] * (len(made) - odd) + [3] * odd

    @settings(max_examples=400, deadline=None)
    @given(rooms(min_people=2, max_people=9), st.integers(0, 2**32))
    def test_a_repeat_is_declared_unavoidable_only_when_it_is(self, room: Room[int], seed: int) -> None:
        people = list(room.present)
        allowed = set(itertools.combinations(people, 2)) - met_set(room)
        possible = next(arrangements(people, allowed, speed_meeting_sizes(len(people))), None)
        if possible is None:
            with pytest.raises(Exhausted):
                pairs(room, random.Random(seed))
        else:
            assert_partition(room, pairs(room, random.Random(seed)))

    @settings(max_examples=400, deadline=None)
    @given(rooms(min_people=2, max_people=9), st.integers(0, 2**32))
    def test_people_who_met_before_are_kept_apart_when_possible(self, room: Room[int], seed: int) -> None:
        people = list(room.present)
        scanned = {(min(a, b), max(a, b)) for a, b in room.scanned}
        strict = set(itertools.combinations(people, 2)) - met_set(room) - scanned
        if next(arrangements(people, strict, speed_meeting_sizes(len(people))), None) is None:
            return
        made = pairs(room, random.Random(seed))
        assert not {p for g in made for p in pairs_in(g)} & scanned

    def test_those_who_asked_to_meet_are_paired(self) -> None:
        room = Room([1, 2, 3, 4], wishes=[(1, 3), (4, 2)])
        for seed in range(50):
            made = pairs(room, random.Random(seed))
            assert {tuple(sorted(g)) for g in made} == {(1, 3), (2, 4)}

    def test_a_match_outweighs_a_one_way_ask(self) -> None:
        # 2 asked 1; 1 and 3 both asked each other (a pair given twice): 1 sits with 3.
        room = Room([1, 2, 3, 4], wishes=[(2, 1), (1, 3), (3, 1)])
        for seed in range(50):
            made = pairs(room, random.Random(seed))
            assert {tuple(sorted(g)) for g in made} == {(1, 3), (2, 4)}

    def test_a_block_is_never_seated_even_when_wished(self) -> None:
        room = Room([1, 2, 3, 4], wishes=[(1, 2), (1, 2)], never=[(2, 1)])
        for seed in range(50):
            made = pairs(room, random.Random(seed))
            assert (1, 2) not in {tuple(sorted(g)) for g in made}

    def test_a_block_that_leaves_no_arrangement_is_exhausted_not_broken(self) -> None:
        with pytest.raises(Exhausted):
            pairs(Room([1, 2], never=[(1, 2)]), random.Random(0))
        with pytest.raises(Exhausted):
            forum(Room([1, 2], never=[(1, 2)]), {1}, random.Random(0))

    def test_blocked_people_never_share_a_walk_or_a_forum_table(self) -> None:
        never = [(0, 1), (2, 3), (4, 5), (0, 6)]
        for seed in range(30):
            rng = random.Random(seed)
            walked = groups(Room(list(range(12)), never=never), rng, 3, 4)
            hosted = forum(Room(list(range(12)), never=never), {0, 2, 4}, rng)
            for made in (walked, hosted):
                together = {p for g in made for p in pairs_in(g)}
                assert not together & set(never)

    def test_a_whole_session_never_repeats_a_pair_with_people_coming_and_going(self) -> None:
        rng = random.Random(7)
        everyone = list(range(60))
        met: list[Pair] = []
        present = set(rng.sample(everyone, 40))
        seen: set[Pair] = set()
        for _ in range(25):
            room = Room(sorted(present), met=met)
            try:
                made = pairs(room, rng)
            except Exhausted:
                break
            assert_partition(room, made)
            for group in made:
                for pair in pairs_in(group):
                    assert pair not in seen
                    seen.add(pair)
                    met.append(pair)
            # Between rounds a few leave and a few arrive (or come back).
            present -= set(rng.sample(sorted(present), 3))
            present |= set(rng.sample(everyone, 5))
        assert len(seen) > 300

    def test_twenty_people_meet_everyone_in_nineteen_rounds(self) -> None:
        met: list[Pair] = []
        rng = random.Random(1)
        for _ in range(19):
            made = pairs(Room(list(range(20)), met=met), rng)
            met += [p for g in made for p in pairs_in(g)]
        assert len(set(met)) == 190
        with pytest.raises(Exhausted):
            pairs(Room(list(range(20)), met=met), rng)

    def test_too_few(self) -> None:
        with pytest.raises(TooFew):
            pairs(Room([1]), random.Random(0))
        assert pairs(Room([1, 2]), random.Random(0)) in ([(1, 2)], [(2, 1)])

    def test_someone_listed_twice_is_refused(self) -> None:
        with pytest.raises(ValueError, match="twice"):
            Room([1, 2, 2])


class TestGroups:
    @pytest.mark.parametrize(
        ("count", "low", "high", "wanted", "sizes"),
        [
            (2, 3, 5, None, [2]),
            (3, 3, 5, None, [3]),
            (11, 3, 5, None, [4, 4, 3]),
            (20, 3, 5, None, [4, 4, 4, 4, 4]),
            (20, 3, 5, 4, [5, 5, 5, 5]),
            (20, 3, 5, 100, [4, 4, 3, 3, 3, 3]),
            (20, 3, 5, 1, [5, 5, 5, 5]),
        ],
    )
    def test_sizes(self, count: int, low: int, high: int, wanted: int | None, sizes: list[int]) -> None:
        assert group_sizes(count, low, high, wanted) == sizes

    def test_impossible_bounds(self) -> None:
        with pytest.raises(ValueError, match="cannot be split"):
            group_sizes(7, 4, 5)
        with pytest.raises(ValueError, match="min_size"):
            group_sizes(10, 1, 5)
        with pytest.raises(TooFew):
            group_sizes(1, 3, 5)

    @settings(max_examples=800, deadline=None)
    @given(rooms(max_people=40), st.integers(0, 2**32))
    def test_groups_within_bounds_and_no_repeat(self, room: Room[int], seed: int) -> None:
        try:
            made = groups(room, random.Random(seed), 3, 5)
        except Exhausted:
            return
        assert_partition(room, made)
        sizes = [len(g) for g in made]
        if len(room.present) >= 3:
            assert all(3 <= s <= 5 for s in sizes)
        assert max(sizes) - min(sizes) <= 1

    def test_a_session_of_walks_never_repeats_a_pair(self) -> None:
        rng = random.Random(3)
        met: list[Pair] = []
        rounds = 0
        while True:
            try:
                made = groups(Room(list(range(200)), met=met), rng, 3, 5)
            except Exhausted:
                break
            new = [p for g in made for p in pairs_in(g)]
            assert not set(new) & set(met)
            met += new
            rounds += 1
        assert rounds >= 10


class TestForum:
    @settings(max_examples=800, deadline=None)
    @given(rooms(max_people=30), st.integers(1, 6), st.integers(0, 2**32))
    def test_hosts_keep_their_tables(self, room: Room[int], host_count: int, seed: int) -> None:
        hosts = set(room.present[:host_count])
        if len(hosts) == len(room.present):
            with pytest.raises(TooFew):
                forum(room, hosts, random.Random(seed))
            return
        try:
            made = forum(room, hosts, random.Random(seed))
        except Exhausted:
            return
        placed = [p for g in made for p in g]
        assert sorted(placed) == sorted(room.present)
        met = met_set(room)
        for table in made:
            assert table[0] in hosts
            assert not set(table[1:]) & hosts, "hosts never meet each other"
            assert all((min(table[0], g), max(table[0], g)) not in met for g in table[1:])

    def test_guests_meet_every_host_once_at_even_tables(self) -> None:
        rng = random.Random(5)
        hosts = set(range(4))
        met: list[Pair] = []
        for _ in range(4):
            made = forum(Room(list(range(20)), met=met), hosts, rng)
            assert sorted(len(t) for t in made) == [5, 5, 5, 5]
            met += [(t[0], g) for t in made for g in t[1:]]
        assert len(set(met)) == 4 * 16
        with pytest.raises(Exhausted):
            forum(Room(list(range(20)), met=met), hosts, rng)

    def test_no_host_or_no_guest(self) -> None:
        with pytest.raises(TooFew, match="host"):
            forum(Room([1, 2, 3]), {9}, random.Random(0))
        with pytest.raises(TooFew, match="guest"):
            forum(Room([1, 2]), {1, 2}, random.Random(0))
