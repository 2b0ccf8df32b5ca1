"""Contact rules: an attendee reads and edits only their own contacts.

A contact is an :class:`Encounter` seen from its scanner. The note, tags and
rating are private to that scanner; the other person appears through their
public card only.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.contacts import messages, repository, search
from rencontre.contacts.schemas import (
    Contact,
    ContactFilters,
    ContactPage,
    ContactUpdate,
    FollowUpDraft,
    FollowUpKind,
)
from rencontre.errors import NotFound
from rencontre.kit.pagination import InvalidCursor, decode_cursor, encode_cursor
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Event, FollowUpState, Scan
from rencontre.profile import cards
from rencontre.profile.schemas import Language

FOLLOW_UP_WINDOW = timedelta(hours=48)
_CURSOR_KEYS = ("met_at", "id")


class ContactNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such contact among yours.")


def to_contact(
    encounter: Encounter, person: Attendee, *, event: Event, language: Language, now: datetime
) -> Contact:
    due = encounter.met_at + FOLLOW_UP_WINDOW
    return Contact(
        id=encounter.id,
        event_id=encounter.event_id,
        person=cards.public_card(person, language=language),
        note=encounter.note,
        tags=list(encounter.tags or ()),
        rating=encounter.rating,
        mutual=encounter.mutual,
        met_at=encounter.met_at,
        met_at_local=encounter.met_at.astimezone(ZoneInfo(event.timezone)),
        last_scanned_at=encounter.last_scanned_at,
        scan_count=encounter.scan_count,
        follow_up=encounter.follow_up,
        followed_up_at=encounter.followed_up_at,
        follow_up_due_at=due,
        follow_up_seconds_left=max(0, int((due - now).total_seconds())),
        updated_at=encounter.updated_at,
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


async def list_contacts(session: AsyncSession, attendee: Attendee, filters: ContactFilters) -> ContactPage:
    """Newest first, one keyset page; ``q`` and ``tag`` are matched in Python (see search)."""
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
        rows = [row for row in rows if search.matches(*row, words=words, tag=filters.tag)]
    next_cursor = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        last = rows[-1][0]
        next_cursor = encode_cursor({"met_at": last.met_at.isoformat(), "id": str(last.id)})
    event = await repository.event(session, attendee.event_id)
    language, now = cards.language_of(attendee), utcnow()
    items = [to_contact(e, p, event=event, language=language, now=now) for e, p in rows]
    return ContactPage(items=items, next_cursor=next_cursor)


async def all_contacts(session: AsyncSession, attendee: Attendee) -> tuple[Event, list[Contact]]:
    """Every own contact, newest first, with the event they were made at (for exports)."""
    rows = await repository.page(session, attendee.id)
    event = await repository.event(session, attendee.event_id)
    language, now = cards.language_of(attendee), utcnow()
    return event, [to_contact(e, p, event=event, language=language, now=now) for e, p in rows]


async def _own(
    session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, *, for_update: bool = False
) -> repository.ContactRow:
    row = await repository.get(session, attendee.id, contact_id, for_update=for_update)
    if row is None:
        # Someone else's contact is reported exactly like one that does not exist.
        raise ContactNotFound()
    return row


async def get_contact(session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID) -> Contact:
    encounter, person = await _own(session, attendee, contact_id)
    event = await repository.event(session, attendee.event_id)
    return to_contact(encounter, person, event=event, language=cards.language_of(attendee), now=utcnow())


async def update_contact(
    session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, changes: ContactUpdate
) -> Contact:
    encounter, person = await _own(session, attendee, contact_id, for_update=True)
    now = utcnow()
    if changes.note is not None:
        encounter.note = changes.note
    if changes.tags is not None:
        encounter.tags = list(changes.tags)
    if "rating" in changes.model_fields_set:
        encounter.rating = changes.rating
    if changes.follow_up is not None and changes.follow_up is not encounter.follow_up:
        encounter.follow_up = changes.follow_up
        encounter.followed_up_at = now if changes.follow_up is FollowUpState.done else None
    encounter.updated_at = now
    await session.flush()
    event = await repository.event(session, attendee.event_id)
    return to_contact(encounter, person, event=event, language=cards.language_of(attendee), now=now)


async def follow_up_draft(
    session: AsyncSession,
    attendee: Attendee,
    contact_id: uuid.UUID,
    *,
    kind: FollowUpKind,
    language: Language | None,
) -> FollowUpDraft:
    encounter, person = await _own(session, attendee, contact_id)
    event = await repository.event(session, attendee.event_id)
    language = language or cards.language_of(attendee)
    card = cards.public_card(person, language=language)
    context = messages.FollowUpContext(
        kind=kind,
        language=language,
        event_name=event.name,
        met_on=encounter.met_at.astimezone(ZoneInfo(event.timezone)).date(),
        note=encounter.note,
        sender_name=attendee.name,
        recipient_name="" if card.deleted else card.name,
    )
    subject, body = messages.draft(context)
    return FollowUpDraft(
        kind=kind,
        language=language,
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
    await repository.lock_event(session, attendee.event_id)
    await repository.delete_authored(session, attendee.id)
    await repository.clear_mutual_towards(session, attendee.id)
    await session.flush()
