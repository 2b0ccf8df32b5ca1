"""The phones of this process, by event, and what each is shown.

Coalescing. A notice (a session changed, here or on another instance) only marks the
event dirty. The event's task wakes, reads the event's sessions and their current
tables once (a few queries, whatever the number of phones), builds each phone's view
in memory and offers it; then it sleeps ``coalesce_seconds`` before looking again.

A phone's outbox keeps only the latest frame per session: a frame is a whole state,
so a phone that reads slowly skips states it no longer needs instead of piling them
up. A phone whose socket stops taking data for ``send_stall_seconds`` is closed
(1013) and reconnects with its versions.

Fairness. Views are built and offered ``fanout_slice`` phones at a time, yielding to
the event loop between slices: a scan waits for one slice, never the whole room.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.websockets import WebSocket, WebSocketDisconnect

from rencontre.config import Settings
from rencontre.db import session_scope
from rencontre.feed.broker import Broker, FeedNotice
from rencontre.feed.dashboard import TokenBucket, close_socket
from rencontre.feed.schemas import FeedClose
from rencontre.feed.service import FeedRefused
from rencontre.formats import repository as formats_repository
from rencontre.formats.views import SessionViews
from rencontre.kit.time import utcnow
from rencontre.live import service as live_service
from rencontre.live.schemas import (
    MAX_MESSAGE_BYTES,
    ErrorFrame,
    PingMessage,
    PongFrame,
    SessionFrame,
    SessionGoneFrame,
    phone_message,
)
from rencontre.models import Attendee, FormatSession
from rencontre.models.format_session import SessionState

logger = logging.getLogger(__name__)

# The PostgreSQL channel that carries "this event's sessions changed" across instances.
LIVE_CHANNEL = "rencontre_live"


@dataclass(frozen=True)
class LiveLimits:
    coalesce_seconds: float = 0.05
    send_stall_seconds: float = 20.0
    fanout_slice: int = 100
    auth_timeout_seconds: float = 5.0
    unauthenticated_sockets: int = 500
    messages_per_second: float = 2.0
    message_burst: int = 10


class Phone:
    """One phone's socket: the latest frame per session waiting to go, and what it shows."""

    def __init__(self, websocket: WebSocket, attendee: Attendee, versions: dict[uuid.UUID, int]) -> None:
        self.websocket = websocket
        self.attendee = attendee
        # What the phone shows, per session: the key of the last frame offered.
        self.shown: dict[uuid.UUID, Hashable] = dict(versions)
        self._pending: OrderedDict[Hashable, str] = OrderedDict()
        self._wake = asyncio.Event()
        self.closing: tuple[int, str] | None = None

    def offer(self, key: Hashable, text: str) -> None:
        self._pending[key] = text
        self._pending.move_to_end(key)
        self._wake.set()

    def show(self, session_id: uuid.UUID, state: Hashable, text: str) -> None:
        """Offer the session's frame unless the phone already shows that state."""
        if self.shown.get(session_id) == state:
            return
        self.shown[session_id] = state
        self.offer(session_id, text)

    def request_close(self, code: int, reason: str) -> None:
        self.closing = (code, reason)
        self._wake.set()

    async def send_loop(self, stall_seconds: float) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self.closing is not None:
                await close_socket(self.websocket, *self.closing)
                return
            while self._pending:
                _, text = self._pending.popitem(last=False)
                try:
                    async with asyncio.timeout(stall_seconds):
                        await self.websocket.send_text(text)
                except TimeoutError:
                    await close_socket(
                        self.websocket, FeedClose.TRY_AGAIN_LATER, "Too slow to follow; reconnect."
                    )
                    return


class EventPhones:
    """One event's phones in this process, and the task that keeps them current."""

    def __init__(self, hub: PhoneHub, event_id: uuid.UUID) -> None:
        self.hub = hub
        self.event_id = event_id
        self.phones: set[Phone] = set()
        self.refreshes = 0
        self._dirty = asyncio.Event()
        self._unsubscribe = hub.broker.subscribe(event_id, self._on_notice)
        self._task = asyncio.create_task(self._run(), name=f"live-{event_id}")

    def _on_notice(self, _notice: FeedNotice) -> None:
        self._dirty.set()

    def mark_dirty(self) -> None:
        self._dirty.set()

    async def stop(self) -> None:
        self._unsubscribe()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> None:
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            try:
                await self.refresh(list(self.phones))
            except Exception:
                logger.exception("live channel: could not refresh the phones of event %s", self.event_id)
                self._dirty.set()
                await asyncio.sleep(1)
            await asyncio.sleep(self.hub.limits.coalesce_seconds)

    async def refresh(self, phones: list[Phone]) -> None:
        """Offer each phone the sessions whose state it does not show yet."""
        if not phones:
            return
        self.refreshes += 1
        step = self.hub.limits.fanout_slice
        async with session_scope(self.hub.sessions) as session:
            phones = await self._close_ended(session, phones)
            sessions = list(await formats_repository.of_event(session, self.event_id))
            views = await SessionViews.load(session, self.hub.settings, self.event_id, sessions)
            by_id = {s.id: s for s in sessions}
            for start in range(0, len(phones), step):
                if start:
                    await asyncio.sleep(0)
                chunk = phones[start : start + step]
                built = await views.for_phones(session, [p.attendee for p in chunk], sessions, now=utcnow())
                for phone in chunk:
                    _offer(phone, sessions, by_id, built[phone.attendee.id])

    async def _close_ended(self, session: AsyncSession, phones: list[Phone]) -> list[Phone]:
        """Close the phones whose access ended (re-issued, removed, deleted); the others go on.

        A closed phone asks for a new ticket, which its ended access cannot get: the app
        then says why, as it does for any request."""
        ended = await live_service.ended_access(session, [p.attendee for p in phones])
        for phone in phones:
            if phone.attendee.id in ended:
                self.phones.discard(phone)
                phone.request_close(FeedClose.TICKET_REFUSED, "This phone's access has ended; sign in again.")
        return [p for p in phones if p.attendee.id not in ended]


