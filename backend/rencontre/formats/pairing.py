"""Who meets whom in one round of a format: speed-meeting pairs, walk & talk groups,
reverse-forum tables.

A plain module: no database, no clock, no settings. The caller (the session's service)
hands it who is present for the round, who already met whom in this session, who met
before the session, and who would like to meet; it returns the groups. Arrivals and
departures between rounds are simply the next round's ``present``.

The rules, in order of strength:

1. Everyone present is placed, and no one is ever alone (an odd room gives one trio).
2. No two people meet twice in a session (``met``), and two people kept apart (``never``:
   one blocked the other) never share a table. When no arrangement can avoid it,
   ``Exhausted`` is raised and the caller decides (end the session, or say so). A block
   is as hard as a repeat: whoever blocked someone never finds them across the table,
   even if the round cannot be made otherwise.
3. Hosts of a reverse forum never meet each other: each keeps a table, guests rotate.
4. People who met before the session (``scanned``) are kept apart when a choice exists;
   people who asked to meet, or whose seeks meet the other's offers (``wishes``), are put
   together when a choice exists; a pair wished several times (both asked, or asked and
   suggested) weighs as many times more.

Speed matters (a round of 2,000 people is computed while the room waits): pairs are
made greedily from a small random sample of candidates, then any one left over is
matched by augmenting paths (Edmonds' blossom search), which finds a perfect
arrangement whenever one exists.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import deque
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Person = TypeVar("Person", bound=Hashable)

# The weights, in one place. A pair's score decides between allowed choices only: it
# never allows a repeat.
WISH = 2.0  # each time a pair is wished: one asked to meet the other, or they were suggested
SCANNED = -3.0  # they met before the session
JITTER = 0.5  # random spread, so equal choices do not always fall the same way
# Greedy candidates looked at per person before a full scan of who is still free.
SAMPLE = 12
# Fresh shuffles tried before a group or a trio is declared impossible.
ATTEMPTS = 24


class Exhausted(Exception):
    """No arrangement of this round avoids meeting someone a second time."""


class TooFew(ValueError):
    """Not enough people (or hosts, or guests) present to make a round."""


@dataclass(frozen=True)
class Room(Generic[Person]):
    """Who is present for a round, and what is known about them."""

    present: Sequence[Person]
    # Pairs already met in this session (either direction may be given).
    met: Iterable[tuple[Person, Person]] = ()
    # Pairs who met before the session.
    scanned: Iterable[tuple[Person, Person]] = ()
    # Pairs who would like to meet; a pair given n times weighs n times.
    wishes: Iterable[tuple[Person, Person]] = ()
    # Pairs who must never share a table (a block), as hard a rule as ``met``.
    never: Iterable[tuple[Person, Person]] = ()
    _met: dict[Person, set[Person]] = field(init=False, repr=False, compare=False)
    _scanned: dict[Person, set[Person]] = field(init=False, repr=False, compare=False)
    _wishes: dict[Person, dict[Person, int]] = field(init=False, repr=False, compare=False)
    _index: dict[Person, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(set(self.present)) != len(self.present):
            raise ValueError("someone is listed twice among those present")
        here = set(self.present)
        object.__setattr__(self, "_index", {p: i for i, p in enumerate(self.present)})
        object.__setattr__(self, "_met", _adjacency(itertools.chain(self.met, self.never), here))
        object.__setattr__(self, "_scanned", _adjacency(self.scanned, here))
        object.__setattr__(self, "_wishes", _strengths(self.wishes, here))

    def has_scanned(self) -> bool:
        return bool(self._scanned)

    def strict(self) -> Room[Person]:
        """The same room where meeting before the session counts as meeting in it."""
        pairs = [(a, b) for a, others in self._met.items() for b in others]
        pairs += [(a, b) for a, others in self._scanned.items() for b in others]
        room = Room(self.present, met=pairs)
        object.__setattr__(room, "_wishes", self._wishes)
        return room

    def allowed(self, a: Person, b: Person) -> bool:
        return a != b and b not in self._met.get(a, ())

    def score(self, a: Person, b: Person) -> float:
        value = 0.0
        value += WISH * self._wishes.get(a, {}).get(b, 0)
        if b in self._scanned.get(a, ()):
            value += SCANNED
        return value

    def wished(self, a: Person) -> Collection[Person]:
        return self._wishes.get(a, {}).keys()

    def wished_pairs(self, rng: random.Random) -> list[tuple[Person, Person]]:
        """Every wished pair once, the strongest first (equals in random order)."""
        found = [
            (n + rng.random(), a, b)
            for a, others in self._wishes.items()
            for b, n in others.items()
            if self._index[a] < self._index[b]
        ]
        found.sort(key=lambda item: item[0], reverse=True)
        return [(a, b) for _, a, b in found]

    def met_count(self, a: Person) -> int:
        return len(self._met.get(a, ()))


def _adjacency(pairs: Iterable[tuple[Person, Person]], here: set[Person]) -> dict[Person, set[Person]]:
    out: dict[Person, set[Person]] = {}
    for a, b in pairs:
        if a in here and b in here and a != b:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


def _strengths(pairs: Iterable[tuple[Person, Person]], here: set[Person]) -> dict[Person, dict[Person, int]]:
    """How many times each pair is given, either way round."""
    out: dict[Person, dict[Person, int]] = {}
    for a, b in pairs:
        if a in here and b in here and a != b:
            out.setdefault(a, {})[b] = out.get(a, {}).get(b, 0) + 1
            out.setdefault(b, {})[a] = out.get(b, {}).get(a, 0) + 1
    return out


# --- speed-meeting: pairs, and one trio when the room is odd --------------------------


def pairs(room: Room[Person], rng: random.Random) -> list[tuple[Person, ...]]:
    """Everyone present in twos (one trio if odd), no one meeting anyone a second time."""
    return _avoiding_scanned(room, lambda r: _pairs(r, rng))


def _avoiding_scanned(
    room: Room[Person], arrange: Callable[[Room[Person]], list[tuple[Person, ...]]]
) -> list[tuple[Person, ...]]:
    """First as if those who met before the session had met in it; if that leaves no
    arrangement, with only the session's own meetings ruled out."""
    if room.has_scanned():
        try:
            return arrange(room.strict())
        except Exhausted:
            pass
    return arrange(room)


