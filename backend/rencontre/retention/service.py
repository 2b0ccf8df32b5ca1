"""Retention: an event's attendee data is kept ``retention_days`` after it ends, then purged.

The purge removes the event's profiles, contacts, notes and scan records, except the
contacts an attendee chose to keep (one by one, or all of them): those stay with the
keeper's own note and the other person's card as it was shared at that moment. The
organiser's report is computed and stored first, so it reads the same afterwards.
Attendees are warned a week before (push, and a banner from ``GET /api/me/retention``).

Both rounds claim an event with a conditional update before doing anything, so they may
run in every instance and from cron alike; each is idempotent and logs counts only.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import status
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.contacts.service import ContactNotFound
from rencontre.db import begin_write, checkpoint_after_commit, session_scope
from rencontre.errors import AppError
from rencontre.formats import repository as formats_repository
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event
from rencontre.nextsteps import service as next_step_service
from rencontre.people import service as people_service
from rencontre.profile import cards
from rencontre.profile import service as profile_service
from rencontre.push import repository as push_repository
from rencontre.push import texts
from rencontre.push.delivery import Outgoing, SenderFactory, deliver
from rencontre.push.webpush import WebPushSender
from rencontre.reports import service as report_service
from rencontre.retention import repository
from rencontre.retention.schemas import KeptContact, RetentionStatus
from rencontre.suggestions import repository as suggestions_repository

logger = logging.getLogger(__name__)

WARNING_TTL_SECONDS = 24 * 3600


class EventDataPurged(AppError):
    status_code = status.HTTP_409_CONFLICT
    title = "Conflict"

    def __init__(self) -> None:
        super().__init__(
            "This event's data has already been erased: what you kept stays, nothing else can be kept now."
        )


def purge_at(event: Event) -> datetime:
    return event.ends_at + timedelta(days=event.retention_days)


def warning_from(event: Event, settings: Settings) -> datetime:
    return purge_at(event) - timedelta(days=settings.retention_warning_days)


async def _event(session: AsyncSession, attendee: Attendee) -> Event:
    event = await session.get(Event, attendee.event_id)
    assert event is not None
    return event


async def status_of(session: AsyncSession, settings: Settings, attendee: Attendee) -> RetentionStatus:
    event = await _event(session, attendee)
    contacts, marked = await repository.contact_counts(session, attendee.id)
    now = utcnow()
    return RetentionStatus(
        event_name=event.name,
        event_ends_at=event.ends_at,
        retention_days=event.retention_days,
        purge_at=purge_at(event),
        purged_at=event.purged_at,
        warning=event.purged_at is None and warning_from(event, settings) <= now,
        keep_all=attendee.keep_contacts,
        contacts=contacts,
        kept=contacts if attendee.keep_contacts and event.purged_at is None else marked,
    )


async def set_keep_all(
    session: AsyncSession, settings: Settings, attendee: Attendee, keep_all: bool
) -> RetentionStatus:
    if (await _event(session, attendee)).purged_at is not None:
        raise EventDataPurged()
    attendee.keep_contacts = keep_all
    await session.flush()
    return await status_of(session, settings, attendee)


async def keep_contact(
    session: AsyncSession, attendee: Attendee, contact_id: uuid.UUID, kept: bool
) -> KeptContact:
    if (await _event(session, attendee)).purged_at is not None:
        raise EventDataPurged()
    if not await repository.set_kept(session, attendee.id, contact_id, kept):
        raise ContactNotFound()
    return KeptContact(contact_id=contact_id, kept=kept)


@dataclass
class PurgeReport:
    events: int = 0
    contacts_removed: int = 0
    contacts_kept: int = 0
    accounts_erased: int = 0
    accounts_kept: int = 0


async def _purge(session: AsyncSession, event: Event, settings: Settings, report: PurgeReport) -> None:
    snapshot = await report_service.event_report(
        session, event, min_group_size=settings.report_min_group_size
    )
    event.report_snapshot = snapshot.model_dump(mode="json")
    kept = await repository.kept_encounters(session, event.id)
    persons = await repository.people(
        session, list({e.scanned_id for e in kept} | {e.scanner_id for e in kept})
    )
    for encounter in kept:
        scanner = persons[encounter.scanner_id]
        card = cards.public_card(persons[encounter.scanned_id], language=cards.language_of(scanner))
        encounter.kept_card = card.model_dump(mode="json")
        encounter.kept = True
    await session.flush()
    keepers = {e.scanner_id for e in kept}
    # Nothing of the event is reminded any more: no phone subscription of its attendees stays.
    await push_repository.forget(session, [a.id for a in await repository.attendees(session, event.id)])
    report.contacts_removed += await repository.delete_unkept(session, event.id, [e.id for e in kept])
    report.contacts_kept += len(kept)
    for attendee in await repository.attendees(session, event.id):
        if attendee.id in keepers:
            # Their own sign-in, name and e-mail stay, for them to read what they kept; what
            # they did at the event with others (requests, blocks, next steps) goes.
            await profile_service.blank_profile(session, attendee)
            await people_service.forget(session, attendee)
            await next_step_service.forget(session, attendee)
            report.accounts_kept += 1
        else:
            await profile_service.erase(session, attendee)
            report.accounts_erased += 1
    # Who sat with whom in the formats' rounds, and who was suggested to whom.
    await formats_repository.forget_event(session, event.id)
    await suggestions_repository.forget_event(session, event.id)
    await session.flush()
    checkpoint_after_commit(session)


async def purge_round(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], *, now: datetime | None = None
) -> PurgeReport:
    """Purge every event whose retention has run out; each in its own transaction."""
    now = now or utcnow()
    report = PurgeReport()
    async with session_scope(sessions) as session:
        due = [e.id for e in await repository.unpurged_events(session) if purge_at(e) <= now]
    for event_id in due:
        async with session_scope(sessions) as session:
            await begin_write(session)
            event = await repository.claim_purge(session, event_id, now)
            if event is None:
                continue
            before = PurgeReport(**vars(report))
            await _purge(session, event, settings, report)
            report.events += 1
        logger.info(
            "retention: event %s purged: %d contacts removed, %d kept; %d accounts erased,"
            " %d kept for their contacts",
            event_id,
            report.contacts_removed - before.contacts_removed,
            report.contacts_kept - before.contacts_kept,
            report.accounts_erased - before.accounts_erased,
            report.accounts_kept - before.accounts_kept,
        )
    return report


def _warning(subscription_language: str, *, own: str, when: datetime, name: str) -> dict[str, Any]:
    return texts.retention_warning(texts.language(own, subscription_language), purge_at=when, event_name=name)


async def warning_round(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime | None = None,
    sender_factory: SenderFactory = WebPushSender,
) -> int:
    """Warn by push the attendees of events whose purge is a week away; how many were warned."""
    now = now or utcnow()
    warned = 0
    async with session_scope(sessions) as session:
        events = [
            e
            for e in await repository.unpurged_events(session)
            if e.retention_warned_at is None and warning_from(e, settings) <= now < purge_at(e)
        ]
    for event in events:
        async with session_scope(sessions) as session:
            await begin_write(session)
            if not await repository.claim_warning(session, event.id, now):
                continue
            recipients = await repository.subscribed_attendees(session, event.id)
            languages = {a.id: a.language for a in (await repository.people(session, recipients)).values()}
        when, name = purge_at(event).astimezone(ZoneInfo(event.timezone)), event.name

        outgoing = [
            Outgoing(
                attendee_id,
                partial(_warning, own=languages.get(attendee_id, ""), when=when, name=name),
                ttl=WARNING_TTL_SECONDS,
                topic="retention",
            )
            for attendee_id in recipients
        ]
        delivered = await deliver(settings, sessions, outgoing, now=now, sender_factory=sender_factory)
        warned += len(recipients)
        logger.info(
            "retention: event %s warned: %d attendees, %d messages, %d subscriptions removed",
            event.id,
            len(recipients),
            delivered.sent,
            delivered.removed,
        )
    return warned
