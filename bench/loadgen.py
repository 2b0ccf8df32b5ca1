"""The load generator: runs in its own process, never in the server's nor the orchestrator's.

Each function here takes a plain, picklable spec and returns plain data (lists of
numbers, counters), so that :func:`bench.procs.run_in_process` can run it in a
fresh interpreter. It imports nothing from ``rencontre``: the orchestrator mints
tokens and badge URLs and hands them over.

Clocks: latencies use ``time.perf_counter``; timestamps compared across processes
(a scan's answer against a dashboard's frame) use ``time.monotonic``, which on
Linux is the same system-wide clock in every process.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from bench.http import Connection, HttpError, bearer

T = TypeVar("T")

NOTES = (
    "Met at the coffee stand; wants a demo next week",
    "Hiring two backend developers, send CV",
    "Organises a meetup in Lyon — speaker slot?",
    "",
)
TAGS: tuple[list[str], ...] = (["lead"], ["hiring"], [], ["partner", "follow-up"])


def scan_item(qr: str, n: int) -> dict[str, Any]:
    """A scan as the PWA sends it: a fresh client id, the badge URL, sometimes a note and tags."""
    return {"client_id": str(uuid.uuid4()), "qr": qr, "note": NOTES[n % 4], "tags": TAGS[n % 4]}


@dataclass
class Scanner:
    """One phone: its access token and the badges it will scan, in order."""

    token: str
    targets: list[str]


@dataclass
class BatchSpec:
    host: str
    port: int
    path: str
    scanners: list[Scanner]  # one batch per scanner: all of its targets
    max_seconds: float


@dataclass
class BatchResult:
    batch_ms: list[float] = field(default_factory=list)
    items: int = 0
    item_statuses: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def batches(spec: BatchSpec) -> BatchResult:
    """Phones coming back online one after the other, each flushing its queue in one request."""
    return run_coroutine(_batches(spec))


async def _batches(spec: BatchSpec) -> BatchResult:
    result = BatchResult()
    statuses: Counter[str] = Counter()
    item_statuses: Counter[str] = Counter()
    deadline = time.perf_counter() + spec.max_seconds
    async with Connection(spec.host, spec.port, timeout=120) as connection:
        for scanner in spec.scanners:
            if time.perf_counter() > deadline:
                break
            items = [scan_item(qr, n) for n, qr in enumerate(scanner.targets)]
            start = time.perf_counter()
            try:
                status, payload = await connection.post_json(
                    spec.path, {"items": items}, bearer(scanner.token)
                )
            except HttpError as exc:
                statuses["connection"] += 1
                result.failures.append(str(exc))
                continue
            result.batch_ms.append((time.perf_counter() - start) * 1000)
            statuses[str(status)] += 1
            result.items += len(items)
            if status >= 400:
                result.failures.append(f"{status}: {str(payload)[:300]}")
                continue
            for item in payload.get("results", []) if isinstance(payload, dict) else []:
                item_statuses[str(item.get("http_status", item.get("status")))] += 1
                if item.get("status") == "error" and len(result.failures) < 20:
                    result.failures.append(f"item: {item.get('detail')}")
    result.statuses = dict(statuses)
    result.item_statuses = dict(item_statuses)
    return result


@dataclass
class OpenLoopSpec:
    host: str
    port: int
    path: str
    scanners: list[Scanner]
    rate: float  # scans per second, spread over the scanners
    seconds: float


@dataclass
class TimedScan:
    client_id: str
    sent_at: float  # time.monotonic()
    answered_at: float
    status: int | None


@dataclass
class OpenLoopResult:
    scans: list[TimedScan] = field(default_factory=list)
    scheduled: int = 0
    elapsed_s: float = 0.0
    cpu_s: float = 0.0
    max_lag_ms: float = 0.0
    failures: list[str] = field(default_factory=list)


def open_loop(spec: OpenLoopSpec) -> OpenLoopResult:
    """Scans at a fixed rate, whatever the answers' speed (as people scan, not as fast as possible)."""
    return run_coroutine(_open_loop(spec))


async def _open_loop(spec: OpenLoopSpec) -> OpenLoopResult:
    result = OpenLoopResult()
    count = len(spec.scanners)
    interval = count / spec.rate  # each scanner's own period
    connections = [Connection(spec.host, spec.port) for _ in spec.scanners]
    # Open the connections first: the measured phase starts with them ready.
    await asyncio.gather(*(c.get_json("/api/health") for c in connections))
    start = time.monotonic() + 0.05
    cpu_start = time.process_time()
    end = start + spec.seconds
    # A server slower than the rate falls behind the schedule: stop sending anyway, a bit later.
    hard_end = end + max(2.0, spec.seconds / 2)

    async def scanner_task(i: int) -> None:
        scanner = spec.scanners[i]
        due = start + i * interval / count
        for n, qr in enumerate(scanner.targets):
            if due >= end or time.monotonic() >= hard_end:
                return
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                result.max_lag_ms = max(result.max_lag_ms, -delay * 1000)
            body = scan_item(qr, n)
            sent_at = time.monotonic()
            try:
                status, payload = await connections[i].post_json(spec.path, body, bearer(scanner.token))
            except HttpError as exc:
                status, payload = None, str(exc)
            answered_at = time.monotonic()
            result.scans.append(TimedScan(body["client_id"], sent_at, answered_at, status))
            if (status is None or status >= 400) and len(result.failures) < 20:
                result.failures.append(f"{status}: {str(payload)[:300]}")
            due += interval

    await asyncio.gather(*(scanner_task(i) for i in range(count)))
    result.elapsed_s = time.monotonic() - start
    result.cpu_s = time.process_time() - cpu_start
    result.scheduled = min(sum(len(s.targets) for s in spec.scanners), int(spec.rate * spec.seconds))
    await asyncio.gather(*(c.close() for c in connections))
    return result


@dataclass
class Download:
    status: int
    size: int
    seconds: float
    first_byte_s: float
    head: bytes
    tail: bytes
    error: str = ""


def download(url: str, token: str, timeout: float) -> Download:
    """Stream a response to the end, keeping only its size and ends (runs in a load process)."""
    start = time.perf_counter()
    first = 0.0
    size = 0
    head = tail = b""
    with httpx.stream("GET", url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout) as response:
        for chunk in response.iter_bytes():
            if not first:
                first = time.perf_counter() - start
            if len(head) < 16:
                head += chunk[:16]
            size += len(chunk)
            tail = (tail + chunk)[-32:]
        if response.status_code != 200:
            return Download(
                response.status_code,
                size,
                time.perf_counter() - start,
                first,
                head,
                tail,
                tail.decode("utf-8", "replace"),
            )
    return Download(response.status_code, size, time.perf_counter() - start, first, head, tail)


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)
