"""Contact rules: an attendee reads and edits only their own contacts.

A contact is an :class:`Encounter` seen from its scanner. The note, tags and
rating are private to that scanner; the other person appears through their
public card only.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import status
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.contacts import messages, repository, search
from rencontre.contacts.schemas import (
    MAX_NOTE_LENGTH,
    Contact,
    ContactFilters,
    ContactPage,
    ContactUpdate,
    FollowUpDraft,
    FollowUpKind,
)
from rencontre.contacts.versions import Precondition, Version, version_of
from rencontre.encounters import repository as encounters_repository
from rencontre.encounters.repository import pair_key
from rencontre.errors import AppError, NotFound, Unprocessable
from rencontre.kit.pagination import InvalidCursor, decode_cursor, encode_cursor
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Event, FollowUpState, Scan
from rencontre.passkeys.lock import NotesLocked
from rencontre.profile import cards
from rencontre.profile.schemas import Language, PublicCard

FOLLOW_UP_WINDOW = timedelta(hours=48)
_CURSOR_KEYS = ("met_at", "id")


class ContactNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such contact among yours.")


class ContactChanged(AppError):
    """412: the edit was made on a version the contact has moved on from; ``contact`` is the current one."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    title = "Precondition failed"

    def __init__(self, current: Contact, *, weak: bool = False) -> None:
        if weak:
            detail = (
                'If-Match holds a weak ETag (W/"…"), which never matches an edit, so nothing was '
                "saved. Send the contact's ETag exactly as it was given, in double quotes."
            )
        else:
            detail = (
                "This contact changed since you opened it (you met again and a note was added, "
                "or it was edited elsewhere), so nothing was saved. Reload it and make your edit again."
            )
        super().__init__(detail, contact=current.model_dump(mode="json"))


class NoteTooLong(Unprocessable):
    def __init__(self, length: int, limit: int) -> None:
        excess = length - limit
        if limit > MAX_NOTE_LENGTH:
            why = (
                f"This note had already grown to {limit} characters with the notes added when you "
                f"met again, past the usual {MAX_NOTE_LENGTH}: it may stay that long but not grow."
            )
        else:
            why = f"A note holds at most {MAX_NOTE_LENGTH} characters."
        message = f"The note has {length} characters. {why} Remove {excess} and save again."
        super().__init__(message, errors=[{"field": "note", "message": message}])


def to_contact(
    encounter: Encounter, person: Attendee, *, event: Event, language: Language, now: datetime, locked: bool
) -> Contact:
    """The contact as its owner sees it; ``locked``: without the note, tags and rating (see passkeys)."""
    due = encounter.met_at + FOLLOW_UP_WINDOW
    return Contact(
        id=encounter.id,
        event_id=encounter.event_id,
        # Past the event's retention a kept contact shows the card as it was shared then.
        person=PublicCard.model_validate(encounter.kept_card)
        if encounter.kept_card is not None
        else cards.public_card(person, language=language),
        note="" if locked else encounter.note,
        tags=[] if locked else list(encounter.tags or ()),
        rating=None if locked else encounter.rating,
        notes_locked=locked,
        mutual=encounter.mutual,
        met_at=encounter.met_at,
        met_at_local=encounter.met_at.astimezone(ZoneInfo(event.timezone)),
        device_at=encounter.device_at,
        last_scanned_at=encounter.last_scanned_at,
        scan_count=encounter.scan_count,
        follow_up=encounter.follow_up,
        followed_up_at=encounter.followed_up_at,
        follow_up_due_at=due,
        follow_up_seconds_left=max(0, int((due - now).total_seconds())),
        updated_at=encounter.updated_at,
        kept=encounter.kept,
    )


def _after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    values = decode_cursor(cursor, _CURSOR_KEYS)
    try:
        met_at = datetime.fromisoformat(str(values["met_at"]))
        contact_id = uuid.UUID(str(values["id"]))
    except ValueError as exc:
        raise InvalidCursor() from exc
    if met_at.tzinfo is None:
        raise InvalidCursor()
    return met_at, contact_id


