"""The live channel over HTTP and websocket: a ticket, then the socket (protocol in ``live/__init__``)."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request, WebSocket, status
from pydantic import ValidationError

from rencontre.db import session_scope
from rencontre.dependencies import CurrentAttendee, SessionDep, SettingsDep
from rencontre.errors import Forbidden, TooManyRequests, Unauthorized, responses
from rencontre.feed.dashboard import close_socket
from rencontre.feed.schemas import FeedClose
from rencontre.feed.service import FeedRefused, origin_allowed
from rencontre.kit.ratelimit import limit
from rencontre.live import service
from rencontre.live.hub import get_phone_hub
from rencontre.live.schemas import MAX_MESSAGE_BYTES, HelloMessage, LiveTicketOut, phone_message

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/me/live", tags=["live"], responses=responses(Unauthorized, Forbidden))


@router.post(
    "/ticket",
    status_code=status.HTTP_201_CREATED,
    summary="A short-lived, single-use ticket to open this phone's live channel",
    responses=responses(TooManyRequests),
)
async def create_ticket(
    attendee: CurrentAttendee, request: Request, session: SessionDep, settings: SettingsDep
) -> LiveTicketOut:
    await limit(request, "live-ticket", settings.feed_ticket_rate_limit, key=str(attendee.id))
    return await service.issue_ticket(session, settings, attendee)


@router.websocket("", name="live_channel")
async def live_channel(websocket: WebSocket) -> None:
    app = websocket.app
    if not origin_allowed(websocket.headers.get("origin"), app.state.settings):
        await websocket.close(code=FeedClose.FORBIDDEN, reason="Origin not allowed.")
        return
    hub = get_phone_hub(app)
    await websocket.accept()
    if hub.waiting >= hub.limits.unauthenticated_sockets:
        await close_socket(websocket, FeedClose.TRY_AGAIN_LATER, "Too many phones are signing in; reconnect.")
        return
    hub.waiting += 1
    try:
        hello = await _hello(websocket, hub.limits.auth_timeout_seconds)
        if hello is None:
            return
        async with session_scope(app.state.session_factory) as session:
            attendee = await service.redeem_ticket(session, hello.ticket)
    except FeedRefused as refused:
        await close_socket(websocket, refused.code, refused.reason)
        return
    except Exception:
        logger.warning("live channel: could not open a phone's channel", exc_info=True)
        await close_socket(
            websocket, FeedClose.TRY_AGAIN_LATER, "The live channel is unavailable; reconnect."
        )
        return
    finally:
        hub.waiting -= 1
    await hub.serve(websocket, attendee, hello.versions)


async def _hello(websocket: WebSocket, within_seconds: float) -> HelloMessage | None:
    """The first message, ``{"type": "auth", "ticket": …, "versions": {…}}``; None if the phone left."""
    try:
        async with asyncio.timeout(within_seconds):
            message = await websocket.receive()
    except TimeoutError:
        raise FeedRefused(
            FeedClose.AUTH_TIMEOUT, f"Send the auth message within {within_seconds:g} s."
        ) from None
    if message["type"] == "websocket.disconnect":
        return None
    text = message.get("text")
    if text is None or len(text.encode()) > MAX_MESSAGE_BYTES:
        raise FeedRefused(FeedClose.BAD_HELLO, "First send {type: auth, ticket, versions} as JSON text.")
    try:
        received = phone_message.validate_json(text)
    except ValidationError as invalid:
        first = invalid.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FeedRefused(
            FeedClose.BAD_HELLO, f"First send {{type: auth, ticket, versions}}: {where} {first['msg']}"
        ) from None
    if not isinstance(received, HelloMessage):
        raise FeedRefused(FeedClose.BAD_HELLO, "First send {type: auth, ticket, versions}.")
    return received
