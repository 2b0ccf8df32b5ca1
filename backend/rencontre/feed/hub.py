"""Per-event fan-out in one process: one room, one ticker, many dashboards.

Coalescing. A notice (from this process's scans, or another instance's through
PostgreSQL) only marks the event's feed dirty. The feed's ticker wakes, reads
once what changed since its room's ``seq`` (two small queries, whatever the
number of dashboards), advances the room, serializes one delta and offers that
same text to every dashboard of the event; then it sleeps ``feed_coalesce_ms``
before looking again. However fast scans arrive, an event costs at most a few
reads and a few frames per second, per process.

Fairness. Offering a frame wakes that dashboard's sender, and a thousand sends
take tens of milliseconds of the one event loop that also answers scans. So the
ticker offers a frame to ``fanout_slice`` dashboards at a time (a setting) and yields
between slices: a scan waits for one slice, never for the whole fan-out.

Order. The room, the last broadcast view and the revision counter change only
together, synchronously, in the ticker; a dashboard joins synchronously too, with
a first frame built from that same state. So every dashboard gets an unbroken
chain: its first frame at revision R, then each broadcast after R.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.websockets import WebSocket

from rencontre.config import Settings
from rencontre.feed import service
from rencontre.feed.broker import Broker, FeedNotice
from rencontre.feed.dashboard import Dashboard, FeedLimits, Frame, close_socket
from rencontre.feed.repository import Head
from rencontre.feed.room import Recent, Room, View
from rencontre.feed.schemas import FeedClose
from rencontre.kit.time import utcnow

logger = logging.getLogger(__name__)


class FeedUnavailable(Exception):
    pass


class EventGone(Exception):
    pass


class EventFeed:
    """One event's live state in this process, and the task that keeps it current."""

    def __init__(self, hub: FeedHub, event_id: uuid.UUID) -> None:
        self.hub = hub
        self.event_id = event_id
        self.dashboards: set[Dashboard] = set()
        # Dashboards on their way in: the feed does not retire while one is joining.
        self.joining = 0
        self.rev = 0
        self.ticks = 0
        self.lists_refreshes = 0
        self._room: Room | None = None
        self._view: View | None = None
        self._shows_names = False
        # The last connection never named (see service.names_after); None while names are off.
        self._names_after: int | None = None
        self._snapshot: Frame | None = None
        self._dirty = asyncio.Event()
        self._catch_up = False
        self._lock = asyncio.Lock()
        self._ready = asyncio.Event()
        self._failure: Exception | None = None
        self._task = asyncio.create_task(self._run(), name=f"feed-{event_id}")

    @property
    def seq(self) -> int:
        return self._view.seq if self._view is not None else 0

    @property
    def stopped(self) -> bool:
        return self._task.done()

    async def ready(self) -> None:
        await self._ready.wait()
        if self._failure is not None:
            raise self._failure
        if self._room is None:
            raise FeedUnavailable("the feed stopped before it was ready")

    def notice(self, notice: FeedNotice) -> None:
        if self._room is None or notice.seq > self._room.seq:
            self._dirty.set()

    def catch_up(self) -> None:
        self._catch_up = True
        self._dirty.set()

    async def advance_now(self) -> None:
        """Read what is new at once (a dashboard resumes from further than this process has seen)."""
        async with self._lock:
            await self._tick(refresh=False)

    def first_frame(self, last_seq: int | None) -> Frame:
        """A joining dashboard's first frame: a delta from ``last_seq`` when the room covers it."""
        room, view = self._room, self._view
        assert room is not None
        assert view is not None
        if last_seq is None or not room.covers(last_seq):
            return self.snapshot_frame()
        delta = service.delta_frame(
            self.event_id,
            before=None,
            after=view,
            from_seq=last_seq,
            new=room.since(last_seq),
            people=room.people,
            names_after=self._names_after,
        )
        return Frame(self.rev, view.seq, delta.model_dump_json(exclude_none=True))

    def snapshot_frame(self) -> Frame:
        if self._snapshot is None or self._snapshot.rev != self.rev:
            assert self._view is not None
            snapshot = service.snapshot_frame(self.event_id, self._view, shows_names=self._shows_names)
            self._snapshot = Frame(self.rev, self._view.seq, snapshot.model_dump_json())
        return self._snapshot

    def close_all(self, code: int, reason: str) -> None:
        for dashboard in list(self.dashboards):
            dashboard.request_close(code, reason)

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    # --- the ticker --------------------------------------------------------------------------

    async def _run(self) -> None:
        # Subscribe first: a connection recorded while the room is being built is then not missed.
        unsubscribe = self.hub.broker.subscribe(self.event_id, self.notice)
        try:
            try:
                await self._build()
            except Exception as exc:
                logger.warning("live feed: cannot open event %s: %s", self.event_id, exc)
                self._failure = exc if isinstance(exc, EventGone) else FeedUnavailable(str(exc))
                return
            finally:
                self._ready.set()
            await self._loop()
        finally:
            unsubscribe()
            self.hub.forget(self)

    async def _open_room(self) -> tuple[Room, Head]:
        """The event's room read afresh from the database; EventGone if the event was deleted."""
        limits = self.hub.limits
        async with self.hub.session() as session:
            opened = await service.open_room(
                session, self.event_id, list_step=limits.list_step, resume_window=limits.resume_window
            )
        if opened is None:
            raise EventGone()
        return opened

    async def _build(self) -> None:
        room, head = await self._open_room()
        self._room, self._shows_names = room, head.shows_names
        self._names_after = service.names_after(head)
        self._view = room.view(utcnow())
        self.rev += 1

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        limits = self.hub.limits
        next_refresh = loop.time() + limits.refresh_seconds
        next_lists = loop.time() + limits.lists_refresh_seconds
        idle_since: float | None = None
        failures = 0
        while True:
            now = loop.time()
            if self.dashboards or self.joining:
                idle_since = None
            else:
                idle_since = idle_since if idle_since is not None else now
                if now - idle_since >= limits.linger_seconds:
                    return
            timeout = min(next_refresh, next_lists) - now
            if idle_since is not None:
                timeout = min(timeout, idle_since + limits.linger_seconds - now)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(timeout, 0.0)):
                    await self._dirty.wait()
            lists = loop.time() >= next_lists
            refresh = self._catch_up or lists or loop.time() >= next_refresh
            if not (self._dirty.is_set() or refresh):
                continue
            self._dirty.clear()
            self._catch_up = False
            started = loop.time()
            try:
                async with self._lock:
                    if lists:
                        await self._refresh_lists()
                    await self._tick(refresh=refresh)
            except EventGone:
                self.close_all(FeedClose.EVENT_NOT_FOUND, "This event was deleted.")
                return
            except Exception as exc:
                failures += 1
                pause = min(0.5 * 2**failures, 10.0)
                logger.warning(
                    "live feed: event %s not updated (%s); retrying in %.1f s", self.event_id, exc, pause
                )
                self._catch_up = self._catch_up or refresh
                self._dirty.set()
                await asyncio.sleep(pause)
                continue
            failures = 0
            if refresh:
                next_refresh = loop.time() + limits.refresh_seconds
            if lists:
                next_lists = loop.time() + limits.lists_refresh_seconds
            # One tick per interval at most, counted from this tick's start: the reading and
            # the fan-out are part of the interval, not added to it.
            await asyncio.sleep(max(0.0, started + limits.coalesce_seconds - loop.time()))

    async def _refresh_lists(self) -> None:
        """Recompute the lists from what dashboards were shown already, in a frame of their own.

        Before this tick reads anything new: the lists then never arrive with a connection.
        """
        room, before = self._room, self._view
        assert room is not None
        assert before is not None
        self.lists_refreshes += 1
        now = utcnow()
        room.refresh_lists(now)
        after = room.view(now)
        if after == before:
            return
        await self._publish_delta(room, before, after, new=[])

    async def _tick(self, *, refresh: bool) -> None:
        room = self._room
        assert room is not None
        self.ticks += 1
        async with self.hub.session() as session:
            changes = await service.read_changes(session, self.event_id, room, refresh=refresh)
        if changes is None:
            raise EventGone()
        applied = service.apply_changes(room, changes)
        if applied is None:
            await self._rebuild()
            return
        before, after = self._view, room.view(utcnow())
        assert before is not None
        shows_names_changed = changes.head.shows_names != self._shows_names
        self._names_after = service.names_after(changes.head)
        self._shows_names = changes.head.shows_names
        if not applied and after == before and not shows_names_changed:
            return
        # The lists' per-person counts appear or go with the names.
        await self._publish_delta(room, before, after, new=applied, lists_changed=shows_names_changed)

    async def _publish_delta(
        self, room: Room, before: View, after: View, *, new: Sequence[Recent], lists_changed: bool = False
    ) -> None:
        delta = service.delta_frame(
            self.event_id,
            before=before,
            after=after,
            from_seq=before.seq,
            new=new,
            people=room.people,
            names_after=self._names_after,
            lists_changed=lists_changed,
        )
        await self._publish(after, delta.model_dump_json(exclude_none=True))

    async def _rebuild(self) -> None:
        logger.info("live feed: rebuilding event %s from the database", self.event_id)
        room, head = await self._open_room()
        room.forget_history()
        self._names_after = service.names_after(head)
        self._room, self._shows_names = room, head.shows_names
        view = room.view(utcnow())
        snapshot = service.snapshot_frame(self.event_id, view, shows_names=self._shows_names)
        await self._publish(view, snapshot.model_dump_json())

    async def _publish(self, view: View, text: str) -> None:
        self.rev += 1
        self._view = view
        frame = Frame(self.rev, view.seq, text)
        # Whoever joins from here on starts at this revision: the list is the dashboards before.
        dashboards = list(self.dashboards)
        step = self.hub.limits.fanout_slice
        for start in range(0, len(dashboards), step):
            if start:
                await asyncio.sleep(0)
            for dashboard in dashboards[start : start + step]:
                dashboard.offer(frame)


