"""Request rate limits with the ``limits`` library (moving window, in memory).

Per process: with several instances each one enforces the limit on its own share,
which is what protects it from scripted scraping.
"""

from __future__ import annotations

import math
import time

from fastapi import Request
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from rencontre.errors import TooManyRequests

_storage = MemoryStorage()
_limiter = MovingWindowRateLimiter(_storage)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limit(request: Request, scope: str, rate: str, *, key: str | None = None) -> None:
    """Count one hit for ``key`` (default: the client address) or raise 429."""
    item = parse(rate)
    identity = key or client_address(request)
    if _limiter.hit(item, scope, identity):
        return
    reset_at, _remaining = _limiter.get_window_stats(item, scope, identity)
    retry_after = max(1, math.ceil(reset_at - time.time()))
    raise TooManyRequests(f"Too many requests; try again in {retry_after} s.", retry_after=retry_after)


def reset() -> None:
    _storage.reset()
