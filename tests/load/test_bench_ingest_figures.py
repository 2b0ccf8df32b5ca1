"""How an ingest measurement turns into figures, from made-up window results (no server, no timing).

What matters here is honesty: a generator out of CPU voids its row and the ratios built
on it, a quick or tiny run is never a figure, latencies and rates come from every
window of every generator process, and the truth's counts add up across windows.
"""

from __future__ import annotations

from bench import ingest, report
from bench.room import WindowResult


def _window(cpu_s: float, ok: int, latencies: list[float], wall_s: float = 10.0) -> WindowResult:
    return WindowResult(
        latencies_ms=latencies,
        statuses={"201": ok},
        started=100.0,
        ended=100.0 + wall_s,
        cpu_s=cpu_s,
        wall_s=wall_s,
        connections=ok // 4,
    )


def _row(app: str, cpu_s: float) -> report.Row:
    windows = [([_window(cpu_s, 1000, [5.0] * 1000), _window(1.0, 1000, [7.0] * 1000)], 5.0, 0.0)] * 2
    metrics = ingest._metrics(ingest.Measurement("closed", clients=64), windows, 10.0, database=False)
    metrics.update(calib_before_ms=40.0, calib_after_ms=44.0, quotable=not metrics["generator_limited"])
    return report.Row(app, "sqlite", 1, {"clients": 64}, metrics=metrics)


class TestIngestFigures:
    def test_rates_and_latencies_come_from_every_process_and_window(self) -> None:
        row = _row("ingest", cpu_s=2.0)

        assert row.metrics["ok"] == 4000
        assert row.metrics["rps"] == 200.0  # 2,000 a window over two 10 s windows
        assert row.metrics["windows_rps"] == [200.0, 200.0]
        assert row.metrics["p50_ms"] == 5.0
        assert row.metrics["p99_ms"] == 7.0
        assert row.metrics["generator_cpu_pct"] == 20
        assert row.metrics["generator_limited"] is False

    def test_a_generator_out_of_cpu_voids_the_row(self) -> None:
        row = _row("hello", cpu_s=9.5)
        row.note = ingest._note(row)

        assert row.metrics["generator_limited"] is True
        assert row.metrics["quotable"] is False
        assert row.note.startswith("NOT A FIGURE")

    def test_the_truth_adds_up_across_windows_and_any_fault_is_an_error(self) -> None:
        clean = {"acked": 10, "new_contacts": 10, "lost": 0, "feed_advance": 10}
        clean.update(feed_gaps=0, feed_duplicates=0, feed_mismatch=0, unacked_committed=0)
        faulty = {**clean, "lost": 1, "feed_gaps": 2}

        total = ingest._sum_checks([clean, faulty])

        assert total["acked"] == 20
        assert total["truth_errors"] == 3

    def test_the_table_prints_both_ratios_and_the_calibration(self) -> None:
        product = _row("ingest", cpu_s=2.0)
        product.metrics.update(pct_ceiling=20.0, pct_hello=10.0)

        lines = report.table([product, _row("ceiling", 2.0), _row("hello", 2.0)]).splitlines()

        assert "% hello" in lines[0]
        assert "calib ms" in lines[0]
        assert "20.0%" in lines[2]
        assert "10.0%" in lines[2]
        assert all("40.0→44.0" in line for line in lines[2:])

    def test_a_smoke_run_says_so_above_its_table(self) -> None:
        quick = report.Report(meta={"mode": "quick"}, rows=[_row("ingest", 2.0)])
        full = report.Report(meta={"mode": "full"}, rows=[_row("ingest", 2.0)])

        assert report.render(quick).startswith("SMOKE TEST")
        assert "SMOKE TEST" not in report.render(full)
