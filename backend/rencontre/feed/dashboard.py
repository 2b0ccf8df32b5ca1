"""One dashboard's websocket: a bounded outbox, a sender, a reader that tolerates nothing odd.

The feed hands every dashboard of an event the same serialized frame and never
waits: :meth:`Dashboard.offer` only appends to a bounded outbox. A dashboard whose
outbox overflows loses its queued frames and gets one fresh snapshot instead; one
that overflows again and again, or whose socket stops taking data, is closed
(1013, "try again later") so it reconnects and resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any, Final, NamedTuple, Protocol

from pydantic import ValidationError
from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from rencontre.feed.room import RESUME_WINDOW
from rencontre.feed.schemas import (
    MAX_CLIENT_MESSAGE_BYTES,
    AuthMessage,
    ErrorFrame,
    FeedClose,
    PingMessage,
    PongFrame,
    ResyncMessage,
    client_message,
)
from rencontre.feed.service import FeedRefused

logger = logging.getLogger(__name__)

_KNOWN_TYPES: Final = ("auth", "ping", "resync")
_MAX_REASON_BYTES: Final = 123  # RFC 6455: a close frame's body is at most 125 bytes


@dataclass(frozen=True)
class FeedLimits:
    coalesce_seconds: float = 0.25
    # Figures that move with the clock (active, isolated, present) and a check against the database.
    refresh_seconds: float = 10.0
    # The ranked lists: recomputed this often, as of a multiple of ``list_step`` connections.
    lists_refresh_seconds: float = 60.0
    list_step: int = 3
    # An event's room stays in memory this long after its last dashboard left, for quick resumes.
    linger_seconds: float = 30.0
    frame_queue: int = 8
    control_queue: int = 32
    send_stall_seconds: float = 30.0
    resyncs_per_minute: int = 3
    feeds_per_organiser: int = 20
    auth_timeout_seconds: float = 5.0
    # Sockets accepted but not yet signed in, per process: each costs a task and a buffer.
    unauthenticated_sockets: int = 200
    messages_per_second: float = 5.0
    message_burst: int = 20
    message_bytes: int = MAX_CLIENT_MESSAGE_BYTES
    # Dashboards offered a frame per turn of the event loop (see rencontre.feed.hub, Fairness).
    fanout_slice: int = 100
    # Connections behind the room a dashboard may resume by deltas; further back, a snapshot.
    resume_window: int = RESUME_WINDOW


class Frame(NamedTuple):
    """A serialized feed frame; ``rev`` orders every frame of one event in this process."""

    rev: int
    seq: int
    text: str


class _Resync:
    """Placeholder in an outbox: send a fresh snapshot, built when it is this one's turn."""


RESYNC: Final = _Resync()
OutboxItem = Frame | _Resync | str


class FeedSource(Protocol):
    @property
    def seq(self) -> int: ...

    def snapshot_frame(self) -> Frame: ...


