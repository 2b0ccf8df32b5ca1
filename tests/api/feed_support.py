"""Helpers of the live-feed API tests: an ASGI websocket client, a scene, and the truth.

The tests run the app's real lifespan (its own engine and broker: LISTEN/NOTIFY on
PostgreSQL), and commit their data: the feed reads it from other connections, as
it would from other requests. Each scene deletes its organiser (and so everything
else, by cascade) at the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased
from starlette.types import Message

from rencontre.app import create_app
from rencontre.config import Settings
from rencontre.db import begin_write
from rencontre.feed.broker import FeedNotice
from rencontre.feed.dashboard import FeedLimits
from rencontre.feed.room import bucket_of, bucket_start
from rencontre.feed.watch import LiveState
from rencontre.kit import ratelimit
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Encounter, Event, Organiser
from tests.support import Factory

WAIT = 10.0  # seconds: generous, for a noisy 2-core machine


class Closed(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"closed {code}: {reason}")
        self.code = code
        self.reason = reason


class Refused(Exception):
    pass


class AsgiSocket:
    """A websocket client that drives the ASGI app in this event loop: no server, no thread.

    ``pause()`` makes the app's sends block, like a client that stopped reading.
    """

    def __init__(self, app: FastAPI, path: str, *, origin: str | None = None) -> None:
        self.app = app
        self.path = path
        self.origin = origin
        self.frames: list[dict[str, Any]] = []
        self.texts: list[str] = []
        self.close_code: int | None = None
        self.close_reason = ""
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message] = asyncio.Queue()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._task: asyncio.Task[None] | None = None

    async def connect(self) -> AsgiSocket:
        headers = [(b"host", b"test")]
        if self.origin is not None:
            headers.append((b"origin", self.origin.encode()))
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "http_version": "1.1",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("test", 80),
            "subprotocols": [],
            "state": {},
        }
        self._to_app.put_nowait({"type": "websocket.connect"})
        self._task = asyncio.create_task(self.app(scope, self._receive, self._send))
        first = await asyncio.wait_for(self._from_app.get(), WAIT)
        if first["type"] != "websocket.accept":
            raise Refused(str(first))
        return self

    async def _receive(self) -> Message:
        return await self._to_app.get()

    async def _send(self, message: Message) -> None:
        if message["type"] == "websocket.send":
            await self._flowing.wait()
        self._from_app.put_nowait(message)

    def pause(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    async def send_json(self, data: Any) -> None:
        await self.send_text(json.dumps(data))

    async def send_text(self, data: str) -> None:
        self._to_app.put_nowait({"type": "websocket.receive", "text": data})

    async def send_bytes(self, data: bytes) -> None:
        self._to_app.put_nowait({"type": "websocket.receive", "bytes": data})

    async def auth(self, ticket: str, last_seq: int | None = None) -> None:
        await self.send_json({"type": "auth", "ticket": ticket, "last_seq": last_seq})

    async def receive(self, within: float = WAIT) -> dict[str, Any]:
        """The next frame; raises Closed when the server closed the socket instead."""
        message = await asyncio.wait_for(self._from_app.get(), within)
        if message["type"] == "websocket.close":
            self.close_code = message.get("code", 1000)
            self.close_reason = message.get("reason") or ""
            raise Closed(self.close_code, self.close_reason)
        text_data = message["text"]
        self.texts.append(text_data)
        frame: dict[str, Any] = json.loads(text_data)
        self.frames.append(frame)
        return frame

    async def closed(self, within: float = WAIT) -> Closed:
        """Read until the server closes; the close code and reason."""
        while True:
            try:
                await self.receive(within)
            except Closed as closed:
                return closed

    async def follow(
        self, state: LiveState, until: Callable[[LiveState], bool], within: float = WAIT
    ) -> LiveState:
        """Apply frames to ``state`` until ``until(state)``; fail after ``within`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not until(state):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out; state at seq {state.seq}: {state.counts}")
            frame = await self.receive(remaining)
            if frame["type"] in ("snapshot", "delta"):
                assert state.apply(frame), f"gap: {frame['from_seq']} after {state.seq}"
        return state

    async def drop(self) -> None:
        """The client vanishes (network cut): the app sees a disconnect."""
        self._to_app.put_nowait({"type": "websocket.disconnect", "code": 1006})
        self.resume()
        await self.finished()

    async def finished(self) -> None:
        assert self._task is not None
        await asyncio.wait_for(self._task, WAIT)


@contextlib.asynccontextmanager
async def running_app(settings: Settings, limits: FeedLimits | None = None) -> AsyncIterator[FastAPI]:
    """The app with its real lifespan: engine, session factory and broker of its own."""
    ratelimit.reset()
    app = create_app(settings)
    if limits is not None:
        app.state.feed_limits = limits
    async with app.router.lifespan_context(app):
        yield app


@dataclass
class Scene:
    app: FastAPI
    settings: Settings
    organiser: Organiser
    event: Event
    people: list[Attendee]
    headers: dict[str, str]
    http: httpx.AsyncClient
    sockets: list[AsgiSocket] = field(default_factory=list)

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        factory: async_sessionmaker[AsyncSession] = self.app.state.session_factory
        return factory

    @property
    def feed_path(self) -> str:
        return f"/api/events/{self.event.id}/feed"

    async def ticket(self, event_id: uuid.UUID | None = None) -> str:
        response = await self.http.post(
            f"/api/events/{event_id or self.event.id}/feed/ticket", headers=self.headers
        )
        assert response.status_code == 201, response.text
        ticket: str = response.json()["ticket"]
        return ticket

    async def socket(self, *, origin: str | None = None, path: str | None = None) -> AsgiSocket:
        socket = await AsgiSocket(self.app, path or self.feed_path, origin=origin).connect()
        self.sockets.append(socket)
        return socket

    async def dashboard(self, last_seq: int | None = None) -> tuple[AsgiSocket, dict[str, Any]]:
        """An authenticated dashboard and its first frame."""
        socket = await self.socket()
        await socket.auth(await self.ticket(), last_seq)
        return socket, await socket.receive()

    async def meet(
        self, pairs: Sequence[tuple[int, int]], *, publish: bool = True, met_at: datetime | None = None
    ) -> list[int]:
        """Record ``people[a]`` scanning ``people[b]`` for each pair, as the scan path does."""
        seqs = []
        for a, b in pairs:
            seq = await record_encounter(self.sessions, self.people[a], self.people[b], met_at=met_at)
            seqs.append(seq)
            if publish:
                await self.app.state.broker.publish(FeedNotice(self.event.id, seq))
        return seqs

    async def truth(self) -> dict[str, Any]:
        async with self.sessions() as session:
            return await database_truth(session, self.event.id)


async def record_encounter(
    sessions: async_sessionmaker[AsyncSession],
    scanner: Attendee,
    scanned: Attendee,
    *,
    met_at: datetime | None = None,
    note: str = "SECRET NOTE never on the feed",
) -> int:
    async with sessions() as session:
        await begin_write(session)
        seq = await session.scalar(
            update(Event)
            .where(Event.id == scanner.event_id)
            .values(feed_seq=Event.feed_seq + 1)
            .returning(Event.feed_seq)
        )
        assert seq is not None
        reverse = await session.execute(
            update(Encounter)
            .where(Encounter.scanner_id == scanned.id, Encounter.scanned_id == scanner.id)
            .values(mutual=True)
            .returning(Encounter.id)
        )
        mutual = reverse.first() is not None
        at = met_at or utcnow()
        session.add(
            Encounter(
                event_id=scanner.event_id,
                scanner_id=scanner.id,
                scanned_id=scanned.id,
                seq=seq,
                client_id=uuid.uuid4(),
                note=note,
                tags=["secret-tag"],
                met_at=at,
                last_scanned_at=at,
                mutual=mutual,
            )
        )
        await session.commit()
        return int(seq)


async def database_truth(session: AsyncSession, event_id: uuid.UUID) -> dict[str, Any]:
    """The figures a dashboard must show, computed straight from the tables."""
    connections = await session.scalar(
        select(func.count()).select_from(Encounter).where(Encounter.event_id == event_id)
    )
    first, second = aliased(Encounter), aliased(Encounter)
    mutual = await session.scalar(
        select(func.count())
        .select_from(first)
        .join(second, and_(first.scanner_id == second.scanned_id, first.scanned_id == second.scanner_id))
        .where(first.event_id == event_id, first.seq < second.seq)
    )
    rows = (
        await session.execute(
            select(Encounter.met_at, Encounter.scanner_id, Encounter.scanned_id, Encounter.seq).where(
                Encounter.event_id == event_id
            )
        )
    ).all()
    timeline: dict[str, int] = {}
    for row in rows:
        start = bucket_start(bucket_of(row.met_at)).isoformat().replace("+00:00", "Z")
        timeline[start] = timeline.get(start, 0) + 1
    feed_seq = await session.scalar(select(Event.feed_seq).where(Event.id == event_id))
    return {
        "seq": feed_seq,
        "connections": connections,
        "mutual": mutual,
        "unique_pairs": (connections or 0) - (mutual or 0),
        "timeline": timeline,
        "seqs": sorted(row.seq for row in rows),
    }


async def follow_all(dashboards: Sequence[tuple[AsgiSocket, dict[str, Any]]], seq: int) -> list[LiveState]:
    """Each dashboard's state, from its first frame on, once it has reached ``seq``."""
    states = []
    for socket, first in dashboards:
        state = LiveState()
        state.apply(first)
        states.append(await socket.follow(state, lambda s: s.seq == seq))
    return states


def timeline_of(state: LiveState) -> dict[str, int]:
    """The state's timeline keyed like :func:`database_truth`'s."""
    return {
        datetime.fromisoformat(start.replace("Z", "+00:00"))
        .astimezone(UTC)
        .isoformat()
        .replace("+00:00", "Z"): count
        for start, count in state.timeline.items()
        if count
    }


def assert_matches_database(state: LiveState, truth: dict[str, Any]) -> None:
    assert state.seq == truth["seq"]
    assert state.counts["connections"] == truth["connections"]
    assert state.counts["unique_pairs"] == truth["unique_pairs"]
    assert state.counts["mutual"] == truth["mutual"]
    assert timeline_of(state) == truth["timeline"]


@contextlib.asynccontextmanager
async def scene_of(
    settings: Settings,
    *,
    people: int = 6,
    shows_names: bool = False,
    joined_minutes_ago: float = 30,
    limits: FeedLimits | None = None,
) -> AsyncIterator[Scene]:
    """A running app, an organiser with an event, and ``people`` attendees who joined a while ago."""
    async with running_app(settings, limits) as app:
        sessions: async_sessionmaker[AsyncSession] = app.state.session_factory
        async with sessions() as session:
            factory = Factory(session, settings)
            organiser = await factory.organiser()
            event = await factory.event(organiser, feed_shows_names=shows_names)
            joined = utcnow() - timedelta(minutes=joined_minutes_ago)
            attendees = [
                await factory.attendee(
                    event,
                    name=f"Person {i:02d}",
                    company=f"Company {i}",
                    joined_at=joined,
                    arrived_at=joined,
                )
                for i in range(people)
            ]
            headers = factory.organiser_headers(organiser)
            await session.commit()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            scene = Scene(app, settings, organiser, event, attendees, headers, http)
            try:
                yield scene
            finally:
                for socket in scene.sockets:
                    with contextlib.suppress(Exception):
                        await socket.drop()
                async with sessions() as session:
                    await session.execute(delete(Organiser).where(Organiser.id == organiser.id))
                    await session.commit()


def require_postgres(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite runs one process")