def _pairs(room: Room[Person], rng: random.Random) -> list[tuple[Person, ...]]:
    people = list(room.present)
    if len(people) < 2:
        raise TooFew("a round needs at least two people")
    for attempt in range(ATTEMPTS):
        # Every other attempt leaves the wishes to the greedy pass: forcing the same wished
        # pairs each time could keep out the only arrangement with a trio.
        mate = _matching(room, people, rng, wishes_first=attempt % 2 == 0)
        single = [p for p in people if p not in mate]
        if len(single) > 1:
            # A maximum matching leaves no more than one person out when a perfect one
            # exists: the room has run out of new encounters.
            raise Exhausted(f"{len(single)} people have no one left to meet")
        made = _pairs_of(people, mate)
        if not single:
            return made
        trio = _best_trio(room, made, single[0], rng)
        if trio is not None:
            return trio
        # Another maximum matching may leave out someone who fits in a trio.
    raise Exhausted("no pair can take the odd one out without a repeat")


def _pairs_of(people: Sequence[Person], mate: Mapping[Person, Person]) -> list[tuple[Person, ...]]:
    seen: set[Person] = set()
    made: list[tuple[Person, ...]] = []
    for p in people:
        if p in mate and p not in seen:
            seen.update((p, mate[p]))
            made.append((p, mate[p]))
    return made


def _best_trio(
    room: Room[Person], made: list[tuple[Person, ...]], odd: Person, rng: random.Random
) -> list[tuple[Person, ...]] | None:
    best: tuple[float, int] | None = None
    for i, (a, b) in enumerate(made):
        if room.allowed(odd, a) and room.allowed(odd, b):
            value = room.score(odd, a) + room.score(odd, b) + rng.random() * JITTER
            if best is None or value > best[0]:
                best = (value, i)
    if best is None:
        return None
    i = best[1]
    return [*made[:i], (*made[i], odd), *made[i + 1 :]]


