"""How much load each mode applies. Every loop is bounded twice: by a count and by seconds."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Plan:
    mode: str
    attendees: int
    # Scan ingest: closed loop, one scanner (and connection) per client.
    ingest_clients: tuple[int, ...]
    ingest_requests: int
    ingest_seconds: float
    # Offline sync: phones flushing their queue one after the other.
    sync_batches: int
    sync_batch_size: int
    sync_seconds: float  # no new batch is sent after this
    # Live feed: dashboards connected while scans arrive at a fixed rate.
    feed_dashboards: int
    feed_processes: int
    feed_rate: float
    feed_scanners: int
    feed_seconds: float
    feed_baseline_seconds: float
    # Formats: phones on the live channel while a session's round starts, then every pair
    # saving each other within ``formats_burst_seconds``; the pairing of a large round.
    formats_phones: int
    formats_processes: int
    formats_burst_seconds: float
    formats_pairing_people: int
    # Badge rendering: one PDF per count, each of an event with exactly that many attendees.
    badge_counts: tuple[int, ...]
    badge_timeout: float
    # Whole-run safety net for any one load process.
    process_timeout: float = 300.0


FULL = Plan(
    mode="full",
    attendees=5000,
    ingest_clients=(16, 64),
    ingest_requests=6000,
    ingest_seconds=10.0,
    sync_batches=6,
    sync_batch_size=500,
    sync_seconds=45.0,
    feed_dashboards=1000,
    feed_processes=2,
    feed_rate=200.0,
    feed_scanners=100,
    feed_seconds=10.0,
    feed_baseline_seconds=5.0,
    formats_phones=1000,
    formats_processes=2,
    formats_burst_seconds=3.0,
    formats_pairing_people=2000,
    badge_counts=(250, 1000),
    badge_timeout=120.0,
)

QUICK = replace(
    FULL,
    mode="quick",
    attendees=2000,
    ingest_requests=2000,
    ingest_seconds=3.0,
    sync_batches=2,
    sync_seconds=5.0,
    feed_dashboards=200,
    feed_processes=1,
    feed_seconds=3.0,
    feed_baseline_seconds=1.5,
    formats_phones=200,
    formats_processes=1,
    badge_counts=(50, 200),
    badge_timeout=60.0,
)

# For `make test`: proves the code runs end to end, measures nothing worth reading.
TINY = replace(
    FULL,
    mode="tiny",
    attendees=60,
    ingest_clients=(2,),
    ingest_requests=20,
    ingest_seconds=3.0,
    sync_batches=1,
    sync_batch_size=20,
    sync_seconds=5.0,
    feed_dashboards=4,
    feed_processes=1,
    feed_rate=20.0,
    feed_scanners=4,
    feed_seconds=1.0,
    feed_baseline_seconds=0.5,
    formats_phones=4,
    formats_processes=1,
    formats_burst_seconds=1.0,
    formats_pairing_people=50,
    badge_counts=(3, 6),
    badge_timeout=30.0,
    process_timeout=60.0,
)

PLANS = {p.mode: p for p in (FULL, QUICK, TINY)}
