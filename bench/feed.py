"""The live feed under load: 1,000 dashboards while scans arrive at a fixed rate.

First the scan path alone at that rate (the baseline the dashboards must not slow
down), then the dashboards connect, over several client processes, and the scans
arrive again. Each dashboard's frames are matched with the scans' feed numbers,
read from the database by client id: latency from a scan's answer to the first
frame that includes it, and whether every dashboard ends where the database does.
"""

from __future__ import annotations

import bisect
import time
from pathlib import Path
from typing import Any

from bench import dashboards, loadgen, truth
from bench.plan import Plan
from bench.procs import SPAWN, Child, run_in_process
from bench.report import Row, percentile, rounded
from bench.scenarios import SCANS, Context, host_port
from bench.server import MemorySampler

FEED_TICKET = "/api/events/{event_id}/feed/ticket"


def feed_env(plan: Plan) -> dict[str, str]:
    """Server settings the feed scenario needs: room for every dashboard of one organiser."""
    return {"RENCONTRE_FEED_DASHBOARDS_PER_ORGANISER": str(plan.feed_dashboards + 10)}


def _open_loop_metrics(result: loadgen.OpenLoopResult, prefix: str) -> dict[str, Any]:
    latencies = [(s.answered_at - s.sent_at) * 1000 for s in result.scans]
    errors = sum(1 for s in result.scans if s.status is None or s.status >= 400)
    return {
        f"{prefix}scans": len(result.scans),
        f"{prefix}scans_scheduled": result.scheduled,
        f"{prefix}scan_errors": errors,
        f"{prefix}scan_rate": rounded(len(result.scans) / result.elapsed_s if result.elapsed_s else 0.0, 1),
        f"{prefix}scan_p50_ms": rounded(percentile(latencies, 50), 1),
        f"{prefix}scan_p99_ms": rounded(percentile(latencies, 99), 1),
        f"{prefix}scan_max_lag_ms": rounded(result.max_lag_ms, 1),
    }


