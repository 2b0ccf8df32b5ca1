"""Event rules: an organiser sees and changes only their own events."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.errors import NotFound, Unprocessable
from rencontre.events import repository
from rencontre.events.schemas import EventCreate, EventUpdate
from rencontre.kit.text import slugify
from rencontre.models import Event, Organiser


class EventNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such event among yours.")


async def list_events(session: AsyncSession, organiser: Organiser) -> list[tuple[Event, int]]:
    events = await repository.list_for_organiser(session, organiser.id)
    counts = await repository.attendee_counts(session, [e.id for e in events])
    return [(event, counts.get(event.id, 0)) for event in events]


async def attendee_count(session: AsyncSession, event: Event) -> int:
    return (await repository.attendee_counts(session, [event.id])).get(event.id, 0)


async def get_event(session: AsyncSession, organiser: Organiser, event_id: uuid.UUID) -> Event:
    event = await repository.get_for_organiser(session, organiser.id, event_id)
    if event is None:
        raise EventNotFound()
    return event


async def create_event(session: AsyncSession, organiser: Organiser, data: EventCreate) -> Event:
    event = Event(
        organiser_id=organiser.id,
        slug=await _free_slug(session, data.name),
        badge_code=await _free_badge_code(session),
        **data.model_dump(),
    )
    if event.feed_shows_names:
        event.feed_names_from_seq = 0
    session.add(event)
    await session.flush()
    return event


async def update_event(
    session: AsyncSession, organiser: Organiser, event_id: uuid.UUID, data: EventUpdate
) -> Event:
    event = await get_event(session, organiser, event_id)
    changes = data.model_dump(exclude_unset=True)
    for field in ("name", "starts_at", "ends_at", "timezone", "venue"):
        if field in changes and changes[field] is None:
            raise Unprocessable(f"{field} cannot be emptied.")
    starts_at = changes.get("starts_at", event.starts_at)
    ends_at = changes.get("ends_at", event.ends_at)
    if ends_at <= starts_at:
        raise Unprocessable("The event must end after it starts (ends_at after starts_at).")
    directory_opens_at = changes.pop("directory_opens_at", event.directory_opens_at)
    if directory_opens_at is not None and directory_opens_at >= ends_at:
        raise Unprocessable(
            "The directory must open before the event ends (directory_opens_at before ends_at)."
        )
    event.directory_opens_at = directory_opens_at
    names_turned_on = changes.get("feed_shows_names") is True and not event.feed_shows_names
    for field, value in changes.items():
        if value is not None:
            setattr(event, field, value)
    if names_turned_on:
        # Set from the row's own number in the UPDATE: a scan numbering a connection at this
        # instant is either before it (anonymous for ever) or after it (named).
        event.feed_names_from_seq = Event.feed_seq
    elif not event.feed_shows_names:
        event.feed_names_from_seq = None
    await session.flush()
    if names_turned_on:
        await session.refresh(event, ["feed_names_from_seq"])
    return event


async def _free_slug(session: AsyncSession, name: str) -> str:
    base = slugify(name)
    slug = base
    while await repository.slug_taken(session, slug):
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


async def _free_badge_code(session: AsyncSession) -> str:
    while True:
        code = secrets.token_hex(4)
        if not await repository.badge_code_taken(session, code):
            return code
