"""``python -m bench [options]`` runs the benchmark; ``python -m bench compare A.json B.json`` compares."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import report
from bench.plan import PLANS
from bench.runner import ALL_SCENARIOS, Options, databases_from, run, workers_from


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure Rencontre against a real server on 127.0.0.1 (see bench/README.md). "
        "`python -m bench compare A.json B.json` compares two result files.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller event, 2 s windows: a smoke test of the full run, not a figure to quote",
    )
    parser.add_argument(
        "--tiny", action="store_true", help="a few requests of each kind: checks that it runs"
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--workers",
        choices=("1", "2", "4", "both", "all"),
        default=None,
        help="both = 1 and 2, all = 1, 2 and 4. Default: all for ingest and 1 for the other scenarios"
        " (1 with --quick/--tiny); given, every scenario runs at each",
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(ALL_SCENARIOS),
        help=f"comma-separated subset of {','.join(ALL_SCENARIOS)} (ingest brings its baselines along)",
    )
    parser.add_argument(
        "--out", type=Path, help="where to write the JSON (default bench/results/<time>.json)"
    )
    parser.add_argument("--profile", type=Path, metavar="DIR", help="py-spy the server during scan ingest")
    return parser


def _compare(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench compare", description="Compare two result files.")
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    sys.stdout.write(report.compare(report.load(args.before), report.load(args.after)))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["compare"]:
        return _compare(argv[1:])
    args = _run_parser().parse_args(argv)
    plan = PLANS["tiny" if args.tiny else "quick" if args.quick else "full"]
    chosen = tuple(s.strip() for s in args.scenarios.split(",") if s.strip())
    unknown = set(chosen) - set(ALL_SCENARIOS)
    if unknown:
        _run_parser().error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    workers = args.workers or ("all" if plan.mode == "full" else "1")
    options = Options(
        plan=plan,
        databases=databases_from(args.db),
        workers=workers_from(workers),
        scenarios=tuple(s for s in ALL_SCENARIOS if s in chosen),
        profile_dir=args.profile,
        others_at=(1,) if plan.mode == "full" and args.workers is None else None,
    )
    result = run(options)
    out = args.out or report.RESULTS_DIR / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{plan.mode}.json"
    result.write(out)
    sys.stdout.write("\n" + report.render(result))
    sys.stdout.write(f"\nResults written to {out}\n")
    return 0 if all(row.status != "failed" for row in result.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
