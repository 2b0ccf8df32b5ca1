"""How much load each mode applies. Every loop is bounded twice: by a count and by seconds."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Plan:
    mode: str
    attendees: int
    # Scan ingest (issue 21): a room of ``room_phones`` phones, each its own token and
    # connections, every scan a new pair. Closed loop at ``ingest_clients`` (each client
    # serves phones in turn, ``scans_per_phone`` scans on one new connection each), then open
    # loop at ``ingest_rates`` (fractions of the product's closed-loop capacity at the most
    # clients). Every window lasts ``ingest_seconds`` and sends at most ``ingest_requests``
    # (the product; a baseline at most ``baseline_requests``), alternated A B A B with the
    # ceiling and the bare hello.
    ingest_clients: tuple[int, ...]
    ingest_requests: int
    ingest_seconds: float
    room_phones: int
    scans_per_phone: int
    ingest_rates: tuple[float, ...]
    baseline_requests: int
    # Load processes driving ingest (their CPU is reported; a saturated one voids the row).
    generator_processes: int
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
    ingest_requests=60_000,
    ingest_seconds=10.0,
    room_phones=5000,
    scans_per_phone=4,
    ingest_rates=(0.5, 0.9, 1.25),
    baseline_requests=200_000,
    generator_processes=2,
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
    ingest_requests=20_000,
    ingest_seconds=2.0,
    room_phones=2000,
    baseline_requests=50_000,
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
    ingest_requests=40,
    ingest_seconds=0.5,
    room_phones=30,
    scans_per_phone=2,
    ingest_rates=(0.5,),
    baseline_requests=400,
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
