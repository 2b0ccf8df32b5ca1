"""Live-feed rules: tickets, the room read from the database, and the frames dashboards receive.

Tickets: an organiser asks for one over HTTP (authenticated as usual) and sends it
in the websocket's first message, so no credential ever sits in a URL. A ticket
lives ``ws_ticket_seconds``, opens one socket, once, for one event; it is a row in
the database, so any instance can redeem it.

Frames say only what a dashboard may show: counts, the timeline, the most
connected and the isolated people's names — never a note, and never who met whom.
A frame that follows a connection carries counts only; the lists move on the
feed's periodic refresh, by several connections at a time (see ``room``), and say
how many people each person met only when names are on. When the event's
``feed_shows_names`` is on, a delta names the two people of each connection made
after names were turned on — never one made before (``names_after``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.feed import repository
from rencontre.feed.repository import Head
from rencontre.feed.room import (
    BUCKET_MINUTES,
    RESUME_WINDOW,
    Connection,
    Lonely,
    Person,
    Ranked,
    Recent,
    Room,
    View,
    bucket_of,
    bucket_start,
)
from rencontre.feed.schemas import (
    BucketOut,
    ConnectionOut,
    CountsOut,
    DeltaFrame,
    FeedClose,
    FeedTicketOut,
    LonelyOut,
    RankedOut,
    SnapshotFrame,
)
from rencontre.kit.time import utcnow
from rencontre.models import Event, FeedTicket, Organiser

# Used tickets are kept a while (a replay is told "already used"), then purged.
_TICKET_RETENTION = timedelta(hours=1)


class FeedRefused(Exception):
    """The socket is closed with this code and reason (a sentence the person can act on)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- tickets ------------------------------------------------------------------------------------


async def issue_ticket(
    session: AsyncSession, settings: Settings, organiser: Organiser, event: Event
) -> FeedTicketOut:
    now = utcnow()
    await repository.purge_tickets(session, organiser.id, now - _TICKET_RETENTION)
    # uuid4 draws 122 bits from os.urandom: unguessable, and single-use besides.
    ticket = FeedTicket(
        id=uuid.uuid4(),
        organiser_id=organiser.id,
        event_id=event.id,
        expires_at=now + timedelta(seconds=settings.ws_ticket_seconds),
    )
    await repository.add_ticket(session, ticket)
    return FeedTicketOut(ticket=str(ticket.id), expires_at=ticket.expires_at)


async def void_tickets(session: AsyncSession, organiser: Organiser) -> None:
    """The organiser signed out: a ticket asked for before cannot open a feed after."""
    await repository.void_unused_tickets(session, organiser.id)


async def redeem_ticket(session: AsyncSession, raw_ticket: str, event_id: uuid.UUID) -> uuid.UUID:
    """Use the ticket to open this event's feed; the organiser it was issued to."""
    try:
        ticket_id = uuid.UUID(raw_ticket)
    except ValueError:
        raise _unknown_ticket() from None
    now = utcnow()
    organiser_id = await repository.claim_ticket(session, ticket_id, event_id, now)
    if organiser_id is None:
        raise await _why_refused(session, ticket_id, event_id)
    head = await repository.head(session, event_id)
    if head is None:
        raise FeedRefused(FeedClose.EVENT_NOT_FOUND, "No such event.")
    if head.organiser_id != organiser_id:
        raise FeedRefused(FeedClose.FORBIDDEN, "This event is not one of yours.")
    return organiser_id


def _unknown_ticket() -> FeedRefused:
    return FeedRefused(FeedClose.TICKET_REFUSED, "Unknown ticket: ask for a new one (POST …/feed/ticket).")


async def _why_refused(session: AsyncSession, ticket_id: uuid.UUID, event_id: uuid.UUID) -> FeedRefused:
    found = await repository.ticket(session, ticket_id)
    if found is None:
        return _unknown_ticket()
    if found.event_id != event_id:
        return FeedRefused(FeedClose.FORBIDDEN, "This ticket opens another event's feed.")
    if found.used_at is not None:
        return FeedRefused(FeedClose.TICKET_REFUSED, "This ticket was already used: ask for a new one.")
    return FeedRefused(FeedClose.TICKET_REFUSED, "This ticket has expired: ask for a new one.")


def origin_allowed(origin: str | None, settings: Settings) -> bool:
    """Browsers always send Origin: it must be ours. Other clients (``rencontre watch``) send none."""
    if origin is None:
        return True
    allowed = {settings.public_origin.lower(), *(o.rstrip("/").lower() for o in settings.cors_origins)}
    return origin.rstrip("/").lower() in allowed


# --- the room, read from the database -----------------------------------------------------------


async def open_room(
    session: AsyncSession, event_id: uuid.UUID, *, list_step: int, resume_window: int = RESUME_WINDOW
) -> tuple[Room, Head] | None:
    """The event's room built from every connection up to its current feed number, lists computed."""
    head = await repository.head(session, event_id)
    if head is None:
        return None
    people = await repository.people(session, event_id)
    room = Room(people, list_step=list_step, resume_window=resume_window)
    for connection in await repository.connections(session, event_id, after=0, upto=head.feed_seq):
        room.apply(connection)
    room.refresh_lists(utcnow())
    return room, head


def names_after(head: Head) -> int | None:
    """The last connection never to be named, or None while names are off.

    Turning names on records the feed's number at that moment with the switch (in the
    event's row, so every instance and every rebuilt room agrees): the connections up to
    it stay anonymous for ever. An event created with names on records 0.
    """
    if not head.shows_names:
        return None
    return head.names_from_seq or 0


