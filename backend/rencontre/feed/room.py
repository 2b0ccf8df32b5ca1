"""What a dashboard shows about one event, kept in memory and advanced connection by connection.

A :class:`Room` is built once from the database (every connection up to some
sequence number) and then fed the new connections in sequence order, so each
figure is exact at the room's ``seq``: connections, unique pairs, mutual pairs,
per-person connection counts, the 5-minute timeline. The figures that move with
the clock alone (active scanners, isolated people) are computed for an instant.

Definitions shown on the dashboard:

- a *connection* is one recorded contact (A scanned B); *unique pairs* counts
  people who met, whichever scanned; a *mutual* pair is one where both scanned.
- a person's *connections* (top list, isolation) are the distinct people they met.
- *present*: joined the event (opened their join link) and not deleted.
- *active scanner*: recorded a new connection in the last 15 minutes.
- *isolated*: present for 20 minutes or more with at most one connection.

Nothing here is ever a note or says who met whom; :attr:`Room.recent` keeps the
two ids of the last connections only so that a delta may name them when the
organiser chose so (``Event.feed_shows_names``).
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
    joined_at: datetime | None
    deleted: bool

    @property
    def present(self) -> bool:
        return self.joined_at is not None and not self.deleted


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
    name: str
    company: str
    present_since: datetime
    connections: int


@dataclass(frozen=True, slots=True)
class View:
    """The dashboard at one sequence number and one instant."""

    seq: int
    counts: Counts
    timeline: dict[int, int]
    top: tuple[Ranked, ...]
    isolated: tuple[Lonely, ...]


def bucket_of(moment: datetime) -> int:
    """The start of the 5-minute bucket holding ``moment``, in seconds since the epoch (UTC)."""
    seconds = int(moment.astimezone(UTC).timestamp())
    return seconds - seconds % _BUCKET_SECONDS


def bucket_start(bucket: int) -> datetime:
    return datetime.fromtimestamp(bucket, UTC)


class Room:
    def __init__(self, people: dict[uuid.UUID, Person]) -> None:
        self.people = people
        self.seq = 0
        self.connections = 0
        self.mutual = 0
        self._pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self._met: Counter[uuid.UUID] = Counter()
        self._last_new_connection: dict[uuid.UUID, datetime] = {}
        self._timeline: Counter[int] = Counter()
        self.recent: deque[Recent] = deque(maxlen=RESUME_WINDOW)
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
        isolated_since = now - ISOLATED_AFTER
        present = 0
        lonely: list[tuple[int, datetime, str, uuid.UUID]] = []
        for person_id, person in self.people.items():
            if not person.present:
                continue
            present += 1
            assert person.joined_at is not None
            met = self._met[person_id]
            if person.joined_at <= isolated_since and met <= ISOLATED_MAX_CONNECTIONS:
                lonely.append((met, person.joined_at, person.name.casefold(), person_id))
        lonely.sort()
        counts = Counts(
            connections=self.connections,
            unique_pairs=len(self._pairs),
            mutual=self.mutual,
            active_scanners=sum(1 for at in self._last_new_connection.values() if at >= active_since),
            present=present,
            isolated=len(lonely),
        )
        return View(
            seq=self.seq,
            counts=counts,
            timeline=dict(self._timeline),
            top=self._top(),
            isolated=tuple(
                Lonely(
                    name=self.people[person_id].name,
                    company=self.people[person_id].company,
                    present_since=joined_at,
                    connections=met,
                )
                for met, joined_at, _name, person_id in lonely[:ISOLATED_LIST_SIZE]
            ),
        )

    def _top(self) -> tuple[Ranked, ...]:
        candidates = (
            (-met, person.name.casefold(), person_id.bytes, person.name)
            for person_id, met in self._met.items()
            if (person := self.people.get(person_id)) is not None and not person.deleted
        )
        return tuple(
            Ranked(name, -negative) for negative, _f, _i, name in heapq.nsmallest(TOP_SIZE, candidates)
        )