def _offer(
    phone: Phone, sessions: list[FormatSession], by_id: dict[uuid.UUID, FormatSession], views: list[Any]
) -> None:
    for format_session, view in zip(sessions, views, strict=True):
        known = format_session.id in phone.shown
        if format_session.state is SessionState.ended and not known:
            continue
        state = (format_session.version, view.taking_part)
        phone.show(format_session.id, state, SessionFrame(session=view).model_dump_json())
    for session_id in list(phone.shown):
        if session_id not in by_id and phone.shown[session_id] != "gone":
            phone.show(session_id, "gone", SessionGoneFrame(session_id=session_id).model_dump_json())


class PhoneHub:
    """Every phone of this process; told by the broker about changes and shutdown."""

    def __init__(
        self,
        broker: Broker,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        limits: LiveLimits,
    ) -> None:
        self.broker = broker
        self.sessions = sessions
        self.settings = settings
        self.limits = limits
        self.events: dict[uuid.UUID, EventPhones] = {}
        self.waiting = 0
        self._closing = False
        self._forget_observer = broker.observe(self)

    @property
    def phone_count(self) -> int:
        return sum(len(e.phones) for e in self.events.values())

    def catch_up(self) -> None:
        for event in self.events.values():
            event.mark_dirty()

    async def broker_stopping(self) -> None:
        self._closing = True
        phones = [p for e in self.events.values() for p in e.phones]
        for phone in phones:
            phone.request_close(FeedClose.GOING_AWAY, "The server is shutting down; reconnect.")
        for event in list(self.events.values()):
            await event.stop()
        self.events.clear()
        self._forget_observer()

    async def serve(self, websocket: WebSocket, attendee: Attendee, versions: dict[uuid.UUID, int]) -> None:
        """Push the attendee's sessions to an authenticated, accepted socket until it closes."""
        if self._closing:
            await close_socket(websocket, FeedClose.SERVICE_RESTART, "The server is restarting; reconnect.")
            return
        event = self.events.get(attendee.event_id)
        if event is None:
            event = self.events[attendee.event_id] = EventPhones(self, attendee.event_id)
        phone = Phone(websocket, attendee, versions)
        event.phones.add(phone)
        sender = asyncio.create_task(phone.send_loop(self.limits.send_stall_seconds))
        try:
            await event.refresh([phone])
            await self._read(phone, sender)
        except Exception:
            logger.exception("live channel: a phone of event %s failed", attendee.event_id)
            await close_socket(websocket, FeedClose.INTERNAL_ERROR, "The live channel failed; reconnect.")
        finally:
            event.phones.discard(phone)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
            if not event.phones and self.events.get(attendee.event_id) is event:
                del self.events[attendee.event_id]
                await event.stop()

    async def _read(self, phone: Phone, sender: asyncio.Task[None]) -> None:
        """Answer pings until the phone leaves, floods or sends something odd."""
        bucket = TokenBucket(self.limits.messages_per_second, self.limits.message_burst)
        receiving = asyncio.ensure_future(phone.websocket.receive())
        try:
            while True:
                done, _ = await asyncio.wait({receiving, sender}, return_when=asyncio.FIRST_COMPLETED)
                if sender in done:
                    return
                message = receiving.result()
                if message["type"] == "websocket.disconnect":
                    return
                if not bucket.take():
                    phone.request_close(FeedClose.POLICY_VIOLATION, "Too many messages; slow down.")
                    await sender
                    return
                try:
                    received = read(message)
                except FeedRefused as refused:
                    phone.request_close(refused.code, refused.reason)
                    await sender
                    return
                if isinstance(received, ErrorFrame):
                    phone.offer(("error", received.code), received.model_dump_json())
                else:
                    pong = PongFrame(sent_at=received.sent_at, server_now=utcnow())
                    phone.offer("pong", pong.model_dump_json())
                receiving = asyncio.ensure_future(phone.websocket.receive())
        except WebSocketDisconnect:
            return
        finally:
            receiving.cancel()


def read(message: Any) -> PingMessage | ErrorFrame:
    """A message after the hello: a ping, or an error frame to answer (FeedRefused closes)."""
    text = message.get("text")
    if text is None:
        raise FeedRefused(FeedClose.UNSUPPORTED_DATA, "Send JSON text frames, not binary ones.")
    if len(text.encode()) > MAX_MESSAGE_BYTES:
        raise FeedRefused(FeedClose.MESSAGE_TOO_BIG, f"Messages are limited to {MAX_MESSAGE_BYTES} bytes.")
    try:
        received = phone_message.validate_json(text)
    except ValueError:
        return ErrorFrame(code="malformed", detail='Send {"type": "ping"}; the hello was already received.')
    if not isinstance(received, PingMessage):
        return ErrorFrame(code="already_signed_in", detail="This socket is already signed in.")
    return received


def get_phone_hub(app: FastAPI) -> PhoneHub:
    """This app's hub, made on first use around the live broker the lifespan (or a test) installed."""
    state: Any = app.state
    hub: PhoneHub | None = getattr(state, "phone_hub", None)
    if hub is None or hub.broker is not state.live_broker:
        limits = getattr(state, "live_limits", None) or LiveLimits()
        hub = state.phone_hub = PhoneHub(state.live_broker, state.session_factory, state.settings, limits)
    return hub
