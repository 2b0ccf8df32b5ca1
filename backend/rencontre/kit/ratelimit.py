"""Request rate limits with the ``limits`` library (sliding window counter, in memory).

The asyncio flavour of the library: its in-memory storage expires entries from a
task on the event loop, where the threaded one starts an OS thread every few
milliseconds from the request path. A sliding window counter (two counters per key,
the previous window's weighted by how much of it still overlaps) rather than a moving
window: the moving window's expiry pass hands every key's list of hits to a thread,
one hop per attendee, every few milliseconds under a scanning rush. Per process: with
several instances each one enforces the limit on its own share, which is what
protects it from scraping.
"""

from __future__ import annotations

import math
import time
from functools import lru_cache

from fastapi import Request
from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from rencontre.errors import TooManyRequests

_limiter = SlidingWindowCounterRateLimiter(MemoryStorage())


@lru_cache(maxsize=64)
def _rate(text: str) -> RateLimitItem:
    return parse(text)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@lru_cache(maxsize=64)
def _with_burst(text: str, burst: int) -> RateLimitItem:
    """``rate`` on average, but ``burst`` at once: ``burst`` hits in the time ``rate`` takes to
    allow that many (120/minute with a burst of 600 is 600 per 5 minutes)."""
    rate = _rate(text)
    if burst <= rate.amount:
        return rate
    return RateLimitItemPerSecond(burst, math.ceil(burst * rate.get_expiry() / rate.amount))


async def limit(
    request: Request, scope: str, rate: str, *, key: str | None = None, cost: int = 1, burst: int = 0
) -> None:
    """Count ``cost`` hits for ``key`` (default: the client address) or raise 429 (counting none)."""
    item = _with_burst(rate, burst) if burst else _rate(rate)
    identity = key or client_address(request)
    # A request dearer than the whole budget could never pass: it takes the whole budget instead.
    if await _limiter.hit(item, scope, identity, cost=max(1, min(cost, item.amount))):
        return
    stats = await _limiter.get_window_stats(item, scope, identity)
    retry_after = max(1, math.ceil(stats.reset_time - time.time()))
    raise TooManyRequests(f"Too many requests; try again in {retry_after} s.", retry_after=retry_after)


def reset() -> None:
    """Forget every count (tests start each case from zero)."""
    global _limiter
    _limiter = SlidingWindowCounterRateLimiter(MemoryStorage())