async def list_contacts(
    session: AsyncSession, attendee: Attendee, filters: ContactFilters, *, locked: bool
) -> ContactPage:
    """Newest first, one keyset page; ``q`` and ``tag`` are matched in Python (see search).

    Locked, ``q`` looks through the public fields only, and a filter on what is withheld is
    refused: which contacts match would tell it.
    """
    if locked and (filters.tag is not None or filters.rating is not None):
        raise NotesLocked("Your notes are locked: unlock them with your passkey to filter by tag or rating.")
    after = _after(filters.cursor)
    words = search.terms(filters.q)
    folded_in_python = bool(words) or filters.tag is not None
    rows = await repository.page(
        session,
        attendee.id,
        rating=filters.rating,
        mutual=filters.mutual,
        follow_up=filters.follow_up,
        after=after,
        limit=None if folded_in_python else filters.limit + 1,
    )
    if folded_in_python:
        rows = [row for row in rows if search.matches(*row, words=words, tag=filters.tag, private=not locked)]
    next_cursor = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        last = rows[-1][0]
        next_cursor = encode_cursor({"met_at": last.met_at.isoformat(), "id": str(last.id)})
    event = await repository.event(session, attendee.event_id)
    language, now = cards.language_of(attendee), utcnow()
    items = [to_contact(e, p, event=event, language=language, now=now, locked=locked) for e, p in rows]
    return ContactPage(items=items, next_cursor=next_cursor)


async def all_contacts(
    session: AsyncSession, attendee: Attendee, *, locked: bool
) -> tuple[Event, list[Contact]]:
    """Every own contact, newest first, with the event they were made at (for exports).

    Every export goes through here: locked, they are refused whole rather than sent without notes.
    """
    if locked:
        raise NotesLocked(
            "Your notes are locked with a passkey: unlock them with your passkey to export your contacts."
        )
    rows = await repository.page(session, attendee.id)
    event = await repository.event(session, attendee.event_id)
    language, now = cards.language_of(attendee), utcnow()
    return event, [to_contact(e, p, event=event, language=language, now=now, locked=False) for e, p in rows]


async def _own(
    session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, *, for_update: bool = False
) -> repository.ContactRow:
    row = await repository.get(session, attendee.id, contact_id, for_update=for_update)
    if row is None:
        # Someone else's contact is reported exactly like one that does not exist.
        raise ContactNotFound()
    return row


async def get_contact(
    session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, *, locked: bool
) -> Contact:
    encounter, person = await _own(session, attendee, contact_id)
    event = await repository.event(session, attendee.event_id)
    return to_contact(
        encounter, person, event=event, language=cards.language_of(attendee), now=utcnow(), locked=locked
    )


def check_note_length(note: str | None, stored: str) -> None:
    """At most MAX_NOTE_LENGTH characters, or as many as the stored note already has.

    Meeting again appends to the note with no limit, so a note may grow past what an
    edit may write; it stays editable (to fix a word, or to shorten it), it just may
    not grow further.
    """
    if note is None:
        return
    limit = max(MAX_NOTE_LENGTH, len(stored))
    if len(note) > limit:
        raise NoteTooLong(len(note), limit)


def _changed_values(encounter: Encounter, changes: ContactUpdate, now: datetime) -> dict[str, object]:
    """The columns the edit sets; ``updated_at`` always moves forward, so the version always changes."""
    values: dict[str, object] = {"updated_at": max(now, encounter.updated_at + timedelta(microseconds=1))}
    if changes.note is not None:
        values["note"] = changes.note
    if changes.tags is not None:
        values["tags"] = list(changes.tags)
    if "rating" in changes.model_fields_set:
        values["rating"] = changes.rating
    if changes.follow_up is not None and changes.follow_up is not encounter.follow_up:
        values["follow_up"] = changes.follow_up
        values["followed_up_at"] = now if changes.follow_up is FollowUpState.done else None
    return values


