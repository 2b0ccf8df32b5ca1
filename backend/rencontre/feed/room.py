"""What a dashboard shows about one event, kept in memory and advanced connection by connection.

A :class:`Room` is built once from the database (every connection up to some
sequence number) and then fed the new connections in sequence order, so each
figure is exact at the room's ``seq``: connections, unique pairs, mutual pairs,
per-person connection counts, the 5-minute timeline. The figures that move with
the clock alone (active scanners, present people) are computed for an instant.

Definitions shown on the dashboard:

- a *connection* is one recorded contact (A scanned B); *unique pairs* counts
  people who met, whichever scanned; a *mutual* pair is one where both scanned.
- a person's *connections* (top list, isolation) are the distinct people they met.
- *present*: arrived at the venue (checked in at the door, or made or received a
  scan during the event's hours) and not deleted.
- *active scanner*: recorded a new connection in the last 15 minutes.
- *isolated*: present for 20 minutes or more (counted from arrival) with at most one
  connection, and not yet introduced to someone by staff.

Nothing here is ever a note or says who met whom; :attr:`Room.recent` keeps the
two ids of the last connections only so that a delta may name them when the
organiser chose so (``Event.feed_shows_names``).

The ranked lists (most connected, isolated) are the one place where a connection
shows next to a name, so they never follow the connections one by one: they are
:class:`Lists` computed on request (the feed's periodic refresh) as of a *cutoff*,
the room's ``seq`` rounded down to a multiple of ``list_step``. Two lists anyone can
see thus differ by ``list_step`` connections or more, or by the clock and presence
alone (someone reaching twenty minutes present), whichever process computed them
and whenever. (A room rebuilt because an account was deleted recomputes them without
that person's connections.)
"""

from __future__ import annotations

import heapq
import uuid
from collections import Counter, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

BUCKET_MINUTES = 5
_BUCKET_SECONDS = BUCKET_MINUTES * 60
ACTIVE_WINDOW = timedelta(minutes=15)
ISOLATED_AFTER = timedelta(minutes=20)
ISOLATED_MAX_CONNECTIONS = 1
TOP_SIZE = 10
ISOLATED_LIST_SIZE = 50
# How many connections back a resuming dashboard can be served a delta; further behind, a snapshot.
RESUME_WINDOW = 1000


@dataclass(slots=True)
class Person:
    name: str
    company: str
    arrived_at: datetime | None
    deleted: bool
    introduced: bool = False

    @property
    def present(self) -> bool:
        return self.arrived_at is not None and not self.deleted


@dataclass(frozen=True, slots=True)
class Connection:
    seq: int
    met_at: datetime
    scanner_id: uuid.UUID
    scanned_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Recent:
    seq: int
    met_at: datetime
    mutual: bool
    scanner_id: uuid.UUID
    scanned_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Counts:
    connections: int
    unique_pairs: int
    mutual: int
    active_scanners: int
    present: int
    isolated: int


@dataclass(frozen=True, slots=True)
class Ranked:
    name: str
    connections: int


@dataclass(frozen=True, slots=True)
class Lonely:
    id: uuid.UUID
    name: str
    company: str
    present_since: datetime
    connections: int


@dataclass(frozen=True, slots=True)
class Lists:
    """The ranked lists as of connection ``upto`` (a cutoff), at the instant they were computed."""

    upto: int
    top: tuple[Ranked, ...]
    isolated: tuple[Lonely, ...]
    isolated_count: int


NO_LISTS = Lists(0, (), (), 0)


@dataclass(frozen=True, slots=True)
class View:
    """The dashboard at one sequence number and one instant, with the lists last computed."""

    seq: int
    counts: Counts
    timeline: dict[int, int]
    lists: Lists


def bucket_of(moment: datetime) -> int:
    """The start of the 5-minute bucket holding ``moment``, in seconds since the epoch (UTC)."""
    seconds = int(moment.astimezone(UTC).timestamp())
    return seconds - seconds % _BUCKET_SECONDS


def bucket_start(bucket: int) -> datetime:
    return datetime.fromtimestamp(bucket, UTC)