def _matching(
    room: Room[Person], people: list[Person], rng: random.Random, *, wishes_first: bool
) -> dict[Person, Person]:
    """A maximum matching of the 'may still meet' graph, preferring high-scoring pairs."""
    order = people[:]
    rng.shuffle(order)
    # The most constrained first: they have the fewest choices left.
    order.sort(key=room.met_count, reverse=True)
    free = _Pool(order)
    mate: dict[Person, Person] = {}
    # The strongest wishes first (a match before a one-way ask), so that someone's weaker
    # wish does not take a person whose stronger one was still waiting.
    for a, b in room.wished_pairs(rng) if wishes_first else ():
        if a in free and b in free and room.allowed(a, b):
            free.remove(a)
            free.remove(b)
            mate[a], mate[b] = b, a
    for person in order:
        if person not in free:
            continue
        free.remove(person)
        partner = _pick(room, person, free, rng)
        if partner is None:
            free.add(person)
            continue
        free.remove(partner)
        mate[person], mate[partner] = partner, person
    # Two or more left without a partner: look for augmenting paths. One alone cannot be
    # helped (a path needs a free person at each end).
    left = list(free)
    if len(left) >= 2:
        _augment_all(room, people, mate, left)
    return mate


def _pick(room: Room[Person], person: Person, free: _Pool[Person], rng: random.Random) -> Person | None:
    choices = [w for w in room.wished(person) if w in free and room.allowed(person, w)]
    choices += [c for c in free.sample(rng, SAMPLE) if room.allowed(person, c)]
    if not choices:
        choices = [c for c in free if room.allowed(person, c)]
    if not choices:
        return None
    return max(choices, key=lambda c: room.score(person, c) + rng.random() * JITTER)


class _Pool(Generic[Person]):
    """A set with O(1) random sampling: who is still free this round."""

    def __init__(self, items: Iterable[Person]) -> None:
        self._items: list[Person] = []
        self._index: dict[Person, int] = {}
        for item in items:
            self.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._index

    def __iter__(self) -> Iterator[Person]:
        return iter(self._items[:])

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item: Person) -> None:
        self._index[item] = len(self._items)
        self._items.append(item)

    def remove(self, item: Person) -> None:
        i = self._index.pop(item)
        last = self._items.pop()
        if i < len(self._items):
            self._items[i] = last
            self._index[last] = i

    def sample(self, rng: random.Random, k: int) -> list[Person]:
        if len(self._items) <= k:
            return self._items[:]
        return rng.sample(self._items, k)


def _augment_all(
    room: Room[Person], people: list[Person], mate: dict[Person, Person], left: list[Person]
) -> None:
    """Edmonds' blossom search from each unmatched person, on indices 0..n-1."""
    index = {p: i for i, p in enumerate(people)}
    n = len(people)
    match = [-1] * n
    for a, b in mate.items():
        match[index[a]] = index[b]

    def neighbours(v: int) -> Iterable[int]:
        person = people[v]
        return (i for i, other in enumerate(people) if room.allowed(person, other))

    for person in left:
        root = index[person]
        if match[root] == -1:
            _augment_from(root, n, neighbours, match)
    mate.clear()
    for i, j in enumerate(match):
        if j != -1:
            mate[people[i]] = people[j]


