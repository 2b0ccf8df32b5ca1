"""From scores to short lists: spread across companies, fair to everyone in the room.

Ranking each reader's best people alone would hand the few richest profiles to half the
room and nobody to the rest. So the lists are *assigned*, not just sorted:

1. each reader keeps their best ``candidates`` people (exclusions removed);
2. in rounds, every reader in turn (a snake order, so no reader always picks first) takes
   their best candidate still below the exposure cap (the most readers a person may be
   suggested to: ``max_share`` of the room) and whose company is not already
   ``per_company`` times in their list;
3. anyone in the directory still suggested to nobody replaces, in the list of the reader
   who fits them best, a person suggested to several readers (or joins a short list).

:func:`refresh` keeps the lists in step with one change (a profile edited, someone who
left the directory, a reader's new exclusions) by touching only that person's row and
column and the lists that lost someone, never the whole room.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from rencontre.suggestions.score import Room


@dataclass(frozen=True)
class Rules:
    size: int = 8
    per_company: int = 2
    # The most readers one person may be suggested to, as a share of the room ...
    max_share: float = 0.04
    # ... but never fewer than this many (in a small room a share of it is nobody).
    min_cap: int = 3
    candidates: int = 60
    block: int = 256

    def cap(self, room_size: int) -> int:
        return max(self.min_cap, math.floor(room_size * self.max_share))


RULES = Rules()

Suggested = list[tuple[uuid.UUID, float]]
Lists = dict[uuid.UUID, Suggested]
Exclusions = Mapping[uuid.UUID, Collection[uuid.UUID]]


@dataclass
class _Board:
    """Lists by room index while assigning, with the counts the rules check."""

    room: Room
    rules: Rules
    excluded: dict[int, set[int]]
    lists: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    exposure: np.ndarray = field(init=False)
    cap: int = field(init=False)
    excluded_by: dict[int, set[int]] = field(init=False)
    # Readers whose list was added to or taken from since the board was set.
    dirty: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.excluded_by = {}
        for reader, hidden in self.excluded.items():
            for person in hidden:
                self.excluded_by.setdefault(person, set()).add(reader)
        self.exposure = np.zeros(len(self.room), dtype=np.int64)
        self.cap = self.rules.cap(len(self.room))

    def masked_scores(self, readers: list[int]) -> np.ndarray:
        scores: np.ndarray = self.room.scores(readers)
        for row, reader in enumerate(readers):
            hidden = self.excluded.get(reader)
            if hidden:
                scores[row, list(hidden)] = -np.inf
        return scores

    def masked_column(self, person: int) -> np.ndarray:
        column: np.ndarray = self.columns([person])[0]
        return column

    def firm_count(self, reader: int, person: int) -> int:
        firm = self.room.firm_ids[person]
        return sum(1 for other, _ in self.lists.get(reader, ()) if self.room.firm_ids[other] == firm)

    def may_add(self, reader: int, person: int) -> bool:
        taken = self.lists.get(reader, [])
        return (
            self.exposure[person] < self.cap
            and all(other != person for other, _ in taken)
            and self.firm_count(reader, person) < self.rules.per_company
        )

    def add(self, reader: int, person: int, score: float) -> None:
        taken = self.lists.setdefault(reader, [])
        taken.append((person, score))
        taken.sort(key=lambda item: -item[1])
        self.exposure[person] += 1
        self.dirty.add(reader)

    def remove(self, reader: int, person: int) -> None:
        self.lists[reader] = [(o, s) for o, s in self.lists.get(reader, []) if o != person]
        self.exposure[person] -= 1
        self.dirty.add(reader)

    def fill(self, readers: list[int]) -> None:
        """Top up these readers' lists, round by round, from their best candidates."""
        for start in range(0, len(readers), self.rules.block):
            block = readers[start : start + self.rules.block]
            scores = self.masked_scores(block)
            picks = _best(scores, self.rules.candidates)
            self._rounds(block, scores, picks)

    def _rounds(self, block: list[int], scores: np.ndarray, picks: np.ndarray) -> None:
        cursor = dict.fromkeys(range(len(block)), 0)
        for turn in range(self.rules.size):
            order = range(len(block)) if turn % 2 == 0 else range(len(block) - 1, -1, -1)
            for row in order:
                reader = block[row]
                if len(self.lists.get(reader, ())) >= self.rules.size:
                    continue
                at = cursor[row]
                while at < picks.shape[1]:
                    person = int(picks[row, at])
                    at += 1
                    if not np.isfinite(scores[row, person]):
                        at = picks.shape[1]
                        break
                    if self.may_add(reader, person):
                        self.add(reader, person, float(scores[row, person]))
                        break
                cursor[row] = at

    def columns(self, people: list[int]) -> np.ndarray:
        """How every reader scores each of ``people`` (one row per person), exclusions applied."""
        rows: np.ndarray = self.room.scores(people)
        w = self.room.weights.open_to_chat
        rows += w * (self.room.open[people].astype(np.float32)[:, np.newaxis] - self.room.open[np.newaxis, :])
        rows[np.arange(len(people)), people] = -np.inf
        for row, person in enumerate(people):
            hiding = self.excluded_by.get(person)
            if hiding:
                rows[row, list(hiding)] = -np.inf
        return rows

    def rescue_all(self, people: list[int]) -> None:
        """Make each of ``people`` suggested to someone, if nobody is suggested them yet."""
        waiting = [p for p in people if self.exposure[p] == 0]
        for start in range(0, len(waiting), self.rules.block):
            block = waiting[start : start + self.rules.block]
            for person, column in zip(block, self.columns(block), strict=True):
                self.rescue(person, column)

    def rescue(self, person: int, column: np.ndarray) -> None:
        """Suggest ``person`` to someone: the readers who fit them best, first."""
        if self.exposure[person] > 0:
            return
        finite = np.flatnonzero(np.isfinite(column))
        if len(finite) == 0:
            return  # nobody may see them (met or hid by everyone)
        readers = finite[np.argsort(-column[finite], kind="stable")]
        firm = self.room.firm_ids[person]
        for reader in readers.tolist():
            taken = self.lists.get(reader, [])
            if len(taken) < self.rules.size and self.may_add(reader, person):
                self.add(reader, person, float(column[reader]))
                return
            for other, _ in reversed(taken):
                same_firm = self.firm_count(reader, person) - (self.room.firm_ids[other] == firm)
                if self.exposure[other] >= 2 and same_firm < self.rules.per_company:
                    self.remove(reader, other)
                    self.add(reader, person, float(column[reader]))
                    return
        # Everyone who may see them has a full list of people suggested to them alone.
        first = int(readers[0])
        self.add(first, person, float(column[first]))

    def by_id(self, readers: Iterable[int]) -> Lists:
        ids = [p.id for p in self.room.profiles]
        return {ids[r]: [(ids[o], s) for o, s in self.lists.get(r, [])] for r in readers}