def feed(ctx: Context, served_by: str, log_dir: Path) -> Row:
    """The scenario with the dashboards on ``served_by``: the main server, or a feed-only process."""
    plan = ctx.plan
    params = {"dashboards": plan.feed_dashboards, "rate": plan.feed_rate, "served_by": served_by}
    if not (ctx.serves(FEED_TICKET) and ctx.serves(SCANS)):
        return Row(
            "feed", ctx.db, ctx.workers, params, status="skipped", note="the live feed is not served yet"
        )
    host, port = host_port(ctx.server)
    world, settings = ctx.world, ctx.world.settings
    event_id = world.event.id

    def scans_for(seconds: float) -> loadgen.OpenLoopSpec:
        each = int(plan.feed_rate * seconds / plan.feed_scanners) + 2
        return loadgen.OpenLoopSpec(
            host, port, SCANS, ctx.scanners(plan.feed_scanners, each), plan.feed_rate, seconds
        )

    # The scan path alone, at the same rate: what the dashboards must not slow down.
    baseline = run_in_process(
        loadgen.open_loop, scans_for(plan.feed_baseline_seconds), timeout=plan.process_timeout
    )

    tickets = truth.insert_tickets(settings, world.organiser_id, event_id, plan.feed_dashboards)
    status: Any = SPAWN.Queue()
    finish = SPAWN.Event()
    target = SPAWN.Value("q", 0)
    settle = plan.feed_seconds + 10
    shares = [tickets[n :: plan.feed_processes] for n in range(plan.feed_processes)]
    rss_idle = ctx.server.rss_bytes() / 2**20
    with dashboards.serving(served_by, ctx.server, ctx.db, log_dir) as feed_server:
        url = dashboards.feed_url(feed_server, event_id)
        started = time.monotonic()
        children = [
            Child(dashboards.run, dashboards.DashboardSpec(url, share, settle), status, finish, target)
            for share in shares
            if share
        ]
        try:
            ready = [status.get(timeout=plan.process_timeout) for _ in children]
            connect_s = time.monotonic() - started
            spec = scans_for(plan.feed_seconds)
            with MemorySampler(ctx.server, interval=0.2) as memory:
                server_cpu = ctx.server.cpu_seconds()
                feed_cpu = feed_server.cpu_seconds() if feed_server is not ctx.server else 0.0
                loaded = run_in_process(loadgen.open_loop, spec, timeout=plan.process_timeout)
                server_cpu = ctx.server.cpu_seconds() - server_cpu
                if feed_server is not ctx.server:
                    feed_cpu = feed_server.cpu_seconds() - feed_cpu
                final = truth.settled(settings, event_id, plan.feed_seconds + 10)
                target.value = final.seq
                finish.set()
                results = [child.result(timeout=settle + 60) for child in children]
        finally:
            finish.set()
            for child in children:
                child.stop()
    seen = [s for result in results for s in result.seen]
    seqs = truth.encounter_seqs(
        settings, event_id, [s.client_id for s in loaded.scans if s.status in (200, 201)]
    )
    acked = [(s.answered_at, seqs[s.client_id]) for s in loaded.scans if s.client_id in seqs]
    latencies, missing = _feed_latencies(seen, acked)
    window_start = min((s.sent_at for s in loaded.scans), default=0.0)
    window_end = max((s.answered_at for s in loaded.scans), default=0.0) + 0.5
    frames = sum(1 for s in seen for at, _ in s.frames if window_start <= at <= window_end)
    connected = sum(1 for s in seen if s.first_type)
    closed = [s.closed for s in seen if s.closed]
    lost = sum(1 for s in seen if not s.first_type or s.closed or not final.matches(s.last_seq, s.counts))
    metrics: dict[str, Any] = {
        "connected": connected,
        "connect_seconds": rounded(connect_s, 1),
        "lost": lost,
        "closed_early": len(closed),
        "missing_updates": missing,
        "errors": lost + sum(1 for s in loaded.scans if s.status is None or s.status >= 400),
        "latency_p50_ms": rounded(percentile(latencies, 50), 1),
        "latency_p99_ms": rounded(percentile(latencies, 99), 1),
        "latency_max_ms": rounded(max(latencies, default=float("nan")), 1),
        "frames": frames,
        "frames_per_s": rounded(
            frames / (window_end - window_start) if window_end > window_start else 0.0, 1
        ),
        "final_seq": final.seq,
        "final_connections": final.connections,
        # Shares of one core over the scans' window: the server's, and the load's own.
        "server_cpu_pct": _share(server_cpu, loaded.elapsed_s),
        # The feed-only process's, when the dashboards are there (0 when the main server serves them).
        "feed_server_cpu_pct": _share(feed_cpu, loaded.elapsed_s),
        "scan_client_cpu_pct": _share(loaded.cpu_s, loaded.elapsed_s),
        "dashboard_clients_cpu_pct": _share(sum(r.listen_cpu_seconds for r in results), loaded.elapsed_s),
        "rss_idle_mb": rounded(rss_idle, 1),
        "rss_before_mb": rounded(memory.first_mb, 1),
        "rss_peak_mb": rounded(memory.peak_mb, 1),
        **_open_loop_metrics(loaded, ""),
        **_open_loop_metrics(baseline, "baseline_"),
    }
    notes = [f"{r[1]} ready" for r in ready if r[2]] + [f for r in ready for f in r[2]][:2] + closed[:2]
    notes += loaded.failures[:2]
    return Row("feed", ctx.db, ctx.workers, params, metrics=metrics, note="; ".join(notes))


def _share(cpu_seconds: float, window: float) -> float | None:
    return rounded(100 * cpu_seconds / window, 0) if window > 0 else None


def _feed_latencies(seen: list[dashboards.Seen], acked: list[tuple[float, int]]) -> tuple[list[float], int]:
    """For each (dashboard, acknowledged scan): ms from the scan's answer to the first frame including it."""
    latencies: list[float] = []
    missing = 0
    for dashboard in seen:
        if not dashboard.frames:
            continue
        times = [at for at, _ in dashboard.frames]
        seqs = [seq for _, seq in dashboard.frames]
        for answered_at, seq in acked:
            index = bisect.bisect_left(seqs, seq)
            if index == len(seqs):
                missing += 1
                continue
            latencies.append(max(0.0, times[index] - answered_at) * 1000)
    return latencies, missing
