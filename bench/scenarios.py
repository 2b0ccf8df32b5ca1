"""The measurements: ceiling, scan ingest, offline sync, badge rendering (the live feed is in ``feed``).

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


def _latency_metrics(result: loadgen.LoadResult) -> dict[str, Any]:
    errors = sum(v for k, v in result.statuses.items() if not k.startswith("2"))
    ok = result.sent - errors
    return {
        "requests": result.sent,
        "ok": ok,
        "errors": errors,
        "statuses": result.statuses,
        "seconds": rounded(result.elapsed_s, 2),
        "rps": rounded(ok / result.elapsed_s if result.elapsed_s else 0.0, 1),
        "p50_ms": rounded(percentile(result.latencies_ms, 50), 2),
        "p90_ms": rounded(percentile(result.latencies_ms, 90), 2),
        "p99_ms": rounded(percentile(result.latencies_ms, 99), 2),
        "max_ms": rounded(max(result.latencies_ms, default=float("nan")), 2),
    }


# ---------------------------------------------------------------- ceiling


def ceiling(plan: Plan, workers: int, scanners: list[loadgen.Scanner], log_dir: Any) -> list[Row]:
    """The same load generator against ``bench.ceiling:app`` on the same uvicorn settings."""
    rows = []
    with Server("bench.ceiling:app", workers=workers, env={}, log_dir=log_dir) as server:
        host, port = host_port(server)
        batch_ms = _ceiling_batch(plan, server, scanners[0])
        for clients in plan.ingest_clients:
            spec = loadgen.ClosedLoopSpec(
                host, port, SCANS, scanners[:clients], plan.ingest_requests, plan.ingest_seconds
            )
            result = run_in_process(loadgen.closed_loop, spec, timeout=plan.process_timeout)
            metrics = _latency_metrics(result)
            metrics["batch_ms"] = batch_ms
            rows.append(
                Row(
                    "ceiling",
                    "-",
                    workers,
                    {"clients": clients, "batch": plan.sync_batch_size},
                    metrics=metrics,
                    note="; ".join(result.failures[:2]),
                )
            )
    return rows


def _ceiling_batch(plan: Plan, server: Server, scanner: loadgen.Scanner) -> float | None:
    host, port = host_port(server)
    targets = (scanner.targets * (plan.sync_batch_size // max(1, len(scanner.targets)) + 1))[
        : plan.sync_batch_size
    ]
    batch = loadgen.Scanner(scanner.token, targets)
    spec = loadgen.BatchSpec(host, port, BATCH, [batch] * max(2, plan.sync_batches), plan.ingest_seconds * 3)
    result = run_in_process(loadgen.batches, spec, timeout=plan.process_timeout)
    return rounded(percentile(result.batch_ms, 50), 2)


def ceiling_scanners(world: World, count: int, targets_each: int) -> list[loadgen.Scanner]:
    """Tokens and badge URLs of the real shape; the ceiling reads them and checks nothing."""
    people = world.event.people
    scanners = []
    for n in range(count):
        person = people[n % len(people)]
        targets = [
            world.badge_url(people[(n + k + 1) % len(people)])
            for k in range(min(targets_each, len(people) - 1))
        ]
        scanners.append(loadgen.Scanner(world.access_token(person), targets))
    return scanners


# ---------------------------------------------------------------- scan ingest


def ingest(ctx: Context, clients: int, ceiling_rps: float | None) -> Row:
    params = {"clients": clients}
    if not ctx.serves(SCANS):
        return Row(
            "ingest", ctx.db, ctx.workers, params, status="skipped", note="POST /api/scans not served yet"
        )
    plan = ctx.plan
    per_client = min(len(ctx.world.event.people) - 1, 2 * plan.ingest_requests // clients + 10)
    scanners = ctx.scanners(clients, per_client)
    host, port = host_port(ctx.server)
    spec = loadgen.ClosedLoopSpec(host, port, SCANS, scanners, plan.ingest_requests, plan.ingest_seconds)
    result = run_in_process(loadgen.closed_loop, spec, timeout=plan.process_timeout)
    metrics = _latency_metrics(result)
    if ceiling_rps:
        metrics["pct_ceiling"] = rounded(100 * metrics["rps"] / ceiling_rps, 1)
    return Row("ingest", ctx.db, ctx.workers, params, metrics=metrics, note="; ".join(result.failures[:2]))


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
