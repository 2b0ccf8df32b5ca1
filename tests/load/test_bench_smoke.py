"""The benchmark code runs end to end in a tiny configuration, so that it cannot rot.

Nothing here is timed: the numbers a tiny run prints mean nothing and are never
asserted on. What is checked is that every scenario either ran or says why it was
skipped, that the results have their shape, that the server understood every
request the harness sent (no 4xx: the harness still speaks the API), and that the
results survive JSON and the comparison of two runs.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from bench import report
from bench.plan import TINY
from bench.runner import ALL_SCENARIOS, Options, run

from devtools.postgres import postgres_available
from tests.support import require_or_skip

pytestmark = pytest.mark.slow

# Every ingest measurement and its two baselines carry the calibration beside their figures.
BASELINE_METRICS = ("rps", "p50_ms", "p99_ms", "errors", "calib_before_ms", "calib_after_ms")
HEADLINE_METRICS = {
    "ceiling": BASELINE_METRICS,
    "hello": BASELINE_METRICS,
    "ingest": (*BASELINE_METRICS, "pct_ceiling", "pct_hello", "generator_cpu_pct", "truth_errors"),
    "sync": ("batch_p50_ms", "scans_per_s", "errors", "pct_ceiling"),
    "feed": ("latency_p50_ms", "latency_p99_ms", "lost", "frames_per_s", "rss_peak_mb", "connected"),
    "formats": ("round_p50_ms", "round_p99_ms", "burst_p99_ms", "burst_lost", "pairing_ms", "phones_seated"),
    "badges": ("seconds", "rss_peak_mb", "rss_growth_mb", "errors"),
    # Reminders by Web Push (issue 19)
    "push": ("seconds", "messages_per_s", "errors", "received"),
    # Suggestions (who-to-meet)
    "suggestions": ("full_recompute_s", "one_change_s", "serving_p99_ms", "suggested_at_zero"),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        require_or_skip(postgres_available(), "PostgreSQL on 127.0.0.1:5432")
    return str(request.param)


class TestTinyBenchmark:
    def test_every_scenario_runs_and_reports_well_formed_results(self, database: str, tmp_path: Path) -> None:
        options = Options(
            plan=TINY, databases=(database,), workers=(1,), scenarios=ALL_SCENARIOS, log_dir=tmp_path / "logs"
        )

        result = run(options, echo=lambda _line: None)

        assert result.rows, "the run produced no result at all"
        failed = [f"{r.key}: {r.note}" for r in result.rows if r.status == "failed"]
        assert not failed, failed
        ran = {r.scenario for r in result.rows if r.status == "ok"}
        assert {"ceiling", "hello", "ingest", "sync", "badges"} <= ran | {
            r.scenario for r in result.rows if r.status == "skipped"
        }
        for row in result.rows:
            assert row.db == database
            assert row.workers == 1
            if row.status == "skipped":
                assert row.note, f"{row.key} is skipped without saying why"
                continue
            for metric in HEADLINE_METRICS[row.scenario]:
                value = row.metrics.get(metric)
                assert isinstance(value, int | float), (row.key, metric, value)
                assert not math.isnan(value), (row.key, metric)
            # A 4xx means the harness no longer speaks the API (a request shape drifted): rot.
            statuses = {**row.metrics.get("statuses", {}), **row.metrics.get("item_statuses", {})}
            assert not [s for s in statuses if s.startswith("4")], (row.key, statuses, row.note)
        ingest = [r for r in result.rows if r.scenario == "ingest" and r.status == "ok"]
        assert all(r.metrics["ok"] > 0 for r in ingest), [r.note for r in ingest]
        # Closed loop at each client count, then open loop at each rate, each beside both baselines.
        expected = [{"clients": c} for c in TINY.ingest_clients]
        expected += [{"rate_pct": round(f * 100)} for f in TINY.ingest_rates]
        assert [r.params for r in ingest] == expected
        for scenario in ("ceiling", "hello"):
            assert [r.params for r in result.rows if r.scenario == scenario] == expected, scenario
        # Dashboards on the main server, and with PostgreSQL on a feed-only process beside it too.
        feeds = [r.params.get("served_by") for r in result.rows if r.scenario == "feed"]
        assert feeds == (["main", "feed-only"] if database == "postgresql" else ["main"])
        # The truth after every product window: each acknowledged scan is one new contact.
        for row in ingest:
            assert row.metrics["truth_errors"] == 0, row.note
            assert row.metrics["lost"] == 0, row.note
            assert row.metrics["acked"] == row.metrics["ok"], row.note
            assert row.metrics["room_phones"] == TINY.room_phones
            # A tiny run is never a figure to quote.
            assert row.metrics["quotable"] is False
        for count in TINY.badge_counts:
            assert any(r.scenario == "badges" and r.params == {"badges": count} for r in result.rows)
        pushes = [r for r in result.rows if r.scenario == "push"]
        assert [r.metrics["errors"] for r in pushes] == [0], [r.note for r in pushes]

        path = result.write(tmp_path / "run.json")
        again = report.load(path)
        assert [r.key for r in again.rows] == [r.key for r in result.rows]
        assert again.meta["smoke_test"] is True
        rendered = report.render(again)
        assert "SMOKE TEST" in rendered.splitlines()[0]
        header = next(line for line in rendered.splitlines() if line.startswith("scenario"))
        for column in ("% ceil", "% hello", "calib ms"):
            assert column in header, header
        for scenario in ("ingest", "ceiling", "hello"):
            lines = [line for line in rendered.splitlines() if line.startswith(scenario + " ")]
            assert len(lines) == len(expected), (scenario, lines)
            assert all("→" in line for line in lines), lines  # the calibration, before → after
        assert "before:" in report.compare(again, result)

    def test_sqlite_with_two_workers_is_reported_as_not_applicable(self, tmp_path: Path) -> None:
        options = Options(
            plan=TINY, databases=("sqlite",), workers=(2,), scenarios=("ingest",), log_dir=tmp_path
        )

        result = run(options, echo=lambda _line: None)

        assert [r.status for r in result.rows] == ["skipped"]
        assert "one worker" in result.rows[0].note
