"""Recording scans: one contact per pair, idempotent by the phone's client id.

Scans are recorded a group at a time (:func:`record_scans`): the scans of one offline
batch, or the single scans that arrived together (group commit,
:mod:`rencontre.encounters.writer`). A group costs the same handful of statements
whatever its size: read the scanners and the badges' holders, take the locks of the
pairs of people involved and of the client ids, read the client ids already used and
the contacts between those people; decide every scan in memory, in order, exactly as
if they came one after the other (a repeat within the group appends to the contact
made earlier in it, the second side of a pair made in the group is mutual); then
write back the contacts met again, mark the people seen and arrived, number the new
contacts in the feed with one ``UPDATE event … RETURNING``, insert the contacts and
the scans.

Concurrency. Every writer of a pair's contacts takes the pair's lock first (PostgreSQL:
a transaction-scoped advisory lock on a hash of the two people, whichever scans; on
SQLite, ``BEGIN IMMEDIATE`` takes the whole database), so the reads of a group see
every scan of its pairs committed before it and nothing can be recorded for them
between its reads and its writes: two people scanning each other at the same instant
end up both mutual, notes appended from two phones are both kept, a client id sent
twice at once is recorded once. Groups about other pairs run side by side, on as many
workers as there are.

The feed's numbers are the one thing an event's groups share: they are taken last,
from the event's row, just before the new contacts are inserted, so the row is held
for the last statements and the commit only. The numbers and the contacts carrying
them commit together, so a reader that reads the event's number first and then the
contacts up to it never sees a gap (see ``rencontre.feed``). Locks are always taken in
the same order — pairs, contacts, people, events — each set in one statement in key
order, so two groups never wait on each other in a circle.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.auth import service as auth_service
from rencontre.badges import service as badge_service
from rencontre.badges.repository import Holder, Person
from rencontre.badges.token import BadgeRef
from rencontre.config import Settings
from rencontre.encounters import repository
from rencontre.encounters.outcomes import Outcome, Recorded, ScanRequest
from rencontre.encounters.repository import Scanner
from rencontre.encounters.schemas import MAX_TAGS, ScanIn, ScanOutcome
from rencontre.errors import (
    AppError,
    Conflict,
    ServiceUnavailable,
    Unauthorized,
    Unprocessable,
)
from rencontre.feed.broker import FeedNotice, Publish, publish_after_commit
from rencontre.kit.time import utcnow
from rencontre.models import FollowUpState
from rencontre.passkeys.lock import is_locked
from rencontre.profile.cards import CardSource

logger = logging.getLogger(__name__)


class SelfScan(Unprocessable):
    def __init__(self) -> None:
        super().__init__("You scanned your own badge: scan the badge of the person you are meeting.")


class ClientIdReused(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "This client_id was already used for a different scan; give each new scan a new client_id."
        )


class BusyRetry(ServiceUnavailable):
    def __init__(self) -> None:
        super().__init__("Too many simultaneous scans of the same person; please retry.", retry_after=1)


@dataclass
class _Contact:
    """A contact as the group of scans leaves it; ``new`` ones are inserted, ``dirty`` ones written back."""

    row: dict[str, Any]
    person: CardSource | None
    new: bool = False
    dirty: bool = False


async def record_scans(
    session: AsyncSession, settings: Settings, requests: Sequence[ScanRequest], *, publish: Publish
) -> list[Outcome]:
    """Record a group of scans, in order, as if one after the other, in a handful of statements.

    Every rule is decided here, in memory, between the reads and the writes; an item the
    rules refuse writes nothing and does not disturb the others, so no SAVEPOINT is needed.
    """
    outcomes: list[Outcome | None] = [None] * len(requests)
    badges: dict[int, tuple[str, BadgeRef]] = {}
    for i, request in enumerate(requests):
        try:
            badges[i] = badge_service.read(settings, request.scan.qr)
        except AppError as exc:
            outcomes[i] = exc
    if not badges:
        return _all(outcomes)

    now = utcnow()
    callers = await repository.scanners(session, {requests[i].caller.subject for i in badges})
    scanners: dict[int, Scanner] = {}
    for i in list(badges):
        try:
            scanners[i] = auth_service.check_attendee(
                callers.get(requests[i].caller.subject), requests[i].caller
            )
        except Unauthorized as exc:
            outcomes[i] = exc
            del badges[i]
    holders = dict(
        zip(
            badges,
            await badge_service.resolve_many(
                session, [(scanners[i].event_id, ref) for i, (_, ref) in badges.items()]
            ),
            strict=True,
        )
    )
    met = {
        (scanners[i].id, holder.attendee.id) for i, holder in holders.items() if isinstance(holder, Holder)
    }
    keys = {(scanners[i].id, requests[i].scan.client_id) for i in badges}
    # Reads, after the locks: what was recorded for these pairs and client ids is all committed.
    await repository.lock_keys(
        session,
        {repository.pair_key(*pair) for pair in met} | {repository.client_key(*key) for key in keys},
    )
    previous = await repository.scans(session, keys)
    pairs = {pair for one, other in met for pair in ((one, other), (other, one))}
    replayed = {row.encounter_id for row in previous.values()}
    rows = await repository.encounters(session, pairs, replayed)
    persons = await repository.people(session, {row.scanned_id for row in rows if row.id in replayed})
    contacts: dict[tuple[uuid.UUID, uuid.UUID], _Contact] = {}
    by_id: dict[uuid.UUID, _Contact] = {}
    for row in rows:
        contact = _Contact(row=dict(row._mapping), person=persons.get(row.scanned_id))
        contacts[(row.scanner_id, row.scanned_id)] = contact
        by_id[row.id] = contact

    # The rules, one scan after the other.
    fresh: list[tuple[_Contact, uuid.UUID]] = []  # new contacts and their event, in order
    arriving: set[uuid.UUID] = set()  # people whose scan, during the event, shows they are there
    scans: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = {}
    for i, (token, _) in badges.items():
        scanner, scan = scanners[i], requests[i].scan
        key = (scanner.id, scan.client_id)
        fingerprint = _fingerprint(token, scan)
        done = scans.get(key) or (dict(previous[key]) if key in previous else None)
        if done is not None:
            # The same client id again: the same answer if it is the same scan, a conflict otherwise.
            if done["fingerprint"] != fingerprint:
                outcomes[i] = ClientIdReused()
                continue
            contact = by_id[done["encounter_id"]]
            assert contact.person is not None
            # Whether its note was kept is not stored: it was if the contact's note holds it.
            kept = not scan.note or scan.note in contact.row["note"]
            outcomes[i] = _recorded(
                requests[i],
                contact,
                contact.person,
                scanner,
                created=done["created"],
                outcome="duplicate",
                note_full=not kept,
            )
            continue
        holder = holders[i]
        if isinstance(holder, AppError):
            outcomes[i] = holder
            continue
        scanned = holder.attendee
        if scanned.id == scanner.id:
            outcomes[i] = SelfScan()
            continue
        known = contacts.get((scanner.id, scanned.id))
        outcome: ScanOutcome
        if known is None:
            other_side = contacts.get((scanned.id, scanner.id))
            if other_side is not None:
                other_side.row["mutual"] = True
                other_side.dirty = not other_side.new
            contact = _Contact(
                row=_first_meeting(scanner, scanned, scan, now, mutual=other_side is not None),
                person=scanned,
                new=True,
            )
            note_full = len(scan.note) > settings.max_note_chars
            if note_full:
                contact.row["note"] = ""
            contacts[(scanner.id, scanned.id)] = by_id[contact.row["id"]] = contact
            fresh.append((contact, scanned.event_id))
            outcome = "mutual" if other_side is not None else "created"
        else:
            contact = known
            contact.person = scanned
            contact.dirty = not contact.new
            note_full = not _meet_again(
                contact.row, scan, now, holder.event_timezone, settings.max_note_chars
            )
            outcome = "again"
        if holder.event_on(now):
            if scanner.arrived_at is None:
                arriving.add(scanner.id)
            if scanned.arrived_at is None:
                arriving.add(scanned.id)
        created = contact.new and contact.row["scan_count"] == 1
        scans[key] = {
            "scanner_id": scanner.id,
            "client_id": scan.client_id,
            "encounter_id": contact.row["id"],
            "fingerprint": fingerprint,
            "created": created,
            "received_at": now,
        }
        outcomes[i] = _recorded(
            requests[i], contact, scanned, scanner, created=created, outcome=outcome, note_full=note_full
        )

    # Writes: the contacts met again and the people, then (the event's row held from here to
    # the commit) feed numbers for the new contacts, the contacts, the scans that refer to them.
    await repository.save(session, [c.row for c in contacts.values() if c.dirty])
    await repository.touch(session, {scanner.id for scanner in callers.values()}, arriving, now)
    notices = await _number(session, fresh)
    await repository.add_encounters(session, [contact.row for contact, _ in fresh])
    await repository.add_scans(session, list(scans.values()))
    for notice in notices:
        publish_after_commit(session, publish, notice)
    return _all(outcomes)


def _all(outcomes: list[Outcome | None]) -> list[Outcome]:
    assert all(outcome is not None for outcome in outcomes)
    return [outcome for outcome in outcomes if outcome is not None]


async def _number(session: AsyncSession, fresh: Sequence[tuple[_Contact, uuid.UUID]]) -> list[FeedNotice]:
    """Give each new contact its place in its event's feed, in the order they were met."""
    counts: dict[uuid.UUID, int] = {}
    for _, event_id in fresh:
        counts[event_id] = counts.get(event_id, 0) + 1
    # Events in id order: two groups spanning the same events never wait on each other in a circle.
    following = {
        event_id: await repository.take_feed_seqs(session, event_id, counts[event_id])
        for event_id in sorted(counts)
    }
    notices = []
    for contact, event_id in fresh:
        contact.row["seq"] = following[event_id]
        following[event_id] += 1
        notices.append(FeedNotice(event_id=event_id, seq=contact.row["seq"]))
    return notices