@dataclass(frozen=True, slots=True)
class Changes:
    head: Head
    connections: list[tuple[Connection, dict[uuid.UUID, Person]]]
    # On a refresh: everyone in the event, and how many connections up to the room's seq are stored.
    people: dict[uuid.UUID, Person] | None = None
    stored_connections: int | None = None


async def read_changes(
    session: AsyncSession, event_id: uuid.UUID, room: Room, *, refresh: bool
) -> Changes | None:
    """What happened since the room's seq (None if the event is gone). Reads only."""
    since = room.seq
    head = await repository.head(session, event_id)
    if head is None:
        return None
    found = []
    if head.feed_seq > since:
        found = await repository.new_connections(
            session, event_id, after=since, upto=head.feed_seq, limit=room.resume_window + 1
        )
    if not refresh:
        return Changes(head, found)
    return Changes(
        head,
        found,
        people=await repository.people(session, event_id),
        stored_connections=await repository.count_connections(session, event_id, upto=since),
    )


def apply_changes(room: Room, changes: Changes) -> list[Recent] | None:
    """Advance the room; the connections applied, or None when it must be rebuilt from scratch.

    Rebuilt when the database went back (restored), lost connections the room counted
    (a person deleted their account), or moved too far ahead for one delta.
    """
    if changes.head.feed_seq < room.seq or len(changes.connections) > room.resume_window:
        return None
    if changes.stored_connections is not None and changes.stored_connections != room.connections:
        return None
    if changes.people is not None:
        room.people = changes.people
    applied = []
    for connection, people in changes.connections:
        for person_id, person in people.items():
            # Presence is the room's until the next refresh: a scan that made two people
            # arrive must not move "present" in the frame that counts their connection.
            known = room.people.get(person_id)
            if known is not None:
                person.arrived_at, person.introduced = known.arrived_at, known.introduced
        room.people.update(people)
        if room.apply(connection):
            applied.append(room.recent[-1])
    return applied


# --- frames -------------------------------------------------------------------------------------


def snapshot_frame(event_id: uuid.UUID, view: View, *, shows_names: bool) -> SnapshotFrame:
    return SnapshotFrame(
        event_id=event_id,
        seq=view.seq,
        at=utcnow(),
        shows_names=shows_names,
        bucket_minutes=BUCKET_MINUTES,
        counts=_counts(view),
        timeline=_buckets(view, sorted(view.timeline)),
        top=_top(view.lists.top, shows_names),
        isolated=_isolated(view.lists.isolated, shows_names),
    )


def delta_frame(
    event_id: uuid.UUID,
    *,
    before: View | None,
    after: View,
    from_seq: int,
    new: Sequence[Recent],
    people: dict[uuid.UUID, Person],
    names_after: int | None,
    lists_changed: bool = False,
) -> DeltaFrame:
    """``after`` as a change from ``before`` (the dashboard's state), or from ``from_seq`` alone.

    Without ``before`` (a resuming dashboard) the lists are sent whole and the
    timeline buckets are those the new connections fell in. ``connections`` lists
    only the named ones: those after ``names_after``, while names are on.
    """
    shows_names = names_after is not None
    send_lists = before is None or lists_changed or before.lists != after.lists
    if before is None:
        buckets = sorted({bucket_of(item.met_at) for item in new})
    else:
        buckets = sorted(
            b
            for b in after.timeline.keys() | before.timeline.keys()
            if after.timeline.get(b) != before.timeline.get(b)
        )
    return DeltaFrame(
        event_id=event_id,
        seq=after.seq,
        from_seq=from_seq,
        at=utcnow(),
        shows_names=shows_names,
        counts=_counts(after),
        timeline=_buckets(after, buckets),
        top=_top(after.lists.top, shows_names) if send_lists else None,
        isolated=_isolated(after.lists.isolated, shows_names) if send_lists else None,
        connections=[
            _connection(item, people) for item in new if names_after is not None and item.seq > names_after
        ],
    )


def _counts(view: View) -> CountsOut:
    c = view.counts
    return CountsOut(
        connections=c.connections,
        unique_pairs=c.unique_pairs,
        mutual=c.mutual,
        active_scanners=c.active_scanners,
        present=c.present,
        isolated=c.isolated,
    )


def _buckets(view: View, buckets: Iterable[int]) -> list[BucketOut]:
    return [BucketOut(start=bucket_start(b), connections=view.timeline.get(b, 0)) for b in buckets]


# Per-person counts, compared from one list to the next, would tell whose count rose
# together; with names off the lists rank people and say no number.
def _top(top: Iterable[Ranked], shows_names: bool) -> list[RankedOut]:
    return [RankedOut(name=r.name, connections=r.connections if shows_names else None) for r in top]


def _isolated(isolated: Iterable[Lonely], shows_names: bool) -> list[LonelyOut]:
    return [
        LonelyOut(
            id=p.id,
            name=p.name,
            company=p.company,
            present_since=p.present_since,
            connections=p.connections if shows_names else None,
        )
        for p in isolated
    ]


def _connection(item: Recent, people: dict[uuid.UUID, Person]) -> ConnectionOut:
    names = (_name(people, item.scanner_id), _name(people, item.scanned_id))
    return ConnectionOut(seq=item.seq, at=item.met_at, mutual=item.mutual, names=names)


def _name(people: dict[uuid.UUID, Person], person_id: uuid.UUID) -> str:
    person = people.get(person_id)
    return person.name if person is not None and not person.deleted else ""