class BadMessage(Exception):
    """A client message we answer with an error frame, keeping the socket open."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


ClientMessage = AuthMessage | PingMessage | ResyncMessage


def read_message(message: Message, max_bytes: int = MAX_CLIENT_MESSAGE_BYTES) -> ClientMessage:
    """The client message in an ASGI ``websocket.receive``; FeedRefused closes, BadMessage answers."""
    text = message.get("text")
    if text is None:
        raise FeedRefused(FeedClose.UNSUPPORTED_DATA, "Send JSON text frames, not binary ones.")
    if len(text) > max_bytes or len(text.encode()) > max_bytes:
        raise FeedRefused(FeedClose.MESSAGE_TOO_BIG, f"Messages are limited to {max_bytes} bytes.")
    try:
        data = json.loads(text)
    except ValueError:
        raise BadMessage("malformed", "This message is not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BadMessage("malformed", 'A message is a JSON object with a "type".')
    if data["type"] not in _KNOWN_TYPES:
        raise BadMessage("unknown_type", f"Unknown message type; expected one of {', '.join(_KNOWN_TYPES)}.")
    try:
        return client_message.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][1:]) or "message"
        raise BadMessage("invalid", f"{where}: {first['msg']}") from None


async def close_socket(websocket: WebSocket, code: int, reason: str) -> None:
    """Close with a code and a reason, unless the socket is gone already; never hangs."""
    if WebSocketState.DISCONNECTED in (websocket.client_state, websocket.application_state):
        return
    short = reason.encode()[:_MAX_REASON_BYTES].decode(errors="ignore")
    with contextlib.suppress(Exception):
        async with asyncio.timeout(2):
            await websocket.close(code=code, reason=short)


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._tokens = float(burst)
        self._at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


class Outbox:
    """Frames (bounded; on overflow replaced by one resync) and replies (bounded), in order."""

    def __init__(self, frame_limit: int, reply_limit: int) -> None:
        self._items: deque[OutboxItem] = deque()
        self._frames = 0
        self._replies = 0
        self._frame_limit = frame_limit
        self._reply_limit = reply_limit
        # The sender waiting for an item, if it is: woken by the next put.
        self._waiter: asyncio.Future[None] | None = None

    def put_frame(self, frame: Frame) -> bool:
        """Queue a frame; False when the outbox overflowed and a resync took the frames' place."""
        if self._frames >= self._frame_limit:
            self.put_resync()
            return False
        self._items.append(frame)
        self._frames += 1
        self._wake()
        return True

    def put_resync(self) -> None:
        self._items = deque(item for item in self._items if isinstance(item, str))
        self._items.append(RESYNC)
        self._frames = 0
        self._wake()

    def put_reply(self, text: str) -> bool:
        if self._replies >= self._reply_limit:
            return False
        self._items.append(text)
        self._replies += 1
        self._wake()
        return True

    async def get(self) -> OutboxItem:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        item = self._items.popleft()
        if isinstance(item, Frame):
            self._frames -= 1
        elif isinstance(item, str):
            self._replies -= 1
        return item

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class Dashboard:
    def __init__(
        self, websocket: WebSocket, feed: FeedSource, organiser_id: uuid.UUID, limits: FeedLimits
    ) -> None:
        self.websocket = websocket
        self.feed = feed
        self.organiser_id = organiser_id
        self.limits = limits
        self.outbox = Outbox(limits.frame_queue, limits.control_queue)
        self.sent_rev = -1
        self.finished = asyncio.Event()
        self._closing: asyncio.Future[tuple[int, str]] = asyncio.get_running_loop().create_future()
        self._gone = False
        self._overflows: deque[float] = deque()
        self._bucket = TokenBucket(limits.messages_per_second, limits.message_burst)
        # When the send under way began (loop time), None between sends: see _stalled.
        self._sending_since: float | None = None

    def offer(self, frame: Frame) -> None:
        """Queue a frame for this dashboard without waiting; called for every dashboard of the event."""
        if self.outbox.put_frame(frame):
            return
        now = time.monotonic()
        self._overflows.append(now)
        while self._overflows and self._overflows[0] < now - 60:
            self._overflows.popleft()
        if len(self._overflows) > self.limits.resyncs_per_minute:
            self.request_close(
                FeedClose.TRY_AGAIN_LATER, "Too slow to follow the live feed; reconnect later."
            )

    def request_close(self, code: int, reason: str) -> None:
        if not self._closing.done():
            self._closing.set_result((code, reason))

    async def run(self) -> None:
        """Serve the socket until the client leaves or someone asks to close it."""
        sender = asyncio.create_task(self._send_loop())
        reader = asyncio.create_task(self._read_loop())
        try:
            waiting: set[asyncio.Future[Any]] = {sender, reader, self._closing}
            # A send is not given a timeout of its own (a timer set and cancelled for every frame
            # of every dashboard); instead this task looks now and then for a stuck one.
            period = self.limits.send_stall_seconds / 2
            while not (await asyncio.wait(waiting, timeout=period, return_when=asyncio.FIRST_COMPLETED))[0]:
                if self._stalled():
                    self.request_close(FeedClose.TRY_AGAIN_LATER, "Too slow to follow the live feed.")
        finally:
            for task in (sender, reader):
                task.cancel()
            await asyncio.gather(sender, reader, return_exceptions=True)
            if self._closing.done() and not self._gone:
                await close_socket(self.websocket, *self._closing.result())
            self.finished.set()

    def _stalled(self) -> bool:
        """Whether the socket has not taken a frame for ``send_stall_seconds``."""
        since = self._sending_since
        if since is None:
            return False
        return asyncio.get_running_loop().time() - since >= self.limits.send_stall_seconds

    async def _send_loop(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                item = await self.outbox.get()
                rev = None
                if isinstance(item, _Resync):
                    frame = self.feed.snapshot_frame()
                    text, rev = frame.text, frame.rev
                elif isinstance(item, Frame):
                    if item.rev <= self.sent_rev:
                        continue
                    text, rev = item.text, item.rev
                else:
                    text = item
                self._sending_since = loop.time()
                await self.websocket.send_text(text)
                self._sending_since = None
                if rev is not None:
                    self.sent_rev = rev
        except (WebSocketDisconnect, OSError, RuntimeError):
            self._gone = True
        except Exception:
            logger.exception("live feed: sending failed")
            self.request_close(FeedClose.INTERNAL_ERROR, "Internal error; reconnect.")

    async def _read_loop(self) -> None:
        try:
            while True:
                message = await self.websocket.receive()
                if message["type"] == "websocket.disconnect":
                    self._gone = True
                    return
                if not self._bucket.take():
                    self.request_close(
                        FeedClose.POLICY_VIOLATION,
                        f"Too many messages: at most {self.limits.messages_per_second:g} a second.",
                    )
                    return
                try:
                    received = read_message(message, self.limits.message_bytes)
                except FeedRefused as refused:
                    self.request_close(refused.code, refused.reason)
                    return
                except BadMessage as bad:
                    self._reply(ErrorFrame(code=bad.code, detail=bad.detail).model_dump_json())
                    continue
                if isinstance(received, PingMessage):
                    self._reply(PongFrame(seq=self.feed.seq).model_dump_json())
                elif isinstance(received, ResyncMessage):
                    self.outbox.put_resync()
                else:
                    self._reply(
                        ErrorFrame(
                            code="already_authenticated", detail="This feed is open already."
                        ).model_dump_json()
                    )
        except (WebSocketDisconnect, OSError, RuntimeError):
            self._gone = True

    def _reply(self, text: str) -> None:
        if not self.outbox.put_reply(text):
            self.request_close(FeedClose.POLICY_VIOLATION, "Too many unread replies; read the socket.")
