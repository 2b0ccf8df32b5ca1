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

import ipaddress
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
    _limiter = SlidingWindowCounterRateLimiter(MemoryStorage())
