"""Push subscriptions: a phone signs up for reminders, or stops them."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import status
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.config import Settings
from rencontre.errors import AppError, NotFound, Unprocessable
from rencontre.models import Attendee, PushSubscription
from rencontre.push import repository
from rencontre.push.schemas import SubscriptionIn
from rencontre.push.webpush import not_public

# Phones an attendee may have signed up at once; a new one past this replaces the oldest.
MAX_SUBSCRIPTIONS = 5


class PushEndpointRefused(Unprocessable):
    def __init__(self, reason: str) -> None:
        message = f"This push endpoint cannot be used: {reason}. Subscribe again from the app."
        super().__init__(message, errors=[{"field": "endpoint", "message": message}])


class PushSubscriptionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("This phone is not signed up for reminders (or no longer is).")


class RemindersAfterPurge(AppError):
    status_code = status.HTTP_409_CONFLICT
    title = "Conflict"

    def __init__(self) -> None:
        super().__init__("This event's data has been erased: there is nothing left to remind you of.")


def check_endpoint(settings: Settings, endpoint: str) -> None:
    """Push services speak HTTPS; plain HTTP only to this machine, and only when allowed (tests)."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise PushEndpointRefused("it is not an https:// address")
    if parts.username or parts.password:
        raise PushEndpointRefused("it carries a user name or password")
    if parts.scheme == "http" and not (settings.push_allow_loopback_http and not_public(parts.hostname)):
        raise PushEndpointRefused("push services are reached over https:// only")
    if parts.scheme == "https" and not_public(parts.hostname) and not settings.push_allow_loopback_http:
        raise PushEndpointRefused("it points to this server's own machine or network")


async def subscribe(
    session: AsyncSession, settings: Settings, attendee: Attendee, purged: bool, body: SubscriptionIn
) -> tuple[PushSubscription, bool]:
    """Keep this phone's subscription for the attendee; ``True`` when it is new.

    An endpoint already known moves to the attendee now subscribing with it: a browser
    belongs to whoever uses it now (a phone handed over, an account joined afresh).
    """
    if purged:
        raise RemindersAfterPurge()
    check_endpoint(settings, body.endpoint)
    language = body.language or ""
    existing = await repository.subscription_by_endpoint(session, body.endpoint)
    if existing is not None:
        existing.attendee_id = attendee.id
        existing.p256dh = body.keys.p256dh
        existing.auth = body.keys.auth
        existing.language = language
        await session.flush()
        return existing, False
    mine = await repository.subscriptions_of(session, [attendee.id])
    for old in mine[: max(0, len(mine) - MAX_SUBSCRIPTIONS + 1)]:
        await session.delete(old)
    created = PushSubscription(
        attendee_id=attendee.id,
        endpoint=body.endpoint,
        p256dh=body.keys.p256dh,
        auth=body.keys.auth,
        language=language,
    )
    session.add(created)
    await session.flush()
    await repository.ensure_recipients(session, [attendee.id])
    return created, True


async def unsubscribe(session: AsyncSession, attendee: Attendee, endpoint: str) -> None:
    if not await repository.remove_subscription(session, attendee.id, endpoint):
        raise PushSubscriptionNotFound()