def _first_meeting(
    scanner: Scanner, scanned: Person, scan: ScanIn, now: datetime, *, mutual: bool
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "event_id": scanned.event_id,
        "scanner_id": scanner.id,
        "scanned_id": scanned.id,
        "seq": 0,  # numbered once the group knows how many new contacts it has
        "client_id": scan.client_id,
        "note": scan.note,
        "tags": list(scan.tags[:MAX_TAGS]),
        "rating": scan.rating,
        "device_at": scan.device_at,
        "met_at": now,
        "last_scanned_at": now,
        "scan_count": 1,
        "mutual": mutual,
        "follow_up": FollowUpState.todo,
        "followed_up_at": None,
        "updated_at": now,
        # Who scanned me (issue 16): the scanned person has not set this scan's notice aside.
        "notice_dismissed_at": None,
    }


def _meet_again(contact: dict[str, Any], scan: ScanIn, now: datetime, timezone: str, max_note: int) -> bool:
    """A repeat meeting adds to the contact: the note is appended, tags merged, nothing overwritten.

    A note that would pass ``max_note`` characters is left as it is, whole: the new note is
    not written at all rather than cut (a cut note reads as a finished one), and the answer
    says so. Returns whether the scan's note was kept.
    """
    kept = True
    if scan.note:
        if contact["note"]:
            stamp = now.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
            note = f"{contact['note']}\n\n[{stamp}] {scan.note}"
        else:
            note = scan.note
        kept = len(note) <= max_note
        if kept:
            contact["note"] = note
    if scan.tags:
        tags = list(contact["tags"] or ())
        known = {tag.casefold() for tag in tags}
        merged = tags + [tag for tag in scan.tags if tag.casefold() not in known]
        contact["tags"] = merged[: max(MAX_TAGS, len(tags))]
    if scan.rating is not None:
        contact["rating"] = scan.rating
    contact["scan_count"] += 1
    contact["last_scanned_at"] = now
    contact["updated_at"] = now
    return kept


def _recorded(
    request: ScanRequest,
    contact: _Contact,
    person: CardSource,
    scanner: Scanner,
    *,
    created: bool,
    outcome: ScanOutcome,
    note_full: bool,
) -> Recorded:
    # A copy: later scans of the group change the contact, this answer is as this scan left it.
    card = badge_service.card_for(person, scanner) if request.with_card else None
    locked = is_locked(has_passkey=scanner.has_passkey, presented=request.caller.passkey)
    return Recorded(
        request.scan.client_id, dict(contact.row), card, created, outcome, note_full, request.scan, locked
    )


def _fingerprint(token: str, scan: ScanIn) -> str:
    content = {
        "token": token,
        "note": scan.note,
        "tags": scan.tags,
        "rating": scan.rating,
        "device_at": scan.device_at.astimezone(UTC).isoformat() if scan.device_at else None,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