class Room:
    def __init__(
        self, people: dict[uuid.UUID, Person], *, list_step: int = 1, resume_window: int = RESUME_WINDOW
    ) -> None:
        if not 1 <= list_step <= resume_window:
            # The lists are computed back from ``recent``, which must reach the cutoff.
            raise ValueError(f"list_step must be between 1 and {resume_window}")
        self.people = people
        # How many connections behind a dashboard may resume by deltas; further, a snapshot.
        self.resume_window = resume_window
        self.list_step = list_step
        self.lists = NO_LISTS
        self.seq = 0
        self.connections = 0
        self.mutual = 0
        self._pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self._met: Counter[uuid.UUID] = Counter()
        self._last_new_connection: dict[uuid.UUID, datetime] = {}
        self._timeline: Counter[int] = Counter()
        self.recent: deque[Recent] = deque(maxlen=resume_window)
        # Every connection after this sequence number is in ``recent``.
        self._horizon = 0

    @property
    def unique_pairs(self) -> int:
        return len(self._pairs)

    def apply(self, connection: Connection) -> bool:
        """Count one new connection; False (and nothing counted) if it is not newer than the room."""
        if connection.seq <= self.seq:
            return False
        scanner, scanned = connection.scanner_id, connection.scanned_id
        pair = (scanner, scanned) if scanner.bytes < scanned.bytes else (scanned, scanner)
        mutual = pair in self._pairs
        if mutual:
            self.mutual += 1
        else:
            self._pairs.add(pair)
            self._met[scanner] += 1
            self._met[scanned] += 1
        self.connections += 1
        self.seq = connection.seq
        previous = self._last_new_connection.get(scanner)
        if previous is None or connection.met_at > previous:
            self._last_new_connection[scanner] = connection.met_at
        self._timeline[bucket_of(connection.met_at)] += 1
        if len(self.recent) == self.recent.maxlen:
            self._horizon = self.recent[0].seq
        self.recent.append(Recent(connection.seq, connection.met_at, mutual, scanner, scanned))
        return True

    def covers(self, last_seq: int) -> bool:
        """Whether every connection after ``last_seq`` is still in memory, to be sent as a delta."""
        return self._horizon <= last_seq <= self.seq

    def forget_history(self) -> None:
        """Serve no delta from before now: the past changed, a resuming dashboard needs a snapshot."""
        self._horizon = self.seq

    def since(self, last_seq: int) -> list[Recent]:
        return [item for item in self.recent if item.seq > last_seq]

    def connections_of(self, person_id: uuid.UUID) -> int:
        return self._met[person_id]

    def view(self, now: datetime) -> View:
        active_since = now - ACTIVE_WINDOW
        counts = Counts(
            connections=self.connections,
            unique_pairs=len(self._pairs),
            mutual=self.mutual,
            active_scanners=sum(1 for at in self._last_new_connection.values() if at >= active_since),
            present=sum(1 for person in self.people.values() if person.present),
            isolated=self.lists.isolated_count,
        )
        return View(seq=self.seq, counts=counts, timeline=dict(self._timeline), lists=self.lists)

    def refresh_lists(self, now: datetime) -> Lists:
        """Compute the lists as of the cutoff (``seq`` rounded down to ``list_step``) and keep them."""
        upto = self.seq - self.seq % self.list_step
        met = self._met_upto(upto)
        isolated_since = now - ISOLATED_AFTER
        lonely: list[tuple[int, datetime, str, uuid.UUID]] = []
        for person_id, person in self.people.items():
            if person.present and not person.introduced:
                assert person.arrived_at is not None
                count = met[person_id]
                if person.arrived_at <= isolated_since and count <= ISOLATED_MAX_CONNECTIONS:
                    lonely.append((count, person.arrived_at, person.name.casefold(), person_id))
        lonely.sort()
        self.lists = Lists(
            upto=upto,
            top=self._top(met),
            isolated=tuple(
                Lonely(
                    id=person_id,
                    name=self.people[person_id].name,
                    company=self.people[person_id].company,
                    present_since=arrived_at,
                    connections=count,
                )
                for count, arrived_at, _name, person_id in lonely[:ISOLATED_LIST_SIZE]
            ),
            isolated_count=len(lonely),
        )
        return self.lists

    def _met_upto(self, upto: int) -> Counter[uuid.UUID]:
        """How many distinct people each person had met as of connection ``upto``."""
        met = self._met.copy()
        for item in reversed(self.recent):
            if item.seq <= upto:
                break
            # A mutual connection closed a pair counted before: it added to no one.
            if not item.mutual:
                met[item.scanner_id] -= 1
                met[item.scanned_id] -= 1
        return met

    def _top(self, met: Counter[uuid.UUID]) -> tuple[Ranked, ...]:
        candidates = (
            (-count, person.name.casefold(), person_id.bytes, person.name)
            for person_id, count in met.items()
            if count > 0 and (person := self.people.get(person_id)) is not None and not person.deleted
        )
        return tuple(
            Ranked(name, -negative) for negative, _f, _i, name in heapq.nsmallest(TOP_SIZE, candidates)
        )
