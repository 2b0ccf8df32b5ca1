"""One benchmark run: for each database and worker count, a fresh database, a server, the scenarios."""

from __future__ import annotations

import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import httpx

from bench import dashboards, feed, formats, ingest, push, scenarios
from bench import suggestions as suggestion_bench
from bench.plan import Plan
from bench.procs import close_load_process
from bench.report import RESULTS_DIR, Report, Row
from bench.seed import seed
from bench.server import REPO, Database, Server, free_port, migrate, postgres_available
from rencontre.config import Settings

T = TypeVar("T")

ALL_SCENARIOS = ("ingest", "sync", "feed", "formats", "badges", "push", "suggestions")


@dataclass(frozen=True)
class Options:
    plan: Plan
    databases: tuple[str, ...]
    workers: tuple[int, ...]
    scenarios: tuple[str, ...]
    profile_dir: Path | None = None
    # Worker counts at which the scenarios other than ingest run (None: every one asked).
    # A full run measures ingest at 1, 2 and 4 workers and the rest at 1, to stay near 25 min.
    others_at: tuple[int, ...] | None = None
    # Server logs are kept (a failed run is explained there); default bench/results/logs/<time>/.
    log_dir: Path | None = None


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{'+dirty' if dirty else ''}"


def configurations(options: Options) -> list[tuple[str, int]]:
    return [(db, w) for db in options.databases for w in options.workers]


def run(options: Options, *, echo: Callable[[str], None] = print) -> Report:
    started = time.monotonic()
    report = Report(
        meta={
            "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "mode": options.plan.mode,
            # Only a full run gives figures to quote; quick and tiny prove that it runs.
            "smoke_test": options.plan.mode != "full",
            "attendees": options.plan.attendees,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "commit": _commit(),
            "databases": list(options.databases),
            "workers": list(options.workers),
            "scenarios": list(options.scenarios),
            "plan": asdict(options.plan),
            # The machine is shared: a busy neighbour shows here, and in every number.
            "load_average_start": [round(x, 2) for x in os.getloadavg()],
        }
    )
    work = Path(tempfile.mkdtemp(prefix="rencontre-bench-"))
    logs = options.log_dir or RESULTS_DIR / "logs" / report.meta["started_at"].replace(":", "")
    report.meta["logs"] = str(logs)
    pg_ok: bool | None = None
    try:
        for db, workers in configurations(options):
            label = f"{db}, {workers} worker{'s' if workers > 1 else ''}"
            if db == "sqlite" and workers > 1:
                echo(f"— {label}: skipped (SQLite is served by one process)")
                report.add(Row("all", db, workers, {}, status="skipped", note="SQLite runs one worker"))
                continue
            if db == "postgresql":
                pg_ok = postgres_available() if pg_ok is None else pg_ok
                if not pg_ok:
                    echo(f"— {label}: skipped (no PostgreSQL on 127.0.0.1:5432)")
                    report.add(Row("all", db, workers, {}, status="skipped", note="PostgreSQL unavailable"))
                    continue
            echo(f"— {label}")
            _configuration(
                options, db, workers, work / f"{db}-{workers}", logs / f"{db}-{workers}w", report, echo
            )
    finally:
        close_load_process()
        shutil.rmtree(work, ignore_errors=True)
    report.meta["duration_s"] = round(time.monotonic() - started, 1)
    report.meta["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def _configuration(
    options: Options,
    db: str,
    workers: int,
    work: Path,
    logs: Path,
    report: Report,
    echo: Callable[[str], None],
) -> None:
    plan = options.plan
    work.mkdir(parents=True)
    with Database(db, work) as database:
        port = free_port()
        values = {
            "environment": "production",
            "data_dir": str(work / "data"),
            "database_url": database.url,
            "public_base_url": f"http://127.0.0.1:{port}",
            "jwt_secret": secrets.token_urlsafe(32),
            "badge_secret": secrets.token_urlsafe(32),
            # A scanner here scans far faster than a person: the limit is not what is measured.
            "scan_rate_limit": "1000000/minute",
            "login_rate_limit": "1000000/minute",
            "log_level": "warning",
        }
        env = {f"RENCONTRE_{key.upper()}": value for key, value in values.items()}
        env.update(feed.feed_env(plan))
        # The push scenario runs the reminder round itself: the server's own schedule stays off.
        env["RENCONTRE_REMINDER_POLL_SECONDS"] = "0"
        settings = Settings(**values)  # type: ignore[arg-type]
        t0 = time.monotonic()
        migrate(settings)
        badges = plan.badge_counts if "badges" in options.scenarios else ()
        room = plan.room_phones if "ingest" in options.scenarios else 0
        world = seed(settings, plan.attendees, badges, room=room)
        echo(
            f"  migrated and seeded {plan.attendees} attendees and a room of {room}"
            f" in {time.monotonic() - t0:.1f} s"
        )
        others = options.others_at is None or workers in options.others_at
        chosen = [s for s in options.scenarios if s == "ingest" or others]
        if len(chosen) < len(options.scenarios):
            echo(f"  ingest only at {workers} workers (the other scenarios run at {options.others_at})")

        with Server(
            "rencontre.app:create_app", workers=workers, env=env, log_dir=logs, factory=True, port=port
        ) as server:
            endpoints = _served_paths(server)
            ctx = scenarios.Context(plan, db, workers, world, server, endpoints)
            ceiling_batch: float | None = None
            if {"ingest", "sync"} & set(chosen):
                with ingest.baselines(workers, logs) as baselines:
                    if "sync" in chosen:
                        ceiling_batch = _guard(
                            lambda: scenarios.ceiling_batch(plan, baselines["ceiling"], world),
                            lambda _exc: None,
                        )
                    if "ingest" in chosen:
                        _ingest(options, ctx, baselines, database.name, report, echo)
            steps: list[tuple[str, dict[str, object], Callable[[], Row]]] = []
            if "sync" in chosen:
                steps.append(("sync", {}, partial(scenarios.sync, ctx, ceiling_batch)))
            if "feed" in chosen:
                # With PostgreSQL, dashboards both on the server the scans go to and on a feed-only process.
                for where in dashboards.SERVING if db == "postgresql" else ("main",):
                    steps.append(("feed", {"served_by": where}, partial(feed.feed, ctx, where, logs)))
            if "formats" in chosen:
                steps.append(("formats", {}, partial(formats.formats, ctx)))
            if "badges" in chosen:
                for count in plan.badge_counts:
                    steps.append(("badges", {"badges": count}, partial(scenarios.badges, ctx, count)))
            # Reminders by Web Push (issue 19): last, its contacts would spoil the others' first meetings.
            if "push" in chosen:
                steps.append(("push", {}, partial(push.push, ctx, settings)))
            # Suggestions (who-to-meet): last, as it gives every attendee a profile.
            if "suggestions" in chosen:
                steps.append(("suggestions", {}, partial(suggestion_bench.suggestions, ctx, settings)))
            for name, params, measure in steps:
                step: Callable[[], Row] = measure
                profiled = options.profile_dir is not None and name in ("sync", "feed")
                if profiled:
                    assert options.profile_dir is not None
                    tag = f"{db}-{workers}w-{name}{params.get('clients', '')}"
                    step = partial(_profiled, step, server, options.profile_dir / f"{tag}.txt", echo)
                row = _guard(step, partial(_failed, name, db, workers, params))
                _emit(report, row, echo)
                if server.process is not None and server.process.poll() is not None:
                    raise RuntimeError(f"the server died during {name}:\n{server.log_tail()}")


