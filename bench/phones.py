"""Attendees' phones on the live channel, many per process: note when each round's seat arrives.

Runs in its own process (several for 1,000 sockets), like ``bench.dashboards``. Each
phone signs in with its ticket and waits for the session's first frame, then the
process says ``ready``; from then on it notes, per phone, the time (``time.monotonic``,
the same clock in every process) of the first frame that seats it in ``round_``, and the
badges of the people at its table. It returns when every phone is seated or ``finish``
is set and ``settle_seconds`` have passed.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect


@dataclass
class PhonesSpec:
    url: str  # ws://127.0.0.1:port/api/me/live
    tickets: list[str]
    round_: int
    settle_seconds: float
    connect_concurrency: int = 50


@dataclass
class Phone:
    seated_at: float | None = None
    mates: list[str] = field(default_factory=list)  # the badges of the people at the table
    frames: int = 0
    closed: str = ""


@dataclass
class PhonesResult:
    phones: list[Phone]
    connect_failures: list[str]


def run(spec: PhonesSpec, status: Queue[Any], finish: Event) -> PhonesResult:
    try:
        import uvloop

        return uvloop.run(_run(spec, status, finish))
    except ImportError:  # pragma: no cover
        return asyncio.run(_run(spec, status, finish))


async def _run(spec: PhonesSpec, status: Queue[Any], finish: Event) -> PhonesResult:
    phones = [Phone() for _ in spec.tickets]
    sockets: list[ClientConnection | None] = [None] * len(spec.tickets)
    failures: list[str] = []
    gate = asyncio.Semaphore(spec.connect_concurrency)

    async def open_one(i: int) -> None:
        async with gate:
            try:
                socket = await connect(spec.url, open_timeout=60, max_size=2**20, ping_interval=None)
                await socket.send(json.dumps({"type": "auth", "ticket": spec.tickets[i], "versions": {}}))
                _record(phones[i], await asyncio.wait_for(socket.recv(), timeout=60), spec.round_)
            except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                phones[i].closed = f"connect: {exc}"
                return
            sockets[i] = socket

    await asyncio.gather(*(open_one(i) for i in range(len(spec.tickets))))
    readers = [
        asyncio.create_task(_read(socket, phones[i], spec.round_))
        for i, socket in enumerate(sockets)
        if socket
    ]
    status.put(("ready", len(readers), failures[:5]))
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, finish.wait)
    deadline = time.monotonic() + spec.settle_seconds
    while time.monotonic() < deadline:
        if all(p.seated_at is not None or p.closed for p, s in zip(phones, sockets, strict=True) if s):
            break
        await asyncio.sleep(0.05)
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    await asyncio.gather(*(socket.close() for socket in sockets if socket), return_exceptions=True)
    return PhonesResult(phones=phones, connect_failures=failures)


def _record(phone: Phone, message: str | bytes, round_: int) -> None:
    at = time.monotonic()
    phone.frames += 1
    frame = json.loads(message)
    if frame.get("type") != "session" or phone.seated_at is not None:
        return
    seat = frame["session"].get("seat")
    if seat and seat["round"] == round_:
        phone.seated_at = at
        phone.mates = [mate["badge"] for mate in seat["people"] if mate.get("badge")]


async def _read(socket: ClientConnection, phone: Phone, round_: int) -> None:
    try:
        async for message in socket:
            _record(phone, message, round_)
    except websockets.ConnectionClosed as closed:
        phone.closed = (
            f"{closed.rcvd.code}: {closed.rcvd.reason}" if closed.rcvd else "dropped, no close frame"
        )
