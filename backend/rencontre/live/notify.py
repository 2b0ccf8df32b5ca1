"""Telling the phones of an event, here and on other instances, to look again.

A notice is only a hint: each phone's view is read from the database when its event's
task wakes (``live.hub``), so a notice never carries what a phone may see. Sent once the
transaction commits, so a phone never reads the state from before the change.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.db import after_commit
from rencontre.feed.broker import FeedNotice

logger = logging.getLogger(__name__)

Publish = Callable[[FeedNotice], Awaitable[None]]


def announce(session: AsyncSession, publish: Publish | None, event_id: uuid.UUID) -> None:
    """Once this transaction commits, tell every phone of the event to look again: a session
    changed, or someone's access ended (their open channel closes)."""
    if publish is None:
        return
    notice = FeedNotice(event_id=event_id, seq=0)

    async def send() -> None:
        # The change is committed whatever happens here; phones catch up on their next hello.
        try:
            await publish(notice)
        except Exception:
            logger.exception("could not tell the phones of event %s", event_id)

    after_commit(session, send)


def _live_publish(request: Request) -> Publish | None:
    broker = getattr(request.app.state, "live_broker", None)
    return broker.publish if broker is not None else None


LivePublish = Annotated[Publish | None, Depends(_live_publish)]