async def update_contact(
    session: AsyncSession,
    attendee: Attendee,
    contact_id: uuid.UUID,
    changes: ContactUpdate,
    *,
    if_match: Precondition | None = None,
    locked: bool,
) -> Contact:
    """Apply an edit; with ``if_match``, only to the version the client saw (else 412, nothing written).

    Without ``If-Match`` the edit applies to whatever the contact is now, as it always
    did: older clients keep working, but may overwrite a note added meanwhile.
    """
    if locked and (changes.model_fields_set & {"note", "tags", "rating"}):
        # Write-blind edits would overwrite a note its author cannot see; the follow-up state stays editable.
        raise NotesLocked(
            "Your notes are locked with a passkey: unlock them with your passkey "
            "to edit a note, tags or rating."
        )
    encounter, person = await _own(session, attendee, contact_id, for_update=True)
    event = await repository.event(session, attendee.event_id)
    language = cards.language_of(attendee)
    if if_match is not None and not if_match.matches(version_of(encounter)):
        current = to_contact(encounter, person, event=event, language=language, now=utcnow(), locked=locked)
        raise ContactChanged(current, weak=if_match.only_weak)
    check_note_length(changes.note, encounter.note)
    now = utcnow()
    seen = Version.of(encounter) if if_match is not None else None
    written = await repository.write(
        session, encounter.id, _changed_values(encounter, changes, now), seen=seen
    )
    await session.refresh(encounter)
    contact = to_contact(encounter, person, event=event, language=language, now=now, locked=locked)
    if not written:
        # Another edit got in between the read and the write. The row lock (PostgreSQL) and
        # the write lock (SQLite) already keep writers apart; the compare-and-set guarantees it.
        raise ContactChanged(contact)
    return contact


async def follow_up_draft(
    session: AsyncSession,
    attendee: Attendee,
    contact_id: uuid.UUID,
    *,
    kind: FollowUpKind,
    language: Language | None,
    include_note: bool = False,
    locked: bool,
) -> FollowUpDraft:
    """The note is quoted only when its author asks, never by default: the draft is addressed
    to the person the note is about."""
    if locked:
        # A draft may quote the note: none is prepared until the notes are unlocked.
        raise NotesLocked(
            "Your notes are locked with a passkey: unlock them with your passkey to prepare a follow-up."
        )
    encounter, person = await _own(session, attendee, contact_id)
    event = await repository.event(session, attendee.event_id)
    language = language or cards.language_of(attendee)
    card = cards.public_card(person, language=language)
    context = messages.FollowUpContext(
        kind=kind,
        language=language,
        event_name=event.name,
        met_on=encounter.met_at.astimezone(ZoneInfo(event.timezone)).date(),
        note=encounter.note if include_note else "",
        sender_name=attendee.name,
        recipient_name="" if card.deleted else card.name,
    )
    subject, body = messages.draft(context)
    return FollowUpDraft(
        kind=kind,
        language=language,
        quotes_note=bool(messages.note_excerpt(context.note)),
        subject=subject,
        body=body,
        mailto=messages.mailto(card.email, subject, body),
    )


async def scans_by(session: AsyncSession, attendee: Attendee) -> list[Scan]:
    return await repository.scans_by(session, attendee.id)


async def times_scanned(session: AsyncSession, attendee: Attendee) -> int:
    return await repository.times_scanned(session, attendee.id)


async def forget_author(session: AsyncSession, attendee: Attendee) -> None:
    """Account deletion: the attendee's own contacts, notes and scans disappear.

    Contacts others made of them stay (they are the others' notes) and show a
    deleted card; none of them is mutual any more.
    """
    # The locks every scan of these pairs takes first (encounters.repository): no scan of them
    # is half-way through while their contacts go, and none waits on this in a circle.
    partners = await repository.partners(session, attendee.id)
    await encounters_repository.lock_keys(session, [pair_key(attendee.id, other) for other in partners])
    await repository.delete_authored(session, attendee.id)
    await repository.clear_mutual_towards(session, attendee.id)
    await session.flush()