def _ingest(
    options: Options,
    ctx: scenarios.Context,
    baselines: dict[str, Server],
    db_name: str,
    report: Report,
    echo: Callable[[str], None],
) -> None:
    """Every ingest measurement with its baselines (profiled as a whole when asked)."""

    def measure() -> list[Row]:
        return ingest.run(ctx, baselines, db_name, partial(_emit, report, echo=echo))

    step: Callable[[], list[Row]] = measure
    if options.profile_dir is not None:
        output = options.profile_dir / f"{ctx.db}-{ctx.workers}w-ingest.txt"
        step = partial(_profiled, measure, ctx.server, output, echo)
    _guard(step, lambda exc: [_emit(report, _failed("ingest", ctx.db, ctx.workers, {}, exc), echo)])


def _profiled(step: Callable[[], T], server: Server, output: Path, echo: Callable[[str], None]) -> T:
    from bench import profile

    with profile.Profiler(server, output):
        row = step()
    summary = profile.summarise(output)
    output.with_suffix(".summary.txt").write_text(summary)
    echo(f"  profile: {output} (summary beside it)")
    return row


def _failed(name: str, db: str, workers: int, params: dict[str, object], note: str) -> Row:
    return Row(name, db, workers, dict(params), status="failed", note=note)


def _emit(report: Report, row: Row, echo: Callable[[str], None]) -> Row:
    report.add(row)
    from bench.report import table

    echo("  " + table([row]).splitlines()[-1])
    return row


def _guard(step: Callable[[], T], on_error: Callable[[str], T]) -> T:
    try:
        return step()
    except Exception as exc:  # one broken scenario must not hide the others' numbers
        message = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500]
        print(f"  ! {message}", file=sys.stderr)
        return on_error(message)


def _served_paths(server: Server) -> set[str]:
    document = httpx.get(f"{server.url}/api/openapi.json", timeout=10).json()
    return set(document.get("paths", {}))


def databases_from(choice: str) -> tuple[str, ...]:
    return ("sqlite", "postgresql") if choice == "both" else (choice,)


def workers_from(choice: str) -> tuple[int, ...]:
    return {"both": (1, 2), "all": (1, 2, 4)}.get(choice) or (int(choice),)


__all__: Sequence[str] = ("ALL_SCENARIOS", "Options", "databases_from", "run", "workers_from")
