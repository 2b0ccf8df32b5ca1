"""Request rate limits with the ``limits`` library (sliding window counter, in memory).

The asyncio flavour of the library: its in-memory storage expires entries from a
task on the event loop, where the threaded one starts an OS thread every few
milliseconds from the request path. A sliding window counter (two counters per key,
the previous window's weighted by how much of it still overlaps) rather than a moving
window: the moving window's expiry pass hands every key's list of hits to a thread,
one hop per attendee, every few milliseconds under a scanning rush. Per process: with
several instances each one enforces the limit on its own share, which is what
protects it from scraping.

The library's memory storage also forgets expired counters in a pass over every key,
started again after each hit whenever the last pass has finished: under a scanning
rush its cost grows with the number of attendees. ``RoomSizedStorage`` files each
counter under the second it expires instead, and forgets only the seconds that have
passed: each counter is looked at once, so the cost per hit stays the same for 50 or
50,000 attendees.
"""

from __future__ import annotations

import heapq
import ipaddress
import math
import time
from functools import lru_cache

from fastapi import Request
from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from rencontre.errors import TooManyRequests


class RoomSizedStorage(MemoryStorage):
    """``limits``' memory storage whose expiry costs O(1) per hit, amortised (see above).

    Only the sliding window counter is used here (``incr``/``get``): expired counters are
    already ignored by ``get``; this class only takes over the memory reclaiming.
    """

    def __init__(self) -> None:
        super().__init__()
        # Expiry second → the keys whose counter expires within it, and those seconds in a heap.
        self._due: dict[int, list[str]] = {}
        self._seconds: list[int] = []
        self._swept_to = math.floor(time.time())

    async def _MemoryStorage__schedule_expiry(self) -> None:
        # Replaces the library's pass over every key, scheduled by incr and decr.
        self._forget_expired(time.time())

    def _forget_expired(self, now: float) -> None:
        second = math.floor(now)
        if second <= self._swept_to:
            return
        while self._seconds and self._seconds[0] < second:
            for key in self._due.pop(heapq.heappop(self._seconds)):
                if self.expirations.get(key, math.inf) <= now:
                    self.storage.pop(key, None)
                    self.expirations.pop(key, None)
                    self.locks.pop(key, None)
        self._swept_to = second

    async def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        before = self.expirations.get(key)
        count = await super().incr(key, expiry, amount)
        expires = self.expirations.get(key)
        if expires is not None and expires != before:
            due = math.floor(expires)
            if due not in self._due:
                self._due[due] = []
                heapq.heappush(self._seconds, due)
            self._due[due].append(key)
        return count


_limiter = SlidingWindowCounterRateLimiter(RoomSizedStorage())


@lru_cache(maxsize=64)
def _rate(text: str) -> RateLimitItem:
    return parse(text)


def client_address(request: Request) -> str:
    """Who a per-address limit counts: behind a trusted proxy (RENCONTRE_FORWARDED_ALLOW_IPS)
    uvicorn has already put the forwarded client here, so a venue's proxy is not one caller."""
    return address_key(request.client.host if request.client else "")


def address_key(host: str) -> str:
    """An IPv6 client is counted by its /64: one subscriber or host is routinely given the
    whole /64, and would otherwise have 2^64 addresses to spread its attempts over."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@lru_cache(maxsize=64)
def _with_burst(text: str, burst: int) -> RateLimitItem:
    """``rate`` on average, but ``burst`` at once: ``burst`` hits in the time ``rate`` takes to
    allow that many (120/minute with a burst of 600 is 600 per 5 minutes)."""
    rate = _rate(text)
    if burst <= rate.amount:
        return rate
    return RateLimitItemPerSecond(burst, math.ceil(burst * rate.get_expiry() / rate.amount))


async def limit(
    request: Request,
    scope: str,
    rate: str,
    *,
    key: str | None = None,
    cost: int = 1,
    burst: int = 0,
    refusal: type[TooManyRequests] = TooManyRequests,
    detail: str = "Too many requests; try again in {retry_after} s.",
) -> None:
    """Count ``cost`` hits for ``key`` (default: the client address) or raise ``refusal`` (429,
    counting none)."""
    await consume(
        scope, rate, key or client_address(request), cost=cost, burst=burst, refusal=refusal, detail=detail
    )


async def consume(
    scope: str,
    rate: str,
    key: str,
    *,
    cost: int = 1,
    burst: int = 0,
    refusal: type[TooManyRequests] = TooManyRequests,
    detail: str = "Too many requests; try again in {retry_after} s.",
) -> None:
    """Count ``cost`` hits for ``key`` in ``scope`` or raise ``refusal``, whose detail names the wait."""
    item = _with_burst(rate, burst) if burst else _rate(rate)
    # A request dearer than the whole budget could never pass: it takes the whole budget instead.
    if await _limiter.hit(item, scope, key, cost=max(1, min(cost, item.amount))):
        return
    stats = await _limiter.get_window_stats(item, scope, key)
    retry_after = max(1, math.ceil(stats.reset_time - time.time()))
    raise refusal(detail.format(retry_after=retry_after), retry_after=retry_after)


async def allows(scope: str, rate: str, key: str) -> bool:
    """Whether one more hit would be allowed, without counting one."""
    return await _limiter.test(_rate(rate), scope, key)


async def record(scope: str, rate: str, key: str) -> None:
    """Count one hit whatever the count already is (an outcome, e.g. a failed sign-in)."""
    await _limiter.hit(_rate(rate), scope, key)


async def has_hits(scope: str, rate: str, key: str) -> bool:
    """Whether ``key`` was counted at all within the rate's window."""
    item = _rate(rate)
    stats = await _limiter.get_window_stats(item, scope, key)
    return stats.remaining < item.amount


async def seconds_until_free(scope: str, rate: str, key: str) -> int:
    stats = await _limiter.get_window_stats(_rate(rate), scope, key)
    return max(1, math.ceil(stats.reset_time - time.time()))


def reset() -> None:
    """Forget every count (tests start each case from zero)."""
    global _limiter
    _limiter = SlidingWindowCounterRateLimiter(RoomSizedStorage())