def _augment_from(root: int, n: int, neighbours: Callable[[int], Iterable[int]], match: list[int]) -> bool:
    parent = [-1] * n
    base = list(range(n))
    used = [False] * n
    used[root] = True
    queue = deque([root])

    def lowest_common_base(a: int, b: int) -> int:
        seen = [False] * n
        while True:
            a = base[a]
            seen[a] = True
            if match[a] == -1:
                break
            a = parent[match[a]]
        while True:
            b = base[b]
            if seen[b]:
                return b
            b = parent[match[b]]

    def mark(v: int, b: int, child: int, blossom: list[bool]) -> None:
        while base[v] != b:
            blossom[base[v]] = blossom[base[match[v]]] = True
            parent[v] = child
            child = match[v]
            v = parent[match[v]]

    while queue:
        v = queue.popleft()
        for to in neighbours(v):
            if base[v] == base[to] or match[v] == to:
                continue
            if to == root or (match[to] != -1 and parent[match[to]] != -1):
                b = lowest_common_base(v, to)
                blossom = [False] * n
                mark(v, b, to, blossom)
                mark(to, b, v, blossom)
                for i in range(n):
                    if blossom[base[i]]:
                        base[i] = b
                        if not used[i]:
                            used[i] = True
                            queue.append(i)
            elif parent[to] == -1:
                parent[to] = v
                if match[to] == -1:
                    # Flip the path root … v → to.
                    while to != -1:
                        previous = parent[to]
                        after = match[previous]
                        match[to], match[previous] = previous, to
                        to = after
                    return True
                used[match[to]] = True
                queue.append(match[to])
    return False


# --- walk & talk: groups of min_size to max_size -------------------------------------


def group_sizes(count: int, min_size: int, max_size: int, wanted: int | None = None) -> list[int]:
    """Balanced sizes for ``count`` people in groups of ``min_size``–``max_size``: ``wanted``
    groups if the bounds allow it, else the nearest number that does (people arrive and
    leave between rounds); by default groups of the middle size. Two people make a group
    of two: no one is left alone."""
    if not 2 <= min_size <= max_size:
        raise ValueError("group sizes need 2 <= min_size <= max_size")
    if count < 2:
        raise TooFew("a round needs at least two people")
    if count < min_size:
        return [count]
    fewest, most = math.ceil(count / max_size), count // min_size
    if fewest > most:
        raise ValueError(f"{count} people cannot be split into groups of {min_size} to {max_size}")
    if wanted is None:
        wanted = round(count / ((min_size + max_size) / 2))
    number = min(max(wanted, fewest), most)
    small, extra = divmod(count, number)
    return [small + 1] * extra + [small] * (number - extra)


def groups(
    room: Room[Person], rng: random.Random, min_size: int, max_size: int, wanted: int | None = None
) -> list[tuple[Person, ...]]:
    """Everyone present in groups of ``min_size``–``max_size`` (``wanted`` groups when the
    bounds allow) where no two have met this session."""
    sizes = group_sizes(len(room.present), min_size, max_size, wanted)
    return _avoiding_scanned(room, lambda r: _groups(r, sizes, rng))


