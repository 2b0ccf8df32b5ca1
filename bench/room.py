"""The room's load, generator side (issue 21): thousands of phones, each its own token and connections.

Runs in the load processes (:func:`bench.procs.run_in_processes`), one :class:`Window`
per process; several processes share a window by starting at the same ``start_at``
(``time.monotonic`` is one clock for every process on Linux). Imports nothing from
``rencontre``: the orchestrator hands over tokens, badge URLs and the pairs to scan.

Two ways to drive it:

- **closed loop** — ``clients`` lanes; a lane takes the next phone, opens a new connection,
  sends that phone's ``scans_per_phone`` scans one after the other, closes, takes the next
  phone. Latency is measured from each send.
- **open loop** — scans arrive at ``rate`` per second whatever the answers' speed; arrival
  ``m`` belongs to phone ``m mod phones``. A phone sends one scan at a time, on its own
  connection, kept while it was used in the last ``KEEPALIVE_S`` (a phone's browser closes
  an idle connection; the server's own keep-alive timeout is longer). Latency is measured
  from the **intended** send time, so a server (or generator) falling behind shows as
  latency instead of silently sending less (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.http import Connection, HttpError, bearer
from bench.loadgen import run_coroutine, scan_item

KEEPALIVE_S = 2.0
LATE_MS = 10.0


@dataclass
class Window:
    host: str
    port: int
    path: str
    tokens: list[str]  # phone i's access token
    urls: list[str]  # attendee j's badge URL
    # (phone, target) in the order they are used; closed loop: runs of ``scans_per_phone``
    # with the same phone. When ``cycle``, the list is reused from the start once spent
    # (a baseline, which checks no pair); otherwise the window ends when it is spent.
    scans: list[tuple[int, int]]
    cycle: bool
    max_requests: int  # this process's count bound for the window (the seconds are the other)
    seconds: float
    start_at: float  # time.monotonic() shared by every process of the window
    clients: int = 0  # closed loop: lanes in this process
    scans_per_phone: int = 1
    rate: float = 0.0  # open loop: this process's arrivals per second
    offset: float = 0.0  # open loop: this process's first arrival, after start_at
    collect_ids: bool = False  # the client ids of acknowledged scans, for the truth checks


@dataclass
class WindowResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    ok_ids: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    started: float = 0.0  # monotonic
    ended: float = 0.0  # the last answer, monotonic
    cpu_s: float = 0.0  # this process's CPU over the window
    wall_s: float = 0.0
    scheduled: int = 0  # open loop: arrivals due within the window
    unsent: int = 0  # open loop: due but never sent (the phone was still waiting)
    max_lag_ms: float = 0.0  # open loop: the latest a send left after its intended time
    late: int = 0  # open loop: arrivals the generator itself dispatched over LATE_MS late
    connections: int = 0  # connections opened


class _Recorder:
    def __init__(self, spec: Window) -> None:
        self.spec = spec
        self.result = WindowResult()
        self.statuses: Counter[str] = Counter()
        self.connections = 0

    def connection(self) -> Connection:
        self.connections += 1
        return Connection(self.spec.host, self.spec.port)

    async def scan(self, connection: Connection, phone: int, target: int, n: int, since: float) -> None:
        spec = self.spec
        body = scan_item(spec.urls[target], n)
        try:
            status, payload = await connection.post_json(spec.path, body, bearer(spec.tokens[phone]))
        except HttpError as exc:
            self.statuses["connection"] += 1
            self._failure(str(exc))
            return
        self.result.latencies_ms.append((time.perf_counter() - since) * 1000)
        self.result.ended = time.monotonic()
        self.statuses[str(status)] += 1
        if status >= 400:
            self._failure(f"{status}: {str(payload)[:300]}")
        elif spec.collect_ids:
            self.result.ok_ids.append(body["client_id"])

    def _failure(self, message: str) -> None:
        if len(self.result.failures) < 20:
            self.result.failures.append(message)

    def finish(self, cpu_start: float) -> WindowResult:
        self.result.cpu_s = time.process_time() - cpu_start
        self.result.wall_s = max(1e-9, time.monotonic() - self.spec.start_at)
        self.result.statuses = dict(self.statuses)
        self.result.connections = self.connections
        self.result.started = self.spec.start_at
        return self.result


def closed_loop(spec: Window) -> WindowResult:
    return run_coroutine(_closed_loop(spec))


def open_loop(spec: Window) -> WindowResult:
    return run_coroutine(_open_loop(spec))


async def _wait_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


async def _closed_loop(spec: Window) -> WindowResult:
    recorder = _Recorder(spec)
    sessions = [
        spec.scans[i : i + spec.scans_per_phone] for i in range(0, len(spec.scans), spec.scans_per_phone)
    ]
    next_session = 0
    await _wait_until(spec.start_at)
    cpu_start = time.process_time()
    end = spec.start_at + spec.seconds

    budget = spec.max_requests

    async def lane() -> None:
        nonlocal next_session, budget
        while time.monotonic() < end and budget > 0:
            if next_session >= len(sessions):
                if not spec.cycle or not sessions:
                    return
                next_session = 0
            session = sessions[next_session]
            next_session += 1
            async with recorder.connection() as connection:
                for n, (phone, target) in enumerate(session):
                    if time.monotonic() >= end or budget <= 0:
                        break
                    budget -= 1
                    await recorder.scan(connection, phone, target, n, time.perf_counter())

    await asyncio.gather(*(lane() for _ in range(spec.clients)))
    return recorder.finish(cpu_start)


async def _open_loop(spec: Window) -> WindowResult:
    recorder = _Recorder(spec)
    result = recorder.result
    phones = sorted({phone for phone, _ in spec.scans})
    locks = {phone: asyncio.Lock() for phone in phones}
    connections: dict[int, Connection] = {}
    last_used: dict[int, float] = {}
    interval = 1.0 / spec.rate
    await _wait_until(spec.start_at)
    cpu_start = time.process_time()
    first = spec.start_at + spec.offset
    end = spec.start_at + spec.seconds
    # A server slower than the rate falls behind: answers are awaited a while after the window.
    hard_end = end + max(3.0, spec.seconds / 2)
    sent = 0

    async def fire(m: int, due: float) -> None:
        nonlocal sent
        phone, target = spec.scans[m % len(spec.scans)]
        async with locks[phone]:
            now = time.monotonic()
            if now >= hard_end:
                return
            result.max_lag_ms = max(result.max_lag_ms, (now - due) * 1000)
            connection = connections.get(phone)
            if connection is not None and now - last_used[phone] > KEEPALIVE_S:
                await connection.close()
                connection = None
            if connection is None:
                connection = connections[phone] = recorder.connection()
            sent += 1
            # Measured from the intended time: the wait behind this phone's previous scan,
            # or behind a late generator, is part of it.
            await recorder.scan(connection, phone, target, m, time.perf_counter() - (now - due))
            last_used[phone] = time.monotonic()

    tasks: list[asyncio.Task[None]] = []
    m = 0
    while True:
        due = first + m * interval
        if due >= end or m >= spec.max_requests or (not spec.cycle and m >= len(spec.scans)):
            break
        now = time.monotonic()
        if due > now:
            await asyncio.sleep(due - now)
        elif (now - due) * 1000 > LATE_MS:
            result.late += 1
        tasks.append(asyncio.create_task(fire(m, due)))
        m += 1
    result.scheduled = m
    if tasks:
        _done, pending = await asyncio.wait(tasks, timeout=max(0.0, hard_end - time.monotonic()))
        for task in pending:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*pending, return_exceptions=True)
    result.unsent = m - sent
    answered = sum(recorder.statuses.values())
    if answered < sent:
        recorder.statuses["timeout"] += sent - answered
    out = recorder.finish(cpu_start)
    await asyncio.gather(*(c.close() for c in connections.values()))
    return out
