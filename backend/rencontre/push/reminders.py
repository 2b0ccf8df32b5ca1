"""Follow-up reminders: which attendees are due one, and the round that sends them.

A contact still "to do" is reminded 24 hours and 40 hours after the meeting (settings),
in one notification for all of an attendee's due contacts, at most a few a day and never
at night in the event's time zone. Marking the contacts and taking the attendee's budget
happen in one transaction before anything is sent (see repository): the round may run in
every instance, or from cron, and a reminder still leaves once.
"""

from __future__ import annotations

import logging
import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.db import begin_write, session_scope
from rencontre.kit.time import utcnow
from rencontre.push import repository, texts
from rencontre.push.delivery import Outgoing, SenderFactory, deliver
from rencontre.push.webpush import WebPushSender

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=48)
CANDIDATES_PER_QUERY = 500
# Attendees claimed in one transaction (each in a savepoint of its own).
CLAIMS_PER_TRANSACTION = 100
# A reminder that waits for the phone longer than this is stale: the window moves on.
REMINDER_TTL_SECONDS = 6 * 3600


def window(settings: Settings, now: datetime) -> repository.Window:
    gap = timedelta(minutes=settings.reminder_gap_minutes)
    return repository.Window(
        now=now,
        open_after=now - WINDOW,
        first_by=now - timedelta(hours=settings.reminder_first_hours) + gap,
        second_by=now - timedelta(hours=settings.reminder_second_hours) + gap,
    )


def is_quiet(settings: Settings, now: datetime, timezone: str) -> bool:
    """Night in the event's time zone: from the quiet start hour to the quiet end hour."""
    hour = now.astimezone(ZoneInfo(timezone)).hour
    start, end = settings.reminder_quiet_start_hour, settings.reminder_quiet_end_hour
    if start == end:
        return False
    return start <= hour or hour < end if start > end else start <= hour < end


def hours_left(earliest_met: datetime, now: datetime) -> int:
    return max(0, math.floor((earliest_met + WINDOW - now).total_seconds() / 3600))


@dataclass
class RoundReport:
    reminded: int = 0
    quiet: int = 0
    held: int = 0
    messages: int = 0
    removed: int = 0
    failed: int = 0


async def run_round(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime | None = None,
    sender_factory: SenderFactory = WebPushSender,
) -> RoundReport:
    """Send every reminder due now; counts only are reported and logged."""
    now = now or utcnow()
    span = window(settings, now)
    report = RoundReport()
    after: uuid.UUID | None = None
    while True:
        async with session_scope(sessions) as session:
            found = await repository.candidates(session, span, after=after, limit=CANDIDATES_PER_QUERY)
        if not found:
            break
        after = found[-1].attendee_id
        awake = [c for c in found if not is_quiet(settings, now, c.timezone)]
        report.quiet += len(found) - len(awake)
        outgoing: list[Outgoing] = []
        for start in range(0, len(awake), CLAIMS_PER_TRANSACTION):
            outgoing += await _claim(settings, sessions, awake[start : start + CLAIMS_PER_TRANSACTION], span)
        report.reminded += len(outgoing)
        report.held += len(awake) - len(outgoing)
        delivered = await deliver(settings, sessions, outgoing, now=now, sender_factory=sender_factory)
        report.messages += delivered.sent
        report.removed += delivered.removed
        report.failed += delivered.failed
        if len(found) < CANDIDATES_PER_QUERY:
            break
    if report.reminded or report.quiet or report.held:
        logger.info(
            "reminders: %d attendees reminded (%d messages), %d in quiet hours, %d held by their budget,"
            " %d subscriptions removed, %d failed",
            report.reminded,
            report.messages,
            report.quiet,
            report.held,
            report.removed,
            report.failed,
        )
    return report


async def _claim(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    candidates: list[repository.Candidate],
    span: repository.Window,
) -> list[Outgoing]:
    """Mark each attendee's due contacts and take their budget, both or neither (a savepoint
    each), in one transaction for the lot; the notifications to send once it is committed."""
    claimed: list[uuid.UUID] = []
    async with session_scope(sessions) as session:
        await begin_write(session)
        await repository.ensure_recipients(session, [c.attendee_id for c in candidates])
        for candidate in candidates:
            local_day = span.now.astimezone(ZoneInfo(candidate.timezone)).date().isoformat()
            attempt = await session.begin_nested()
            allowed = await repository.claim_contacts(session, candidate.attendee_id, span) > 0
            if allowed:
                allowed = await repository.claim_budget(
                    session,
                    candidate.attendee_id,
                    now=span.now,
                    day=local_day,
                    per_day=settings.reminder_max_per_day,
                    next_at=span.now + timedelta(minutes=settings.reminder_gap_minutes),
                )
            if allowed:
                await attempt.commit()
                claimed.append(candidate.attendee_id)
            else:
                await attempt.rollback()
        left = await repository.still_to_do(session, claimed, span)
        speaks = await repository.languages(session, claimed)
    return [
        _notification(attendee_id, *left[attendee_id], *speaks[attendee_id], span.now)
        for attendee_id in claimed
    ]


def _notification(
    attendee_id: uuid.UUID, count: int, earliest: datetime, own_language: str, event_name: str, now: datetime
) -> Outgoing:
    left = hours_left(earliest, now)

    def payload(subscription_language: str) -> dict[str, Any]:
        lang = texts.language(own_language, subscription_language)
        return texts.follow_up(lang, count=count, hours_left=left, event_name=event_name)

    return Outgoing(attendee_id, payload, ttl=REMINDER_TTL_SECONDS, topic="follow-up")