def _groups(room: Room[Person], sizes: list[int], rng: random.Random) -> list[tuple[Person, ...]]:
    # A small room is cheap to shuffle again, and has the fewest arrangements left.
    for _ in range(max(ATTEMPTS, 4_000 // len(room.present))):
        made = _fill_groups(room, sizes, rng)
        if made is not None:
            return [tuple(g) for g in made]
    raise Exhausted("no grouping of this round avoids a repeat")


def _fill_groups(room: Room[Person], sizes: list[int], rng: random.Random) -> list[list[Person]] | None:
    order = list(room.present)
    rng.shuffle(order)
    order.sort(key=room.met_count, reverse=True)
    made: list[list[Person]] = [[] for _ in sizes]
    open_ = _Pool(range(len(sizes)))
    for person in order:
        fits = [g for g in open_.sample(rng, SAMPLE) if all(room.allowed(person, m) for m in made[g])]
        if not fits:
            fits = [g for g in open_ if all(room.allowed(person, m) for m in made[g])]
        if not fits:
            if _swap_in(room, person, made, sizes, open_):
                continue
            return None

        def value(g: int, person: Person = person) -> float:
            # Fill the emptiest first, so the last ones still have room to choose.
            return sum(room.score(person, m) for m in made[g]) - len(made[g]) + rng.random() * JITTER

        chosen = max(fits, key=value)
        made[chosen].append(person)
        if len(made[chosen]) == sizes[chosen]:
            open_.remove(chosen)
    return made


def _swap_in(
    room: Room[Person], person: Person, made: list[list[Person]], sizes: list[int], open_: _Pool[int]
) -> bool:
    """``person`` fits in no open group: take the place of the one member of some group they
    already met, if that member fits in an open group."""
    for g, members in enumerate(made):
        clashes = [m for m in members if not room.allowed(person, m)]
        if len(clashes) != 1:
            continue
        moved = clashes[0]
        for h in open_:
            if h != g and all(room.allowed(moved, m) for m in made[h]):
                members[members.index(moved)] = person
                made[h].append(moved)
                if len(made[h]) == sizes[h]:
                    open_.remove(h)
                return True
    return False


# --- reverse forum: hosts keep their table, guests rotate ----------------------------


def forum(room: Room[Person], hosts: Collection[Person], rng: random.Random) -> list[tuple[Person, ...]]:
    """One table per host present (the host first), guests spread over them, no guest
    meeting the same host twice; hosts never meet each other.

    Tables differ by at most one guest when the room allows it; when it does not (every
    guest has already met most hosts), a table may take more rather than a guest meet a
    host again. A host with no guest this round (fewer guests than hosts) keeps a table
    of one, which the wall screen shows as such.
    """
    table_hosts = [p for p in room.present if p in hosts]
    guests = [p for p in room.present if p not in hosts]
    if not table_hosts:
        raise TooFew("a reverse forum needs at least one host present")
    if not guests:
        raise TooFew("a reverse forum needs at least one guest present")
    return _avoiding_scanned(room, lambda r: _forum(r, table_hosts, guests, rng))


def _forum(
    room: Room[Person], table_hosts: list[Person], guests: list[Person], rng: random.Random
) -> list[tuple[Person, ...]]:
    even = math.ceil(len(guests) / len(table_hosts))
    for seats in (even, len(guests)):
        for _ in range(ATTEMPTS if seats == even else 1):
            seated = _seat(room, table_hosts, guests, seats, rng)
            if seated is not None:
                return [(host, *seated[host]) for host in table_hosts]
    raise Exhausted("every guest left has already met every host present")


def _seat(
    room: Room[Person], table_hosts: list[Person], guests: list[Person], seats: int, rng: random.Random
) -> dict[Person, list[Person]] | None:
    """Guests to hosts as a b-matching with ``seats`` per table (Kuhn's augmenting paths:
    a guest finding every allowed table full moves someone seated there elsewhere)."""
    order = guests[:]
    rng.shuffle(order)
    # Those who asked to meet a host choose first, then the most constrained.
    order.sort(key=lambda g: (len(room.wished(g)) == 0, -room.met_count(g)))
    seated: dict[Person, list[Person]] = {h: [] for h in table_hosts}
    ranking: dict[Person, list[Person]] = {}

    def ranked(guest: Person) -> list[Person]:
        if guest not in ranking:
            allowed = [h for h in table_hosts if room.allowed(guest, h)]
            rng.shuffle(allowed)
            ranking[guest] = allowed
        return ranking[guest]

    def place(guest: Person, visited: set[Person]) -> bool:
        # Tables on the path being rearranged are not open to it.
        choices = [h for h in ranked(guest) if h not in visited]
        open_tables = [h for h in choices if len(seated[h]) < seats]
        if open_tables:
            # The best-scoring table; among equals the emptiest, which keeps tables even.
            host = max(open_tables, key=lambda h: (room.score(guest, h), -len(seated[h])))
            seated[host].append(guest)
            return True
        for host in choices:
            if host in visited:
                continue
            visited.add(host)
            for other in seated[host]:
                seated[host].remove(other)
                if place(other, visited):
                    seated[host].append(guest)
                    return True
                seated[host].append(other)
        return False

    for guest in order:
        if not place(guest, set()):
            return None
    return seated