class FeedHub:
    """Every live feed of this process; told by the broker about new connections and shutdown."""

    def __init__(
        self,
        broker: Broker,
        session_factory: async_sessionmaker[AsyncSession],
        limits: FeedLimits,
    ) -> None:
        self.broker = broker
        self.session = session_factory
        self.limits = limits
        self.feeds: dict[uuid.UUID, EventFeed] = {}
        self._per_organiser: Counter[uuid.UUID] = Counter()
        self._closing = False
        self._forget_observer = broker.observe(self)

    @property
    def dashboard_count(self) -> int:
        return sum(len(feed.dashboards) for feed in self.feeds.values())

    def forget(self, feed: EventFeed) -> None:
        if self.feeds.get(feed.event_id) is feed:
            del self.feeds[feed.event_id]

    def catch_up(self) -> None:
        for feed in list(self.feeds.values()):
            feed.catch_up()

    async def broker_stopping(self) -> None:
        """Lifespan shutdown: every socket is closed with 1001 so that clients reconnect elsewhere."""
        self._closing = True
        dashboards = [d for feed in self.feeds.values() for d in feed.dashboards]
        for dashboard in dashboards:
            dashboard.request_close(FeedClose.GOING_AWAY, "The server is shutting down; reconnect.")
        if dashboards:
            await asyncio.wait([asyncio.create_task(d.finished.wait()) for d in dashboards], timeout=5)
        for feed in list(self.feeds.values()):
            await feed.stop()
        self._forget_observer()

    async def serve(
        self, websocket: WebSocket, *, event_id: uuid.UUID, organiser_id: uuid.UUID, last_seq: int | None
    ) -> None:
        """Stream an event's feed to an authenticated, accepted websocket until it closes."""
        if self._closing:
            await close_socket(websocket, FeedClose.SERVICE_RESTART, "The server is restarting; reconnect.")
            return
        if self._per_organiser[organiser_id] >= self.limits.feeds_per_organiser:
            await close_socket(
                websocket,
                FeedClose.POLICY_VIOLATION,
                f"Too many live feeds open ({self.limits.feeds_per_organiser} at most); close one first.",
            )
            return
        self._per_organiser[organiser_id] += 1
        try:
            await self._serve(websocket, event_id, organiser_id, last_seq)
        finally:
            self._per_organiser[organiser_id] -= 1
            if self._per_organiser[organiser_id] <= 0:
                del self._per_organiser[organiser_id]

    async def _serve(
        self, websocket: WebSocket, event_id: uuid.UUID, organiser_id: uuid.UUID, last_seq: int | None
    ) -> None:
        feed = self.feeds.get(event_id)
        if feed is None or feed.stopped:
            feed = self.feeds[event_id] = EventFeed(self, event_id)
        feed.joining += 1
        try:
            await feed.ready()
            if last_seq is not None and last_seq > feed.seq:
                # Another instance showed this dashboard more than we have read yet.
                await feed.advance_now()
        except EventGone:
            await close_socket(websocket, FeedClose.EVENT_NOT_FOUND, "No such event.")
            return
        except Exception as exc:
            logger.warning("live feed: event %s unavailable: %s", event_id, exc)
            await close_socket(
                websocket, FeedClose.TRY_AGAIN_LATER, "The live feed is unavailable for a moment; reconnect."
            )
            return
        finally:
            feed.joining -= 1
        dashboard = Dashboard(websocket, feed, organiser_id, self.limits)
        # No await between the first frame and joining: no broadcast can fall in between.
        dashboard.outbox.put_frame(feed.first_frame(last_seq))
        feed.dashboards.add(dashboard)
        if feed.stopped:
            dashboard.request_close(FeedClose.TRY_AGAIN_LATER, "The live feed restarted; reconnect.")
        try:
            await dashboard.run()
        finally:
            feed.dashboards.discard(dashboard)


def get_hub(app: FastAPI) -> FeedHub:
    """This app's hub, made on first use around the broker the lifespan (or a test) installed."""
    state: Any = app.state
    hub: FeedHub | None = getattr(state, "feed_hub", None)
    if hub is None or hub.broker is not state.broker:
        settings: Settings = state.settings
        limits = getattr(state, "feed_limits", None) or FeedLimits(
            coalesce_seconds=settings.feed_coalesce_ms / 1000,
            lists_refresh_seconds=settings.feed_lists_refresh_seconds,
            list_step=settings.feed_lists_min_connections,
            feeds_per_organiser=settings.feed_dashboards_per_organiser,
            auth_timeout_seconds=settings.feed_auth_timeout_seconds,
            unauthenticated_sockets=settings.feed_unauthenticated_sockets,
            messages_per_second=settings.feed_client_messages_per_second,
            message_burst=settings.feed_client_message_burst,
            message_bytes=settings.feed_client_message_bytes,
            fanout_slice=settings.feed_fanout_slice,
            resume_window=settings.feed_resume_window,
        )
        hub = FeedHub(state.broker, state.session_factory, limits)
        state.feed_hub = hub
    return hub