def _best(scores: np.ndarray, count: int) -> np.ndarray:
    """Per row, the columns of the ``count`` highest scores, best first."""
    count = min(count, scores.shape[1])
    if count == 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64)
    if count < scores.shape[1]:
        top = np.argpartition(-scores, count - 1, axis=1)[:, :count]
    else:
        top = np.tile(np.arange(scores.shape[1]), (scores.shape[0], 1))
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)


def _indexed(room: Room, exclusions: Exclusions) -> dict[int, set[int]]:
    index = room.index
    excluded: dict[int, set[int]] = {}
    for reader_id, people in exclusions.items():
        reader = index.get(reader_id)
        if reader is None:
            continue
        found = {index[p] for p in people if p in index}
        if found:
            excluded[reader] = found
    return excluded


def assign(room: Room, exclusions: Exclusions, rules: Rules = RULES) -> Lists:
    """Every reader's list, computed for the whole room."""
    board = _Board(room, rules, _indexed(room, exclusions))
    everyone = list(range(len(room)))
    board.fill(everyone)
    board.rescue_all(everyone)
    return board.by_id(everyone)


def refresh(
    room: Room,
    exclusions: Exclusions,
    current: Mapping[uuid.UUID, Suggested],
    *,
    changed: uuid.UUID | None = None,
    readers: Collection[uuid.UUID] = (),
    rules: Rules = RULES,
) -> Lists:
    """The lists that must change after one change, by reader; the others stay as they are.

    ``current`` is every reader's list as stored. ``changed`` is a person whose profile
    changed, who joined or who left the room (then absent from ``room``); ``readers`` are
    readers whose exclusions changed (a scan, a hide). People gone from the room and
    excluded entries drop out; the lists that lose someone are topped up.
    """
    board = _Board(room, rules, _indexed(room, exclusions))
    index = room.index
    # Room indices by the ids' integers: a UUID's own hash is Python code, an int's is not,
    # and every stored line of the event goes through here.
    by_int = {p.id.int: i for i, p in enumerate(room.profiles)}
    person = index.get(changed) if changed is not None else None
    left = -1 if person is None else person
    no_one: set[int] = set()
    touched: set[int] = set()
    suggested_before = np.zeros(len(room), dtype=bool)
    exposed: list[int] = []
    for reader_id, items in current.items():
        reader = by_int.get(reader_id.int)
        if reader is None:  # left the room: whoever their list held may now be at zero
            for p, _ in items:
                at = by_int.get(p.int)
                if at is not None:
                    suggested_before[at] = True
            continue
        hidden = board.excluded.get(reader, no_one)
        kept = []
        for p, s in items:
            at = by_int.get(p.int)
            if at is None:
                continue
            suggested_before[at] = True
            if at != left and at not in hidden:
                kept.append((at, s))
                exposed.append(at)
        if len(kept) != len(items):
            touched.add(reader)
        board.lists[reader] = kept
    board.exposure += np.bincount(np.asarray(exposed, dtype=np.int64), minlength=len(room))
    touched.update(index[r] for r in readers if r in index)
    if person is not None:
        for other, _ in board.lists.pop(person, []):
            board.exposure[other] -= 1
        touched.add(person)
        board.fill([person])
        touched.update(_offer_to_readers(board, person))
    board.fill(sorted(touched))
    at_zero = np.flatnonzero(suggested_before & (board.exposure == 0)).tolist()
    board.rescue_all(([person] if person is not None else []) + at_zero)
    return board.by_id(touched | _differing(board, current))


