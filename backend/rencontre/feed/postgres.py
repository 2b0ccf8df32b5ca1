"""The live feed across instances: PostgreSQL LISTEN/NOTIFY.

One dedicated asyncpg connection per process, outside the SQLAlchemy pool, listens
on one channel and sends this process's notices. A notice is tiny
(``<event id>:<seq>``, about 45 bytes, far below NOTIFY's 8,000-byte limit); the
data stays in the database, read by sequence number.

Publishing never waits on the network: the notice is delivered to this process's
listeners at once and queued, coalesced per event (only the highest sequence
matters), for the connection's task to NOTIFY. When the connection is lost — the
database restarted, a network cut, an administrator's ``pg_terminate_backend`` —
the task reconnects with capped, jittered backoff, sends what was queued and asks
every dashboard to catch up from the database, since notices sent meanwhile by
other instances were missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncEngine

from rencontre.feed.broker import BrokerObserver, FeedNotice, Listener, LocalListeners, Unsubscribe

logger = logging.getLogger(__name__)

CHANNEL = "rencontre_feed"
APPLICATION_NAME = "rencontre-feed"
# Far below NOTIFY's 8,000-byte payload limit; one notice is ~45 bytes.
MAX_PAYLOAD_BYTES = 200

_CONNECTION_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


def asyncpg_dsn(engine: AsyncEngine) -> str:
    """The engine's database as a plain ``postgresql://`` DSN for a direct asyncpg connection."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def encode_notice(notice: FeedNotice) -> str:
    return f"{notice.event_id.hex}:{notice.seq}"


def decode_notice(payload: str) -> FeedNotice | None:
    """The notice in a payload, or None for anything else (never trust a channel blindly)."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        return None
    event_part, _, seq_part = payload.partition(":")
    try:
        event_id = uuid.UUID(hex=event_part)
        seq = int(seq_part)
    except ValueError:
        return None
    return FeedNotice(event_id=event_id, seq=seq) if seq >= 0 else None


class PostgresBroker:
    def __init__(
        self,
        dsn: str,
        *,
        channel: str = CHANNEL,
        keepalive_seconds: float = 10.0,
        backoff_seconds: tuple[float, float] = (0.25, 15.0),
    ) -> None:
        self._dsn = dsn
        self._channel = channel
        self._keepalive = keepalive_seconds
        self._backoff_min, self._backoff_max = backoff_seconds
        self._local = LocalListeners()
        self._outbox: dict[uuid.UUID, int] = {}
        self._wake = asyncio.Event()
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.connections_made = 0
        # The listening backend's process id, for an administrator (pg_stat_activity) or a test.
        self.server_pid: int | None = None

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="feed-postgres-listener")
        # A database that is down only delays the feed; the app starts anyway.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await self._connected.wait()

    async def stop(self) -> None:
        await self._local.stopping()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._local.clear()

    async def publish(self, notice: FeedNotice) -> None:
        self._local.deliver(notice)
        if notice.seq > self._outbox.get(notice.event_id, -1):
            self._outbox[notice.event_id] = notice.seq
        self._wake.set()

    def subscribe(self, event_id: uuid.UUID, listener: Listener) -> Unsubscribe:
        return self._local.subscribe(event_id, listener)

    def observe(self, observer: BrokerObserver) -> Unsubscribe:
        return self._local.observe(observer)

    async def _run(self) -> None:
        delay = self._backoff_min
        while True:
            try:
                connection = await asyncpg.connect(
                    self._dsn, timeout=5, server_settings={"application_name": APPLICATION_NAME}
                )
            except _CONNECTION_ERRORS as exc:
                logger.warning("live feed: PostgreSQL unreachable (%s); retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self._backoff_max)
                continue
            delay = self._backoff_min
            try:
                await self._serve(connection)
            except _CONNECTION_ERRORS as exc:
                logger.warning("live feed: lost the PostgreSQL connection (%s); reconnecting", exc)
            finally:
                self._connected.clear()
                connection.terminate()
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, self._backoff_max)

    async def _serve(self, connection: Any) -> None:
        lost = False

        def on_lost(_connection: Any) -> None:
            nonlocal lost
            lost = True
            self._wake.set()

        connection.add_termination_listener(on_lost)
        await connection.add_listener(self._channel, self._on_notification)
        self.connections_made += 1
        self.server_pid = connection.get_server_pid()
        self._connected.set()
        # Whatever other instances announced while we were away was missed: read it again.
        self._local.catch_up()
        while not lost:
            self._wake.clear()
            if self._outbox:
                await self._send_outbox(connection)
                continue
            try:
                async with asyncio.timeout(self._keepalive):
                    await self._wake.wait()
            except TimeoutError:
                # A silent network cut shows only when we ask something.
                await connection.fetchval("SELECT 1", timeout=5)
        raise ConnectionError("the listening connection was closed")

    async def _send_outbox(self, connection: Any) -> None:
        batch, self._outbox = self._outbox, {}
        payloads = [encode_notice(FeedNotice(event_id, seq)) for event_id, seq in batch.items()]
        try:
            await connection.execute(
                "SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload",
                self._channel,
                payloads,
                timeout=5,
            )
        except BaseException:
            # Sent again after reconnecting; newer notices queued meanwhile win.
            for event_id, seq in batch.items():
                if seq > self._outbox.get(event_id, -1):
                    self._outbox[event_id] = seq
            raise

    def _on_notification(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        notice = decode_notice(payload)
        if notice is None:
            logger.debug("live feed: ignoring a malformed notification %r", payload[:80])
            return
        self._local.deliver(notice)
