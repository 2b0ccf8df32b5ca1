"""Properties of the scorer and the assignment, over random rooms.

- complementarity and sameness are symmetric: A fits B as B fits A (only the open-to-chat
  boost goes to the person seen);
- everyone in the directory is suggested to someone (unless everyone may not see them);
- nobody is suggested to more readers than the cap, no list repeats a person, names its
  reader, holds an excluded person or exceeds the company spread;
- refreshing after one change keeps all of the above.
"""

from __future__ import annotations

import uuid
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from devtools.rooms import INTERESTS, OBJECTIVES, OFFERS, SEEKS
from rencontre.suggestions import rank
from rencontre.suggestions.score import WEIGHTS, Profile, Room

RULES = rank.Rules(size=4, per_company=2, max_share=0.04, min_cap=3, candidates=12, block=7)


@st.composite
def profiles(draw: st.DrawFn, n: int) -> Profile:
    return Profile(
        id=uuid.UUID(int=n + 1),
        company=draw(st.sampled_from(["", "Acme", "Globex", "Initech", "Umbrella"])),
        objectives=tuple(draw(st.lists(st.sampled_from(OBJECTIVES), max_size=2, unique=True))),
        interests=tuple(draw(st.lists(st.sampled_from(INTERESTS), max_size=3, unique=True))),
        offers=tuple(draw(st.lists(st.sampled_from(OFFERS), max_size=3, unique=True))),
        seeks=tuple(draw(st.lists(st.sampled_from(SEEKS), max_size=3, unique=True))),
        open_to_chat=draw(st.booleans()),
    )


@st.composite
def rooms(draw: st.DrawFn, min_size: int = 2, max_size: int = 30) -> list[Profile]:
    size = draw(st.integers(min_size, max_size))
    return [draw(profiles(n)) for n in range(size)]


@st.composite
def rooms_with_exclusions(draw: st.DrawFn) -> tuple[list[Profile], dict[uuid.UUID, set[uuid.UUID]]]:
    people = draw(rooms())
    ids = [p.id for p in people]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=len(ids) * 2))
    exclusions: dict[uuid.UUID, set[uuid.UUID]] = {}
    for reader, person in pairs:
        if reader != person:
            exclusions.setdefault(reader, set()).add(person)
    return people, exclusions


def check(people: list[Profile], exclusions: dict[uuid.UUID, set[uuid.UUID]], lists: rank.Lists) -> None:
    firms = {p.id: p.firm for p in people}
    times = Counter(person for items in lists.values() for person, _ in items)
    cap = RULES.cap(len(people))
    assert max(times.values(), default=0) <= cap
    for reader, items in lists.items():
        chosen = [person for person, _ in items]
        assert reader not in chosen
        assert len(set(chosen)) == len(chosen)
        assert not set(chosen) & exclusions.get(reader, set())
        assert len(chosen) <= RULES.size + 1  # one over only to rescue someone nobody else may see
        companies = Counter(firms[c] for c in chosen if firms[c])
        if len(chosen) <= RULES.size:
            assert max(companies.values(), default=0) <= RULES.per_company
    for p in people:
        visible_to_someone = any(r.id != p.id and p.id not in exclusions.get(r.id, set()) for r in people)
        if visible_to_someone:
            assert times[p.id] >= 1, "someone in the directory is suggested to nobody"


class TestScoreSymmetry:
    @settings(max_examples=40)
    @given(rooms(max_size=12))
    def test_fit_is_symmetric_but_for_open_to_chat(self, people: list[Profile]) -> None:
        room = Room(people)
        scores = room.scores(list(range(len(people))))
        boost = WEIGHTS.open_to_chat * room.open.astype(np.float32)
        fit = scores - boost[np.newaxis, :]
        np.fill_diagonal(fit, 0)
        assert np.allclose(fit, fit.T, atol=1e-5)


class TestAssignment:
    @settings(max_examples=60)
    @given(rooms_with_exclusions())
    def test_everyone_suggested_within_caps(
        self, room_and_exclusions: tuple[list[Profile], dict[uuid.UUID, set[uuid.UUID]]]
    ) -> None:
        people, exclusions = room_and_exclusions
        lists = rank.assign(Room(people), exclusions, RULES)
        check(people, exclusions, lists)

    @settings(max_examples=40)
    @given(rooms_with_exclusions(), st.data())
    def test_refresh_after_one_change_keeps_the_rules(
        self, room_and_exclusions: tuple[list[Profile], dict[uuid.UUID, set[uuid.UUID]]], data: st.DataObject
    ) -> None:
        people, exclusions = room_and_exclusions
        lists = rank.assign(Room(people), exclusions, RULES)
        at = data.draw(st.integers(0, len(people) - 1))
        leaves = data.draw(st.booleans())
        changed = people[at].id
        if leaves:
            after = people[:at] + people[at + 1 :]
        else:
            after = [*people]
            after[at] = data.draw(profiles(at))
        lists_after = {**lists, **rank.refresh(Room(after), exclusions, lists, changed=changed, rules=RULES)}
        lists_after = {r: items for r, items in lists_after.items() if any(p.id == r for p in after)}
        check(after, exclusions, lists_after)
        if leaves:
            assert all(changed not in {p for p, _ in items} for items in lists_after.values())
