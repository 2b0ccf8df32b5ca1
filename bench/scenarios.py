"""The measurements: offline sync, badge rendering (ingest is in ``ingest``, the live feed in ``feed``).

Each takes a :class:`Context` (a seeded database and its running server) and
returns one :class:`Row`. A scenario whose endpoint the server does not serve yet
is reported as skipped, so the harness runs against whatever has landed.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from bench import loadgen
from bench.plan import Plan
from bench.procs import run_in_process
from bench.report import Row, percentile, rounded
from bench.seed import Person, World
from bench.server import MemorySampler, Server

SCANS = "/api/scans"
BATCH = "/api/scans/batch"
BADGES_PDF = "/api/events/{event_id}/badges.pdf"


@dataclass
class Context:
    plan: Plan
    db: str
    workers: int
    world: World
    server: Server
    endpoints: set[str]
    rng: random.Random = field(default_factory=lambda: random.Random(9))
    _unused: list[Person] = field(default_factory=list)
    _urls: dict[uuid.UUID, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._unused = list(self.world.event.people)
        self.rng.shuffle(self._unused)

    def serves(self, path: str) -> bool:
        return path in self.endpoints

    def url_of(self, person: Person) -> str:
        if person.id not in self._urls:
            self._urls[person.id] = self.world.badge_url(person)
        return self._urls[person.id]

    def fresh(self, count: int) -> list[Person]:
        """``count`` attendees no scenario has used yet in this database."""
        if count > len(self._unused):
            raise RuntimeError(f"the event has too few attendees left for {count} more people")
        chosen, self._unused = self._unused[:count], self._unused[count:]
        return chosen

    def scanners(self, count: int, targets_each: int) -> list[loadgen.Scanner]:
        """``count`` attendees who have not scanned yet in this database, each with distinct targets.

        Every scenario takes fresh scanners, so every pair it sends is a first meeting.
        """
        chosen = self.fresh(count)
        people = self.world.event.people
        out = []
        for person in chosen:
            pool = [
                p for p in self.rng.sample(people, min(len(people), targets_each + 1)) if p.id != person.id
            ]
            out.append(
                loadgen.Scanner(
                    self.world.access_token(person), [self.url_of(p) for p in pool[:targets_each]]
                )
            )
        return out


def host_port(server: Server) -> tuple[str, int]:
    return "127.0.0.1", server.port


# ---------------------------------------------------------------- the ceiling's batch


def ceiling_batch(plan: Plan, server: Server, world: World) -> float | None:
    """Milliseconds for the ceiling to take a batch of the sync's size (p50): sync's baseline."""
    people = world.event.people
    targets = [world.badge_url(people[(k + 1) % len(people)]) for k in range(plan.sync_batch_size)]
    batch = loadgen.Scanner(world.access_token(people[0]), targets)
    host, port = host_port(server)
    spec = loadgen.BatchSpec(host, port, BATCH, [batch] * max(2, plan.sync_batches), plan.sync_seconds)
    result = run_in_process(loadgen.batches, spec, timeout=plan.process_timeout)
    return rounded(percentile(result.batch_ms, 50), 2)


# ---------------------------------------------------------------- offline sync


def sync(ctx: Context, ceiling_batch_ms: float | None) -> Row:
    plan = ctx.plan
    params = {"batches": plan.sync_batches, "batch": plan.sync_batch_size}
    if not ctx.serves(BATCH):
        return Row(
            "sync", ctx.db, ctx.workers, params, status="skipped", note="POST /api/scans/batch not served yet"
        )
    scanners = ctx.scanners(plan.sync_batches, plan.sync_batch_size)
    host, port = host_port(ctx.server)
    spec = loadgen.BatchSpec(host, port, BATCH, scanners, plan.sync_seconds)
    result = run_in_process(loadgen.batches, spec, timeout=plan.process_timeout)
    item_errors = sum(v for k, v in result.item_statuses.items() if not k.startswith("2"))
    request_errors = sum(v for k, v in result.statuses.items() if not k.startswith("2"))
    p50 = percentile(result.batch_ms, 50)
    metrics: dict[str, Any] = {
        "batches": len(result.batch_ms),
        "items": result.items,
        "item_statuses": result.item_statuses,
        "statuses": result.statuses,
        "errors": item_errors + request_errors * plan.sync_batch_size,
        "batch_p50_ms": rounded(p50, 1),
        "batch_mean_ms": rounded(sum(result.batch_ms) / len(result.batch_ms), 1) if result.batch_ms else None,
        "batch_max_ms": rounded(max(result.batch_ms, default=float("nan")), 1),
        "scans_per_s": rounded(plan.sync_batch_size / (p50 / 1000), 0) if result.batch_ms else None,
    }
    if ceiling_batch_ms and result.batch_ms:
        metrics["ceiling_batch_ms"] = ceiling_batch_ms
        metrics["pct_ceiling"] = rounded(100 * ceiling_batch_ms / p50, 1)
    return Row("sync", ctx.db, ctx.workers, params, metrics=metrics, note="; ".join(result.failures[:2]))


# ---------------------------------------------------------------- badge rendering


def badges(ctx: Context, count: int) -> Row:
    params = {"badges": count}
    if not ctx.serves(BADGES_PDF):
        return Row("badges", ctx.db, ctx.workers, params, status="skipped", note="badges.pdf not served yet")
    event = ctx.world.badge_events[count]
    url = f"{ctx.server.url}{BADGES_PDF.format(event_id=event.id)}?layout=a6"
    token = ctx.world.organiser_token()
    with MemorySampler(ctx.server) as memory:
        result = run_in_process(
            loadgen.download, url, token, ctx.plan.badge_timeout, timeout=ctx.plan.badge_timeout + 30
        )
    valid = result.status == 200 and result.head.startswith(b"%PDF") and b"%%EOF" in result.tail
    metrics = {
        "status": result.status,
        "errors": 0 if valid else 1,
        "seconds": rounded(result.seconds, 2),
        "first_byte_s": rounded(result.first_byte_s, 2),
        "badges_per_s": rounded(count / result.seconds, 1),
        "pdf_mb": rounded(result.size / 2**20, 2),
        "rss_before_mb": rounded(memory.first_mb, 1),
        "rss_peak_mb": rounded(memory.peak_mb, 1),
        "rss_growth_mb": rounded(memory.peak_mb - memory.first_mb, 1),
    }
    note = "" if valid else f"not a complete PDF: {result.error[:200]}"
    return Row("badges", ctx.db, ctx.workers, params, metrics=metrics, note=note)