def _offer_to_readers(board: _Board, person: int) -> set[int]:
    """Put ``person`` in the lists of the readers who now fit them better than their last."""
    column = board.masked_column(person)
    worst = np.full(len(board.room), -np.inf, dtype=np.float32)
    for reader, items in board.lists.items():
        if len(items) >= board.rules.size:
            worst[reader] = items[-1][1]
    better = np.flatnonzero(column > worst)
    touched: set[int] = set()
    for reader in better[np.argsort(-column[better], kind="stable")]:
        reader = int(reader)
        if board.exposure[person] >= board.cap:
            break
        taken = board.lists.get(reader, [])
        if len(taken) >= board.rules.size:
            last, _ = taken[-1]
            if board.exposure[last] < 2:
                continue
            board.remove(reader, last)
            if not board.may_add(reader, person):
                board.add(reader, last, taken[-1][1])
                continue
        elif not board.may_add(reader, person):
            continue
        board.add(reader, person, float(column[reader]))
        touched.add(reader)
    return touched


def _differing(board: _Board, current: Mapping[uuid.UUID, Suggested]) -> set[int]:
    """Readers whose list on the board is not the stored one (only a list changed on the board can be)."""
    ids = [p.id for p in board.room.profiles]
    differing = set()
    for reader in board.dirty:
        stored = [p for p, _ in current.get(ids[reader], [])]
        if stored != [ids[p] for p, _ in board.lists.get(reader, [])]:
            differing.add(reader)
    return differing
