"""Scan ingest in a room (issue 21): the product, A B A B with the ceiling and the bare hello.

A measurement is closed loop at some clients, or open loop at a target arrival rate.
Each runs its three applications in turn, twice (product, ceiling, hello, product,
ceiling, hello), every window ``plan.ingest_seconds`` long, under the same load
generator (:mod:`bench.room`) from ``plan.generator_processes`` processes. Around it, a
calibration figure (:func:`bench.host.calibrate`) before and after. After each product
window, the truth: every acknowledged scan is a contact in the database, the contacts
grew by as many as were made, and the feed numbers are consecutive without a duplicate.

Three rows come out of each measurement: ``ingest`` (the product, with its ratio to
both baselines), ``ceiling`` and ``hello``. A row whose generator ran out of CPU (or
sent late) says so and is not a figure (``quotable`` false).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from bench import room, truth
from bench.host import PostgresCpu, calibrate
from bench.procs import run_in_processes
from bench.report import Row, percentile, rounded
from bench.scenarios import SCANS, Context, host_port
from bench.seed import World
from bench.server import Server

APPS = ("ingest", "ceiling", "hello")
BASELINE_TARGETS = {"ceiling": "bench.ceiling:app", "hello": "bench.hello:app"}
# A generator process above this share of one core is (or is about to be) the bottleneck.
GENERATOR_SATURATED_PCT = 90.0
# The processes get their specs before the window starts: a little more for a big room.
START_MARGIN_S = 0.15


class Room:
    """The room's phones (each its own token) and the pairs already scanned: each scan a new pair."""

    def __init__(self, world: World, phones: int, seed: int = 21) -> None:
        assert world.room is not None
        people = world.room.people
        self.rng = random.Random(seed)
        self.phones = min(phones, len(people))
        self.tokens = [world.access_token(p, world.room) for p in people[: self.phones]]
        self.urls = [world.badge_url(p, world.room) for p in people]
        self.event_id = world.room.id
        self._met: list[set[int]] = [set() for _ in range(self.phones)]
        self._next_phone = 0
        self._next_arrival = 0

    def _target(self, phone: int, register: bool) -> int:
        met = self._met[phone]
        if len(met) >= len(self.urls) // 2:
            raise RuntimeError(f"phone {phone} has scanned half the room: the plan asks too much of it")
        while True:
            target = self.rng.randrange(len(self.urls))
            if target != phone and target not in met:
                if register:
                    met.add(target)
                return target

    def sessions(self, scans: int, per_phone: int, *, register: bool = True) -> list[list[tuple[int, int]]]:
        """Runs of ``per_phone`` new pairs with the same phone, the phones taken in turn."""
        out = []
        for _ in range(-(-scans // per_phone)):
            phone = self._next_phone
            self._next_phone = (phone + 1) % self.phones
            out.append([(phone, self._target(phone, register)) for _ in range(per_phone)])
        return out

    def arrivals(self, scans: int, phones: list[int], *, register: bool = True) -> list[tuple[int, int]]:
        """Arrival ``m`` is a new pair of phone ``phones[m % len(phones)]``."""
        return [
            (phones[m % len(phones)], self._target(phones[m % len(phones)], register)) for m in range(scans)
        ]


@dataclass
class Measurement:
    mode: str  # closed | open
    clients: int = 0
    rate_pct: int = 0
    rate: float = 0.0

    @property
    def params(self) -> dict[str, Any]:
        return {"clients": self.clients} if self.mode == "closed" else {"rate_pct": self.rate_pct}


@contextmanager
def baselines(workers: int, log_dir: Any) -> Iterator[dict[str, Server]]:
    """The ceiling and the bare hello, served like the product (same uvicorn line and workers)."""
    with ExitStack() as stack:
        servers = {
            name: Server(target, workers=workers, env={}, log_dir=log_dir)
            for name, target in BASELINE_TARGETS.items()
        }
        for server in servers.values():
            stack.callback(server.stop)
            server.launch()
        for server in servers.values():
            server.wait_ready()
        yield servers


def run(ctx: Context, servers: dict[str, Server], db_name: str, echo: Callable[[Row], None]) -> list[Row]:
    """Every ingest measurement of the plan, closed loop then open loop; rows are echoed as they come."""
    plan = ctx.plan
    if not ctx.serves(SCANS):
        row = Row("ingest", ctx.db, ctx.workers, {}, status="skipped", note="POST /api/scans not served yet")
        echo(row)
        return [row]
    driver = _Driver(ctx, {"ingest": ctx.server, **servers}, db_name)
    driver.warm_up()
    rows: list[Row] = []
    capacity = 0.0
    for clients in plan.ingest_clients:
        group = driver.measure(Measurement("closed", clients=clients))
        capacity = group[0].metrics.get("rps") or 0.0
        rows += group
        for row in group:
            echo(row)
    for fraction in plan.ingest_rates:
        measurement = Measurement("open", rate_pct=round(fraction * 100), rate=fraction * capacity)
        if measurement.rate <= 0:
            group = [
                Row(
                    "ingest",
                    ctx.db,
                    ctx.workers,
                    measurement.params,
                    status="skipped",
                    note="no closed-loop capacity to set the rate from",
                )
            ]
        else:
            group = driver.measure(measurement)
        rows += group
        for row in group:
            echo(row)
    return rows


class _Driver:
    def __init__(self, ctx: Context, servers: dict[str, Server], db_name: str) -> None:
        self.ctx = ctx
        self.plan = ctx.plan
        self.servers = servers
        self.room = Room(ctx.world, self.plan.room_phones)
        self.pg = PostgresCpu(db_name) if ctx.db == "postgresql" and db_name else None

    # ------------------------------------------------------------ one window

    def _windows(self, app: str, m: Measurement, seconds: float) -> list[room.Window]:
        """One spec per generator process for one window of ``app`` under ``m``."""
        plan, rm = self.plan, self.room
        product = app == "ingest"
        host, port = host_port(self.servers[app])
        processes = plan.generator_processes
        cap = plan.ingest_requests if product else min(plan.baseline_requests, 20_000)
        start_at = time.monotonic() + START_MARGIN_S + 0.5 * min(1.0, (rm.phones + cap) / 65_000)
        common: dict[str, Any] = {
            "host": host,
            "port": port,
            "path": SCANS,
            "tokens": rm.tokens,
            "urls": rm.urls,
            "cycle": not product,
            "seconds": seconds,
            "start_at": start_at,
            "collect_ids": product,
            "max_requests": -(-(plan.ingest_requests if product else plan.baseline_requests) // processes),
        }
        specs = []
        if m.mode == "closed":
            sessions = rm.sessions(cap, plan.scans_per_phone, register=product)
            lanes = [
                m.clients // processes + (1 if p < m.clients % processes else 0) for p in range(processes)
            ]
            for p, count in enumerate(lanes):
                if count:
                    scans = [pair for session in sessions[p::processes] for pair in session]
                    specs.append(
                        room.Window(
                            **common, scans=scans, clients=count, scans_per_phone=plan.scans_per_phone
                        )
                    )
        else:
            due = min(cap, int(m.rate * seconds) + 1)
            for p in range(processes):
                phones = list(range(p, rm.phones, processes))
                share = len(range(p, due, processes))
                if share and phones:
                    scans = rm.arrivals(share, phones, register=product)
                    specs.append(
                        room.Window(**common, scans=scans, rate=m.rate / processes, offset=p / m.rate)
                    )
        return specs

    def _window(
        self, app: str, m: Measurement, seconds: float
    ) -> tuple[list[room.WindowResult], float, float]:
        """Run one window; returns the processes' results, the server's CPU and the database's."""
        specs = self._windows(app, m, seconds)
        function = room.closed_loop if m.mode == "closed" else room.open_loop
        server = self.servers[app]
        cpu = server.cpu_seconds()
        if self.pg and app == "ingest":
            self.pg.start()
        results = run_in_processes(function, specs, timeout=self.plan.process_timeout)
        db_cpu = self.pg.seconds() if self.pg and app == "ingest" else 0.0
        return results, server.cpu_seconds() - cpu, db_cpu

    def warm_up(self) -> None:
        """Every application once, unmeasured: connections, caches and the JIT-less first calls."""
        clients = max(self.plan.ingest_clients)
        for app in APPS:
            self._window(app, Measurement("closed", clients=clients), min(1.0, self.plan.ingest_seconds))

    # ------------------------------------------------------------ one measurement

    def measure(self, m: Measurement) -> list[Row]:
        ctx, plan = self.ctx, self.plan
        settings, event_id = ctx.world.settings, self.room.event_id
        calib_before = calibrate()
        windows: dict[str, list[tuple[list[room.WindowResult], float, float]]] = {app: [] for app in APPS}
        checks: list[dict[str, int]] = []
        for _round in range(2):  # A B A B
            for app in APPS:
                before = truth.feed_truth(settings, event_id) if app == "ingest" else None
                windows[app].append(self._window(app, m, plan.ingest_seconds))
                if before is not None:
                    ids = [i for r in windows[app][-1][0] for i in r.ok_ids]
                    checks.append(_check(settings, event_id, before, ids))
        calib_after = calibrate()
        rows = []
        for app in APPS:
            metrics = _metrics(m, windows[app], plan.ingest_seconds, self.pg is not None and app == "ingest")
            metrics["calib_before_ms"] = calib_before
            metrics["calib_after_ms"] = calib_after
            metrics["quotable"] = plan.mode == "full" and not metrics["generator_limited"]
            if app == "ingest":
                metrics["room_phones"] = self.room.phones
                metrics.update(_sum_checks(checks))
            rows.append(Row(app, ctx.db, ctx.workers, m.params, metrics=metrics))
        product, ceiling, hello = rows
        # A ratio against a baseline whose generator was the limit flatters the product.
        limited = [b.scenario for b in (ceiling, hello) if b.metrics["generator_limited"]]
        if limited:
            product.metrics["quotable"] = False
            product.metrics["limited_baselines"] = limited
        for base in (ceiling, hello):
            rps = base.metrics.get("rps")
            product.metrics[f"{base.scenario}_rps"] = rps
            product.metrics[f"{base.scenario}_p99_ms"] = base.metrics.get("p99_ms")
            if rps:
                product.metrics[f"pct_{base.scenario}"] = rounded(
                    100 * (product.metrics["rps"] or 0) / rps, 1
                )
        for row in rows:
            row.note = _note(row)
        return rows


# ---------------------------------------------------------------- figures


def _metrics(
    m: Measurement,
    windows: list[tuple[list[room.WindowResult], float, float]],
    seconds: float,
    database: bool,
) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    ok = elapsed = server_cpu = db_cpu = 0.0
    windows_rps = []
    generator_pct = late = scheduled = unsent = 0.0
    connections = 0
    for results, server_seconds, db_seconds in windows:
        window_ok = sum(v for r in results for k, v in r.statuses.items() if k.startswith("2"))
        # To the last answer: a window cut short by its count bound is not stretched to its seconds.
        span = max([r.ended - r.started for r in results if r.ended], default=seconds)
        windows_rps.append(rounded(window_ok / span, 1))
        ok += window_ok
        elapsed += span
        server_cpu += server_seconds
        db_cpu += db_seconds
        for r in results:
            latencies += r.latencies_ms
            statuses.update(r.statuses)
            failures += r.failures[:2]
            generator_pct = max(generator_pct, 100 * r.cpu_s / r.wall_s)
            late += r.late
            scheduled += r.scheduled
            unsent += r.unsent
            connections += r.connections
    sent = sum(statuses.values())
    errors = sent - int(ok)
    late_pct = 100 * late / scheduled if scheduled else 0.0
    metrics: dict[str, Any] = {
        "mode": m.mode,
        "requests": sent,
        "ok": int(ok),
        "errors": errors + int(unsent),
        "statuses": dict(statuses),
        "seconds": rounded(elapsed, 2),
        "rps": rounded(ok / elapsed if elapsed else 0.0, 1),
        "windows_rps": windows_rps,
        "p50_ms": rounded(percentile(latencies, 50), 2),
        "p90_ms": rounded(percentile(latencies, 90), 2),
        "p99_ms": rounded(percentile(latencies, 99), 2),
        "max_ms": rounded(max(latencies, default=float("nan")), 2),
        "connections": connections,
        "server_cpu_pct": rounded(100 * server_cpu / elapsed, 0) if elapsed else None,
        "generator_cpu_pct": rounded(generator_pct, 0),
        # Sends late with a generator far from a full core mean the host (the server and the
        # database taking both cores) ran late, not the generator: that latency counts, since
        # it is measured from the intended time. A generator out of CPU voids the row.
        "generator_limited": generator_pct >= GENERATOR_SATURATED_PCT,
        "failures": failures[:4],
    }
    if m.mode == "open":
        metrics.update(
            target_rate=rounded(m.rate, 1),
            scheduled=int(scheduled),
            unsent=int(unsent),
            late_dispatch_pct=rounded(late_pct, 1),
        )
    if database:
        metrics["db_cpu_pct"] = rounded(100 * db_cpu / elapsed, 0) if elapsed else None
    return metrics


def _check(settings: Any, event_id: Any, before: truth.FeedTruth, ok_ids: list[str]) -> dict[str, int]:
    """What the database says after a product window, against what the generator was told."""
    seen = truth.window(settings, event_id, before, ok_ids, within=10.0, poll=0.2)
    after, found, numbers = seen.after, seen.found, seen.numbers
    expected = set(range(before.seq + 1, after.seq + 1))
    made = after.connections - before.connections
    return {
        "acked": len(ok_ids),
        "new_contacts": made,
        "lost": len(ok_ids) - len(found),
        "unacked_committed": made - len(found),
        "feed_advance": after.seq - before.seq,
        "feed_gaps": len(expected - set(numbers)),
        "feed_duplicates": len(numbers) - len(set(numbers)),
        "feed_mismatch": int(after.seq - before.seq != made),
    }


def _sum_checks(checks: list[dict[str, int]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for check in checks:
        total.update(check)
    out = dict(total)
    out["truth_errors"] = out.get("lost", 0) + out.get("feed_gaps", 0) + out.get("feed_duplicates", 0)
    out["truth_errors"] += out.get("feed_mismatch", 0)
    return out


def _note(row: Row) -> str:
    m = row.metrics
    parts = []
    if m.get("windows_rps"):
        parts.append("windows " + " / ".join(f"{x:,.0f}" for x in m["windows_rps"] if x is not None))
    if m.get("mode") == "open":
        parts.append(
            f"target {m.get('target_rate') or 0:,.0f}/s, sent >10 ms late {m.get('late_dispatch_pct')}%,"
            f" unsent {m.get('unsent')}"
        )
    parts.append(
        f"CPU server {_pct(m.get('server_cpu_pct'))}, generator max {_pct(m.get('generator_cpu_pct'))}"
    )
    if "db_cpu_pct" in m:
        parts[-1] += f", database {_pct(m['db_cpu_pct'])}"
    if row.scenario == "ingest":
        parts.append(
            f"{m.get('room_phones'):,} phones; truth: {m.get('acked', 0):,} acked,"
            f" {m.get('new_contacts', 0):,} new contacts, lost {m.get('lost', 0)},"
            f" feed +{m.get('feed_advance', 0):,} (gaps {m.get('feed_gaps', 0)},"
            f" duplicates {m.get('feed_duplicates', 0)})"
        )
    if m.get("generator_limited"):
        parts.insert(0, f"NOT A FIGURE: a load generator used {_pct(m.get('generator_cpu_pct'))} of a core")
    elif m.get("limited_baselines"):
        parts.insert(
            0, f"NOT A FIGURE: the {' and '.join(m['limited_baselines'])} row's generator was the limit"
        )
    if m.get("failures"):
        parts.append(str(m["failures"][0])[:120])
    return "; ".join(parts)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"
