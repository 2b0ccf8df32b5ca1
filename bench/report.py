"""Results: one row per measurement, printed as a table, written as JSON, compared across runs."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = "rencontre-bench/1"
RESULTS_DIR = Path(__file__).resolve().parent / "results"

# What `compare` shows for each scenario, and whether a higher number is better.
HEADLINES: dict[str, list[tuple[str, bool]]] = {
    "ceiling": [("rps", True), ("p50_ms", False), ("p99_ms", False)],
    "hello": [("rps", True), ("p50_ms", False), ("p99_ms", False)],
    "ingest": [
        ("rps", True),
        ("pct_ceiling", True),
        ("pct_hello", True),
        ("p50_ms", False),
        ("p99_ms", False),
        ("errors", False),
    ],
    "sync": [("batch_p50_ms", False), ("batch_max_ms", False), ("scans_per_s", True), ("pct_ceiling", True)],
    "feed": [
        ("latency_p50_ms", False),
        ("latency_p99_ms", False),
        ("lost", False),
        ("frames_per_s", True),
        ("scan_p99_ms", False),
        ("rss_peak_mb", False),
    ],
    "badges": [("seconds", False), ("badges_per_s", True), ("rss_peak_mb", False), ("rss_growth_mb", False)],
    # Reminders by Web Push (issue 19)
    "push": [("seconds", False), ("messages_per_s", True)],
}


@dataclass
class Row:
    scenario: str
    db: str
    workers: int
    params: dict[str, Any]
    status: str = "ok"  # ok | skipped | failed
    metrics: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def key(self) -> str:
        params = ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.scenario}|{self.db}|{self.workers}w|{params}"


@dataclass
class Report:
    meta: dict[str, Any]
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "meta": self.meta, "rows": [asdict(r) for r in self.rows]}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Report:
        if document.get("schema") != SCHEMA:
            raise ValueError(f"not a benchmark result ({document.get('schema')!r}, expected {SCHEMA!r})")
        return cls(meta=document["meta"], rows=[Row(**r) for r in document["rows"]])

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")
        return path


def load(path: Path) -> Report:
    return Report.from_json(json.loads(path.read_text()))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN when there is nothing to rank."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def rounded(value: float, digits: int = 1) -> float | None:
    return None if value is None or math.isnan(value) else round(value, digits)


# ---------------------------------------------------------------- the table


def _num(value: Any, digits: int = 0, suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value:,}{suffix}" if isinstance(value, int) else f"{value}{suffix}"


def _cells(row: Row) -> list[str]:
    """The row's cells, with the bare hello's share and the calibration beside the others."""
    cells = _base_cells(row)
    m = row.metrics
    calib = ""
    if row.status == "ok" and "calib_before_ms" in m:
        calib = f"{_num(m.get('calib_before_ms'), 1)}→{_num(m.get('calib_after_ms'), 1)}"
    hello = _num(m.get("pct_hello"), 1, "%") if row.status == "ok" and "pct_hello" in m else ""
    return [*cells[:6], hello, *cells[6:9], calib, cells[9]]


def _base_cells(row: Row) -> list[str]:
    m, p = row.metrics, row.params
    db = row.db if row.db != "-" else "(none)"
    workers = str(row.workers)
    if row.status != "ok":
        return [
            row.scenario,
            db,
            workers,
            _load(row),
            "",
            "",
            "",
            "",
            "",
            f"{row.status.upper()}: {row.note}",
        ]
    if row.scenario in ("ceiling", "hello", "ingest"):
        extra = [row.note] if row.note else []
        if m.get("statuses"):
            extra.append("status " + " ".join(f"{k}×{v}" for k, v in sorted(m["statuses"].items())))
        return [
            row.scenario,
            db,
            workers,
            _load(row),
            _num(m.get("rps"), 0, " req/s"),
            _num(m.get("pct_ceiling"), 1, "%"),
            _num(m.get("p50_ms"), 1),
            _num(m.get("p99_ms"), 1),
            _num(m.get("errors")),
            "; ".join(extra),
        ]
    if row.scenario == "sync":
        return [
            row.scenario,
            db,
            workers,
            _load(row),
            _num(m.get("scans_per_s"), 0, " scans/s"),
            _num(m.get("pct_ceiling"), 1, "%"),
            _num(m.get("batch_p50_ms"), 1),
            _num(m.get("batch_max_ms"), 1),
            _num(m.get("errors")),
            f"ms per batch of {p.get('batch')} (p50 / max); {row.note}".rstrip("; "),
        ]
    if row.scenario == "feed":
        extra = [
            f"{_num(m.get('connected'))} connected",
            f"lost {_num(m.get('lost'))}",
            f"scans {_num(m.get('scans'))} at {_num(m.get('scan_rate'), 0)}/s,"
            f" p50/p99 {_pair(m, 'scan_p50_ms', 'scan_p99_ms')} ms"
            f" (no dashboards: {_pair(m, 'baseline_scan_p50_ms', 'baseline_scan_p99_ms')})",
            f"RSS {_num(m.get('rss_before_mb'), 0)}→{_num(m.get('rss_peak_mb'), 0)} MB",
            f"CPU server {_num(m.get('server_cpu_pct'), 0)}%"
            + (
                f", feed-only {_num(m.get('feed_server_cpu_pct'), 0)}%"
                if p.get("served_by") == "feed-only"
                else ""
            )
            + f", dashboard clients {_num(m.get('dashboard_clients_cpu_pct'), 0)}%",
        ]
        return [
            row.scenario,
            db,
            workers,
            _load(row),
            _num(m.get("frames_per_s"), 0, " frames/s"),
            "",
            _num(m.get("latency_p50_ms"), 1),
            _num(m.get("latency_p99_ms"), 1),
            _num(m.get("errors")),
            "; ".join(extra) + (f"; {row.note}" if row.note else ""),
        ]
    if row.scenario == "formats":
        return [
            row.scenario,
            db,
            workers,
            _load(row),
            f"{_num(m.get('phones_seated'))} seated",
            "",
            _num(m.get("round_p50_ms"), 1),
            _num(m.get("round_p99_ms"), 1),
            _num(m.get("errors")),
            f"round start on every phone (p50/p99 above); round-end burst: {_num(m.get('burst_scans'))}"
            " scans,"
            f" p50/p99 {_pair(m, 'burst_p50_ms', 'burst_p99_ms')} ms, lost {_num(m.get('burst_lost'))};"
            f" pairing of {p.get('pairing')}: {_num(m.get('pairing_ms'), 1)} ms"
            + (f"; {row.note}" if row.note else ""),
        ]
    if row.scenario == "badges":
        return [
            row.scenario,
            db,
            workers,
            _load(row),
            _num(m.get("badges_per_s"), 0, " badges/s"),
            "",
            "",
            "",
            _num(m.get("errors")),
            f"{_num(m.get('seconds'), 2)} s, {_num(m.get('pdf_mb'), 1)} MB PDF, server RSS"
            f" {_num(m.get('rss_before_mb'), 0)}→{_num(m.get('rss_peak_mb'), 0)} MB"
            f" (+{_num(m.get('rss_growth_mb'), 0)})" + (f"; {row.note}" if row.note else ""),
        ]
    if row.scenario == "push":
        return [
            row.scenario,
            db,
            workers,
            _load(row),
            _num(m.get("messages_per_s"), 0, " pushes/s"),
            "",
            "",
            "",
            _num(m.get("errors")),
            f"one round: {_num(m.get('seconds'), 2)} s, {_num(m.get('reminded'))} attendees reminded,"
            f" {_num(m.get('received'))} received, {_num(m.get('ms_per_attendee'), 2)} ms each,"
            f" {_num(m.get('decrypted_samples'))} sampled and decrypted"
            + (f"; {row.note}" if row.note else ""),
        ]
    return [row.scenario, db, workers, _load(row), "", "", "", "", "", json.dumps(m)]


def _pair(metrics: dict[str, Any], first: str, second: str) -> str:
    return f"{_num(metrics.get(first), 1)}/{_num(metrics.get(second), 1)}"


def _load(row: Row) -> str:
    p = row.params
    if not p:
        return ""
    if row.scenario in ("ceiling", "hello", "ingest"):
        if "rate_pct" in p:
            rate = row.metrics.get("target_rate")
            return f"open {p['rate_pct']}%" + (f" = {rate:,.0f}/s" if rate else "")
        return f"{p.get('clients')} clients"
    if row.scenario == "sync":
        done = row.metrics.get("batches", p.get("batches"))
        return f"{done}×{p.get('batch')} scans" + (
            "" if done == p.get("batches") else f" (of {p.get('batches')})"
        )
    if row.scenario == "feed":
        on = " on feed-only" if p.get("served_by") == "feed-only" else ""
        return f"{p.get('dashboards')} dash{on}, {p.get('rate')}/s"
    if row.scenario == "formats":
        return f"{p.get('phones')} phones"
    if row.scenario == "badges":
        return f"{p.get('badges')} badges"
    if row.scenario == "push":
        return f"{p.get('attendees')} attendees"
    return ""


HEADER = [
    "scenario",
    "db",
    "workers",
    "load",
    "throughput",
    "% ceil",
    "% hello",
    "p50 ms",
    "p99 ms",
    "errors",
    "calib ms",
    "notes",
]
NUMERIC = range(4, 11)


def table(rows: Iterable[Row]) -> str:
    lines = [HEADER, *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER) - 1)]
    out = []
    for n, line in enumerate(lines):
        cells = [
            c.rjust(w) if i in NUMERIC else c.ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=False))
        ]
        out.append("  ".join([*cells, line[-1]]).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths) + "  -----")
    return "\n".join(out)


def render(report: Report) -> str:
    meta = report.meta
    machine = f"{meta.get('cpus', '?')} CPUs, Python {meta.get('python', '?')}"
    smoke = []
    if meta.get("mode") != "full":
        smoke = [
            f"SMOKE TEST ({meta.get('mode')} mode): short windows and a small room prove that it runs;"
            " these are not figures to quote. Quote `make bench` (full mode) only.",
        ]
    head = [
        *smoke,
        f"Rencontre benchmark — {meta.get('started_at', '?')} — {meta.get('mode', '?')} mode"
        f" — {machine}, commit {meta.get('commit', '?')}",
        f"Event: {meta.get('attendees', '?')} attendees. Latencies in ms. '% ceil' = throughput as a share"
        " of the FastAPI endpoint of the same shape doing no work, '% hello' = of a bare FastAPI hello;"
        " same uvicorn settings and worker count, windows alternated with the product's (A B A B).",
        "Ingest: a room of phones (each its own token and connections, every scan a new pair); closed"
        " loop at N clients, open loop at a share of the closed-loop capacity (latency from the intended"
        " send time). 'calib ms' = a fixed piece of CPU work timed before → after the measurement:"
        " a higher figure is a slower host at that moment.",
        "SQLite runs one worker only (one process owns the file); PostgreSQL runs 1, 2 and 4.",
        f"Load average (1, 5, 15 min) at start {meta.get('load_average_start', '?')},"
        f" at end {meta.get('load_average_end', '?')}; run took {meta.get('duration_s', '?')} s.",
        "",
    ]
    return "\n".join(head) + table(report.rows) + "\n"


# ---------------------------------------------------------------- comparing two runs


def compare(before: Report, after: Report) -> str:
    old = {r.key: r for r in before.rows}
    lines = [
        f"before: {before.meta.get('started_at')} ({before.meta.get('commit')}, {before.meta.get('mode')})",
        f"after:  {after.meta.get('started_at')} ({after.meta.get('commit')}, {after.meta.get('mode')})",
        "",
    ]
    table_rows = [["measurement", "metric", "before", "after", "change", ""]]
    for row in after.rows:
        previous = old.get(row.key)
        if previous is None or row.status != "ok" or previous.status != "ok":
            continue
        for metric, higher_is_better in HEADLINES.get(row.scenario, []):
            a, b = previous.metrics.get(metric), row.metrics.get(metric)
            if not isinstance(a, int | float) or not isinstance(b, int | float):
                continue
            change = "" if a == 0 else f"{(b - a) / abs(a) * 100:+.1f}%"
            better = b > a if higher_is_better else b < a
            verdict = "" if a == b or not change else ("better" if better else "worse")
            table_rows.append([row.key, metric, _num(float(a), 1), _num(float(b), 1), change, verdict])
    widths = [max(len(r[i]) for r in table_rows) for i in range(6)]
    for n, r in enumerate(table_rows):
        lines.append(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    missing = sorted(set(old) - {r.key for r in after.rows})
    if missing:
        lines += ["", "only in before: " + ", ".join(missing)]
    return "\n".join(lines) + "\n"
