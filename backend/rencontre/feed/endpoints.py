"""The live feed over HTTP and websocket: a ticket, then the socket (protocol in ``feed/__init__``)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from fastapi import APIRouter, Request, WebSocket, status

from rencontre.db import session_scope
from rencontre.dependencies import CurrentOrganiser, SessionDep, SettingsDep
from rencontre.errors import Forbidden, NotFound, TooManyRequests, Unauthorized, responses
from rencontre.events.dependencies import OrganiserEvent
from rencontre.feed import service
from rencontre.feed.dashboard import BadMessage, close_socket, read_message
from rencontre.feed.hub import get_hub
from rencontre.feed.schemas import AuthMessage, FeedClose, FeedTicketOut
from rencontre.feed.service import FeedRefused
from rencontre.kit.ratelimit import limit

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/events", tags=["feed"], responses=responses(Unauthorized, Forbidden))


@router.post(
    "/{event_id}/feed/ticket",
    status_code=status.HTTP_201_CREATED,
    summary="A short-lived, single-use ticket to open the event's live feed",
    responses=responses(NotFound, TooManyRequests),
)
async def create_ticket(
    event: OrganiserEvent,
    organiser: CurrentOrganiser,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> FeedTicketOut:
    await limit(request, "feed-ticket", settings.feed_ticket_rate_limit, key=str(organiser.id))
    return await service.issue_ticket(session, settings, organiser, event)


async def live_feed(websocket: WebSocket, event_id: uuid.UUID) -> None:
    app = websocket.app
    if not service.origin_allowed(websocket.headers.get("origin"), app.state.settings):
        # Before accepting: the browser sees the handshake refused (HTTP 403).
        await websocket.close(code=FeedClose.FORBIDDEN, reason="Origin not allowed.")
        return
    hub = get_hub(app)
    waiting = _waiting(app)
    await websocket.accept()
    if waiting.count >= hub.limits.unauthenticated_sockets:
        # Accepted only to say why: a refused handshake reaches the page as a bare 1006.
        await close_socket(
            websocket,
            FeedClose.TRY_AGAIN_LATER,
            "Too many connections are signing in; reconnect in a moment.",
        )
        return
    waiting.count += 1
    try:
        hello = await _hello(websocket, hub.limits.auth_timeout_seconds, hub.limits.message_bytes)
        async with session_scope(app.state.session_factory) as session:
            organiser_id = await service.redeem_ticket(session, hello.ticket, event_id)
    except FeedRefused as refused:
        await close_socket(websocket, refused.code, refused.reason)
        return
    except _ClientLeft:
        return
    except Exception:
        logger.warning("live feed: could not open a dashboard of event %s", event_id, exc_info=True)
        await close_socket(websocket, FeedClose.TRY_AGAIN_LATER, "The live feed is unavailable; reconnect.")
        return
    finally:
        waiting.count -= 1
    await hub.serve(websocket, event_id=event_id, organiser_id=organiser_id, last_seq=hello.last_seq)


# The websocket alone, for the feed-only process (``rencontre serve --feed-only``); the full
# app serves it beside the ticket.
socket_router = APIRouter(prefix="/api/events", tags=["feed"])
for _serving in (router, socket_router):
    _serving.add_api_websocket_route("/{event_id}/feed", live_feed, name="live_feed")


class _Waiting:
    """Sockets of this app accepted and not yet signed in (one event loop: a plain count)."""

    def __init__(self) -> None:
        self.count = 0


def _waiting(app: Any) -> _Waiting:
    waiting: _Waiting | None = getattr(app.state, "feed_waiting", None)
    if waiting is None:
        waiting = app.state.feed_waiting = _Waiting()
    return waiting


class _ClientLeft(Exception):
    pass


async def _hello(websocket: WebSocket, within_seconds: float, max_bytes: int) -> AuthMessage:
    """The first message, which must be ``{"type": "auth", "ticket": …, "last_seq": …}``."""
    try:
        async with asyncio.timeout(within_seconds):
            message = await websocket.receive()
    except TimeoutError:
        raise FeedRefused(
            FeedClose.AUTH_TIMEOUT, f"Send the auth message within {within_seconds:g} s."
        ) from None
    if message["type"] == "websocket.disconnect":
        raise _ClientLeft()
    try:
        received = read_message(message, max_bytes)
    except BadMessage as bad:
        raise FeedRefused(FeedClose.BAD_HELLO, f"First send {{type: auth, ticket}}: {bad.detail}") from None
    if not isinstance(received, AuthMessage):
        raise FeedRefused(FeedClose.BAD_HELLO, "First send {type: auth, ticket, last_seq}.")
    return received
