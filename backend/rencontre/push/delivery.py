"""Delivering notifications to every phone of their attendees, a few at a time.

Runs after the transaction that decided them: a push service that is slow or down
never holds a database lock. A subscription the push service calls gone (404, 410) is
removed; a failure is logged (counts and host only) and not retried — the next
reminder will be sent as usual.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rencontre.config import Settings
from rencontre.db import begin_write, session_scope
from rencontre.push import repository
from rencontre.push.webpush import Outcome, Target, WebPushSender


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One notification for an attendee; ``payload`` makes it in a subscription's language."""

    attendee_id: uuid.UUID
    payload: Callable[[str], dict[str, Any]]
    ttl: int
    topic: str = ""


@dataclass
class Delivered:
    sent: int = 0
    removed: int = 0
    failed: int = 0


# Tests and the bench replace the sender (their own fake push service still decrypts).
SenderFactory = Callable[[Settings], WebPushSender]


async def deliver(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    outgoing: Sequence[Outgoing],
    *,
    now: datetime,
    sender_factory: SenderFactory = WebPushSender,
) -> Delivered:
    result = Delivered()
    if not outgoing:
        return result
    by_attendee = {item.attendee_id: item for item in outgoing}
    async with session_scope(sessions) as session:
        subscriptions = await repository.subscriptions_of(session, list(by_attendee))
    gate = asyncio.Semaphore(settings.push_concurrency)
    sent: list[uuid.UUID] = []
    gone: list[uuid.UUID] = []

    async with sender_factory(settings) as sender:

        async def one(subscription_id: uuid.UUID, target: Target, item: Outgoing, language: str) -> None:
            async with gate:
                outcome = await sender.send(target, item.payload(language), ttl=item.ttl, topic=item.topic)
            if outcome is Outcome.sent:
                sent.append(subscription_id)
            elif outcome is Outcome.gone:
                gone.append(subscription_id)
            else:
                result.failed += 1

        await asyncio.gather(
            *(
                one(
                    sub.id,
                    Target(sub.endpoint, sub.p256dh, sub.auth),
                    by_attendee[sub.attendee_id],
                    sub.language,
                )
                for sub in subscriptions
            )
        )
    async with session_scope(sessions) as session:
        await begin_write(session)
        result.removed = await repository.remove_subscriptions(session, gone)
        await repository.mark_sent(session, sent, now)
    result.sent = len(sent)
    return result
