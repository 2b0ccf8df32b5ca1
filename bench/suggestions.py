"""Suggestions ("people for you") on the bench's 5,000-person event.

Every attendee gets a made-up who-to-meet profile (French and English offers, seeks and
interests from :mod:`devtools.rooms`) and joins the directory. Then, measured:

- **full**: every list of the event recomputed from scratch (read, score, assign, write),
  in this process against the bench database, as ``rencontre`` would on its own;
- **one change**: one person's profile edited, then the lists that change recomputed and
  written (that person's row and column): the time before the neighbours' lists show it;
- **serving**: ``GET /api/suggestions`` from the server under a closed loop of readers
  (each with their own token), p50 / p99;
- **spread**: how many readers each person is suggested to: nobody in the directory at
  zero, the most-suggested under 5 % of the room.

Beside them, **calibration**: a fixed pure-Python loop timed before and after the scenario
(about 0.21 s on this machine when it is quiet). On a shared machine it says how much of
a figure is the machine's load: compare runs only at similar calibrations.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from datetime import timedelta

import httpx
from sqlalchemy import func, select, update

from bench.report import Row, percentile, rounded
from bench.scenarios import Context
from devtools.rooms import made_up_room
from rencontre.config import Settings
from rencontre.db import create_engine, create_session_factory
from rencontre.kit.time import utcnow
from rencontre.models import Attendee, Event, Suggestion
from rencontre.suggestions import engine

READERS = 200
CONCURRENCY = 16
# Serving load per mode: requests at most, seconds at most.
SERVING = {"full": (3000, 10.0), "quick": (1000, 4.0), "tiny": (40, 2.0)}
CHANGES = 5


CALIBRATION_LOOP = 5_000_000


def calibration() -> float:
    """Seconds a fixed CPU loop takes in this process: the machine's load, seen from here."""
    started = time.perf_counter()
    total = 0
    for i in range(CALIBRATION_LOOP):
        total += i * i
    return time.perf_counter() - started


def suggestions(ctx: Context, settings: Settings) -> Row:
    before = calibration()
    row = asyncio.run(_suggestions(ctx, settings))
    row.metrics["calibration_before_s"] = rounded(before, 3)
    row.metrics["calibration_after_s"] = rounded(calibration(), 3)
    return row


async def _suggestions(ctx: Context, settings: Settings) -> Row:
    event_id = ctx.world.event.id
    people = ctx.world.event.people
    db_engine = create_engine(settings)
    factory = create_session_factory(db_engine)
    try:
        made_up = made_up_room(len(people), seed=5000)
        async with factory() as session, session.begin():
            await session.execute(
                update(Event)
                .where(Event.id == event_id)
                .values(directory_opens_at=utcnow() - timedelta(hours=1))
            )
            await session.execute(
                update(Attendee),
                [
                    {
                        "id": person.id,
                        "company": profile.company,
                        "objectives": list(profile.objectives),
                        "interests": list(profile.interests),
                        "offers": list(profile.offers),
                        "seeks": list(profile.seeks),
                        "open_to_chat": profile.open_to_chat,
                        "directory_opt_in": True,
                    }
                    for person, profile in zip(people, made_up, strict=True)
                ],
            )
        full = await engine.recompute_event(factory, settings, event_id)

        rng = random.Random(18)
        change_seconds = []
        for person in rng.sample(people, min(CHANGES, len(people))):
            other = rng.choice(made_up)
            async with factory() as session, session.begin():
                await session.execute(
                    update(Attendee)
                    .where(Attendee.id == person.id)
                    .values(
                        offers=list(other.offers), seeks=list(other.seeks), interests=list(other.interests)
                    )
                )
            changed = await engine.refresh(factory, settings, event_id, changed=person.id)
            change_seconds.append(changed.seconds)

        alone = await _serve(ctx, rng, concurrency=1)
        loaded_started = time.monotonic()
        latencies = await _serve(ctx, rng, concurrency=CONCURRENCY)
        loaded_seconds = time.monotonic() - loaded_started

        async with factory() as session:
            counts = dict(
                (
                    await session.execute(
                        select(Suggestion.person_id, func.count())
                        .where(Suggestion.event_id == event_id)
                        .group_by(Suggestion.person_id)
                    )
                ).all()
            )
    finally:
        await db_engine.dispose()
    times = [counts.get(person.id, 0) for person in people]
    room = len(people)
    return Row(
        "suggestions",
        ctx.db,
        ctx.workers,
        {"attendees": room},
        metrics={
            "full_recompute_s": rounded(full.seconds, 2),
            "one_change_s": rounded(statistics.median(change_seconds), 3),
            "one_change_max_s": rounded(max(change_seconds), 3),
            # One reader at a time: the time a request takes; then CONCURRENCY readers at once.
            "serving_p50_ms": rounded(percentile(alone, 50), 1),
            "serving_p99_ms": rounded(percentile(alone, 99), 1),
            "loaded_requests": len(latencies),
            "loaded_p50_ms": rounded(percentile(latencies, 50), 1),
            "loaded_p99_ms": rounded(percentile(latencies, 99), 1),
            "loaded_rps": rounded(len(latencies) / loaded_seconds, 1),
            "suggested_min": min(times),
            "suggested_max": max(times),
            "suggested_max_pct_of_room": rounded(100 * max(times) / room, 2),
            "suggested_at_zero": sum(1 for n in times if n == 0),
        },
    )


async def _serve(ctx: Context, rng: random.Random, *, concurrency: int) -> list[float]:
    """Closed loop: ``concurrency`` readers at a time, bounded by a count and by seconds."""
    people = ctx.world.event.people
    readers = rng.sample(people, min(READERS, len(people)))
    tokens = [ctx.world.access_token(person) for person in readers]
    latencies: list[float] = []
    requests, seconds = SERVING[ctx.plan.mode]
    base = f"http://127.0.0.1:{ctx.server.port}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for token in tokens[:concurrency]:  # warm-up, unmeasured
            await client.get("/api/suggestions", headers={"Authorization": f"Bearer {token}"})
        deadline = time.monotonic() + seconds

        async def reader(index: int) -> None:
            sent = index
            while sent < requests and time.monotonic() < deadline:
                token = tokens[sent % len(tokens)]
                started = time.perf_counter()
                response = await client.get("/api/suggestions", headers={"Authorization": f"Bearer {token}"})
                latencies.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                sent += concurrency

        await asyncio.gather(*(reader(i) for i in range(concurrency)))
    return latencies
