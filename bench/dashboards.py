"""Organiser dashboards, many per process: open the live feed, note when each frame arrives.

Runs in its own process (several of them for 1,000 sockets). The orchestrator
talks to it through a queue and two events: the process says ``ready`` once its
sockets have their first frame, records frames until ``finish`` is set, then
waits (bounded) until every socket has reached ``target_seq`` — the database's
last feed number — and returns what each socket saw.

Where the dashboards connect (:func:`serving`): the main server itself, as a small
deployment runs, or a feed-only process beside it (``rencontre serve --feed-only``,
PostgreSQL only), as the README advises for many dashboards; the scenario runs both
ways and reports them side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect

from bench.server import Server

# The two ways dashboards are served: by the server the scans go to, or by a process of their own.
SERVING = ("main", "feed-only")
FEED_ONLY_APP = "rencontre.feed.app:create_feed_app"


def feed_url(base: Server, event_id: uuid.UUID) -> str:
    return f"ws://127.0.0.1:{base.port}/api/events/{event_id}/feed"


@contextlib.contextmanager
def serving(where: str, main: Server, db: str, log_dir: Path) -> Iterator[Server]:
    """The server the dashboards connect to: ``main`` itself, or a feed-only process started
    beside it with the same settings (and stopped after). Its CPU is the dashboards' cost."""
    if where not in SERVING:
        raise ValueError(f"dashboards are served by one of {', '.join(SERVING)}, not {where!r}")
    if where == "main":
        yield main
        return
    if db != "postgresql":
        raise ValueError("a feed-only process needs PostgreSQL: with SQLite one process serves everything")
    feed_only = Server(FEED_ONLY_APP, workers=1, env=main.env, log_dir=log_dir, factory=True).start()
    try:
        yield feed_only
    finally:
        feed_only.stop()


@dataclass
class DashboardSpec:
    url: str  # ws://127.0.0.1:port/api/events/{id}/feed
    tickets: list[str]
    settle_seconds: float
    connect_concurrency: int = 50


@dataclass
class Seen:
    """One dashboard's view: (monotonic time, seq) per frame, and where it ended."""

    frames: list[tuple[float, int]] = field(default_factory=list)
    first_type: str = ""
    last_seq: int = -1
    counts: dict[str, int] = field(default_factory=dict)
    closed: str = ""
    other_messages: int = 0
    bytes: int = 0


@dataclass
class DashboardsResult:
    seen: list[Seen]
    connect_failures: list[str]
    connect_seconds: float
    # This process's CPU while listening: on a 2-core machine the clients compete with the server.
    listen_cpu_seconds: float = 0.0


def run(
    spec: DashboardSpec, status: Queue[Any], finish: Event, target_seq: Synchronized[int]
) -> DashboardsResult:
    try:
        import uvloop

        return uvloop.run(_run(spec, status, finish, target_seq))
    except ImportError:  # pragma: no cover
        return asyncio.run(_run(spec, status, finish, target_seq))


async def _run(
    spec: DashboardSpec, status: Queue[Any], finish: Event, target_seq: Synchronized[int]
) -> DashboardsResult:
    seen = [Seen() for _ in spec.tickets]
    sockets: list[ClientConnection | None] = [None] * len(spec.tickets)
    failures: list[str] = []
    gate = asyncio.Semaphore(spec.connect_concurrency)
    started = time.monotonic()

    async def open_one(i: int) -> None:
        async with gate:
            try:
                socket = await connect(spec.url, open_timeout=60, max_size=2**22, ping_interval=None)
                await socket.send(json.dumps({"type": "auth", "ticket": spec.tickets[i], "last_seq": None}))
                first = await asyncio.wait_for(socket.recv(), timeout=60)
            except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                seen[i].closed = f"connect: {exc}"
                return
            _record(seen[i], first)
            sockets[i] = socket

    await asyncio.gather(*(open_one(i) for i in range(len(spec.tickets))))
    connect_seconds = time.monotonic() - started
    readers = [asyncio.create_task(_read(socket, seen[i])) for i, socket in enumerate(sockets) if socket]
    status.put(("ready", len(readers), failures[:5]))
    cpu_at_ready = time.process_time()

    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, finish.wait)
    target = target_seq.value
    deadline = time.monotonic() + spec.settle_seconds
    while time.monotonic() < deadline:
        if all(s.last_seq >= target or s.closed for s, socket in zip(seen, sockets, strict=True) if socket):
            break
        await asyncio.sleep(0.05)
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    await asyncio.gather(*(socket.close() for socket in sockets if socket), return_exceptions=True)
    return DashboardsResult(
        seen=seen,
        connect_failures=failures,
        connect_seconds=connect_seconds,
        listen_cpu_seconds=time.process_time() - cpu_at_ready,
    )


def _record(seen: Seen, message: str | bytes) -> None:
    at = time.monotonic()
    seen.bytes += len(message)
    frame = json.loads(message)
    kind = frame.get("type")
    if kind not in ("snapshot", "delta"):
        seen.other_messages += 1
        return
    if not seen.first_type:
        seen.first_type = kind
    seq = int(frame["seq"])
    seen.frames.append((at, seq))
    seen.last_seq = seq
    seen.counts = dict(frame.get("counts") or {})


async def _read(socket: ClientConnection, seen: Seen) -> None:
    try:
        async for message in socket:
            _record(seen, message)
    except websockets.ConnectionClosed as closed:
        seen.closed = (
            f"{closed.rcvd.code}: {closed.rcvd.reason}" if closed.rcvd else "dropped, no close frame"
        )
        return
    if socket.close_code is not None:
        seen.closed = f"{socket.close_code}: {socket.close_reason}"
