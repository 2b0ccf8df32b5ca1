"""The rate limiter's memory storage forgets expired counters without walking every key:
its cost per hit must not grow with the number of attendees (issue: a pass over all keys
after each hit under a scanning rush)."""

from __future__ import annotations

import asyncio
import time

import pytest
from limits import parse
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from rencontre.kit.ratelimit import RoomSizedStorage


class CountingDict(dict[str, float]):
    """A dict that counts how many times it is walked key by key."""

    walks = 0

    def keys(self):  # type: ignore[override]
        CountingDict.walks += 1
        return super().keys()

    def __iter__(self):  # type: ignore[override]
        CountingDict.walks += 1
        return super().__iter__()


async def _hits(storage: RoomSizedStorage, keys: int) -> None:
    limiter = SlidingWindowCounterRateLimiter(storage)
    rate = parse("100/second")
    for n in range(keys):
        assert await limiter.hit(rate, "scan", f"attendee-{n}")


def test_no_pass_over_every_key() -> None:
    async def run() -> None:
        storage = RoomSizedStorage()
        storage.expirations = CountingDict()
        CountingDict.walks = 0
        await _hits(storage, 5_000)
        # Let the library's own expiry task run, were it scheduled.
        await asyncio.sleep(0.05)
        assert CountingDict.walks == 0

    asyncio.run(run())


def test_expired_counters_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    async def run() -> None:
        storage = RoomSizedStorage()
        await _hits(storage, 1_000)
        assert len(storage.storage) == 1_000
        # The sliding window keeps a counter for twice the window (2 s here); later, one
        # hit forgets the rest.
        later = time.time() + 5
        monkeypatch.setattr(time, "time", lambda: later)
        await _hits(storage, 1)
        assert len(storage.storage) == 1
        assert len(storage.expirations) == 1
        assert len(storage._due) == 1

    asyncio.run(run())


def test_limits_still_hold() -> None:
    async def run() -> None:
        limiter = SlidingWindowCounterRateLimiter(RoomSizedStorage())
        rate = parse("3/minute")
        assert [await limiter.hit(rate, "join", "a") for _ in range(4)] == [True, True, True, False]
        assert await limiter.hit(rate, "join", "b")

    asyncio.run(run())
