"""Telling the phones of an event, here and on other instances, to look again.

A notice is only a hint: each phone's view is read from the database when its event's
task wakes (``live.hub``), so a notice never carries what a phone may see. Sent once the
transaction commits, so a phone never reads the state from before the change.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from rencontre.feed.broker import FeedNotice, Publish, publish_after_commit


def announce(session: AsyncSession, publish: Publish | None, event_id: uuid.UUID) -> None:
    """Once this transaction commits, tell every phone of the event to look again: a session
    changed, or someone's access ended (their open channel closes)."""
    if publish is not None:
        publish_after_commit(session, publish, FeedNotice(event_id=event_id, seq=0))


def _live_publish(request: Request) -> Publish | None:
    broker = getattr(request.app.state, "live_broker", None)
    return broker.publish if broker is not None else None


LivePublish = Annotated[Publish | None, Depends(_live_publish)]
