"""The live dashboard's arithmetic, run as the browser runs it: the console's own
TypeScript (frontend/src/console/live), compiled by the project's tsc and evaluated
by Node. A snapshot replaces; a delta replaces counts with exact values only when it
is newer; nothing is ever added twice; a gap asks for a resync."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import REPO, require_or_skip

FRONTEND = REPO / "frontend"
SOURCES = [
    "src/console/live/dashboard-state.ts",
    "src/console/live/series.ts",
    "src/console/live/feed-client.ts",
]
T0 = "2026-06-12T17:00:00Z"
T1 = "2026-06-12T17:05:00Z"
T2 = "2026-06-12T17:10:00Z"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    node = shutil.which("node")
    tsc = FRONTEND / "node_modules" / "typescript" / "bin" / "tsc"
    require_or_skip(
        node is not None and tsc.exists(), "Node and frontend/node_modules (cd frontend && npm ci)"
    )
    out = tmp_path_factory.mktemp("console-live")
    done = subprocess.run(
        [
            "node",
            str(tsc),
            "--outDir",
            str(out),
            "--rootDir",
            "src/console/live",
            "--target",
            "es2022",
            "--module",
            "es2022",
            "--moduleResolution",
            "bundler",
            "--lib",
            "es2022,dom",
            "--strict",
            "--skipLibCheck",
            *SOURCES,
        ],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Relative imports need their extension under Node's ESM loader.
    for module in out.glob("*.js"):
        text = module.read_text()
        module.write_text(text.replace('from "./dashboard-state"', 'from "./dashboard-state.js"'))
    return out


def run(compiled: Path, body: str) -> Any:
    """Evaluate ``body`` (which returns a value) with the modules imported as S, C and F."""
    script = (
        f"import * as S from '{compiled}/dashboard-state.js';"
        f"import * as C from '{compiled}/series.js';"
        f"import * as F from '{compiled}/feed-client.js';"
        f"const result = (() => {{ {body} }})();"
        "process.stdout.write(JSON.stringify(result));"
    )
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def snapshot(seq: int, connections: int, timeline: list[tuple[str, int]] | None = None) -> dict[str, Any]:
    return {
        "type": "snapshot",
        "seq": seq,
        "bucket_minutes": 5,
        "counts": {
            "connections": connections,
            "unique_pairs": connections,
            "mutual": 0,
            "active_scanners": 2,
            "present": 9,
            "isolated": 1,
        },
        "timeline": [{"start": start, "connections": n} for start, n in (timeline or [])],
        "top": [{"name": "Zoé", "connections": connections}],
        "isolated": [{"name": "Noah", "company": "Alan", "present_since": T0, "connections": 0}],
    }


def delta(seq: int, from_seq: int, connections: int, timeline: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "type": "delta",
        "seq": seq,
        "from_seq": from_seq,
        "counts": {
            "connections": connections,
            "unique_pairs": connections,
            "mutual": 1,
            "active_scanners": 3,
            "present": 9,
            "isolated": 0,
        },
        "timeline": [{"start": start, "connections": n} for start, n in timeline],
        "connections": [],
    }


def fold(compiled: Path, frames: list[Any]) -> dict[str, Any]:
    """Apply the frames in order; the final state and whether any asked for a resync."""
    state: dict[str, Any] = run(
        compiled,
        f"""
        let state = S.emptyState(); let resync = false;
        for (const frame of {json.dumps(frames)}) {{
          const applied = S.applyFrame(state, frame, 0);
          state = applied.state; resync = resync || applied.resync;
        }}
        return {{ ...state, resync }};
        """,
    )
    return state


class TestSnapshot:
    def test_a_snapshot_replaces_everything(self, compiled: Path) -> None:
        state = fold(compiled, [snapshot(7, 7, [(T0, 3), (T1, 4)]), snapshot(3, 3, [(T0, 3)])])
        assert state["seq"] == 3
        assert state["counts"]["connections"] == 3
        assert state["timeline"] == [{"at": 1781283600000, "connections": 3}]
        assert state["top"] == [{"name": "Zoé", "connections": 3}]
        assert state["isolated"][0]["name"] == "Noah"
        assert not state["resync"]


class TestListsWithoutCounts:
    def test_a_list_without_per_person_counts_keeps_them_unknown(self, compiled: Path) -> None:
        """With names off the server ranks people without a number: none is made up (no 0)."""
        plain = snapshot(3, 3)
        plain["top"] = [{"name": "Zoé", "connections": None}, {"name": "Ali"}]
        plain["isolated"] = [{"name": "Noah", "company": "Alan", "present_since": T0}]
        state = fold(compiled, [plain])
        assert state["top"] == [{"name": "Zoé", "connections": None}, {"name": "Ali", "connections": None}]
        assert state["isolated"][0]["connections"] is None


class TestDelta:
    def test_a_newer_delta_replaces_counts_and_changed_buckets(self, compiled: Path) -> None:
        state = fold(compiled, [snapshot(4, 4, [(T0, 4)]), delta(6, 4, 6, [(T1, 2)])])
        assert state["seq"] == 6
        assert state["counts"]["connections"] == 6
        assert state["counts"]["isolated"] == 0
        assert [b["connections"] for b in state["timeline"]] == [4, 2]
        assert state["top"] == [{"name": "Zoé", "connections": 4}], "top kept when the delta has none"

    def test_the_same_delta_twice_counts_once(self, compiled: Path) -> None:
        frames = [snapshot(4, 4, [(T0, 4)]), delta(6, 4, 6, [(T0, 5), (T1, 1)])]
        once = fold(compiled, frames)
        twice = fold(compiled, [*frames, frames[1], frames[1]])
        assert twice == once
        assert [b["connections"] for b in twice["timeline"]] == [5, 1]

    def test_an_older_delta_after_a_resume_changes_nothing(self, compiled: Path) -> None:
        state = fold(
            compiled,
            [snapshot(10, 10, [(T0, 10)]), delta(8, 6, 8, [(T0, 8)]), delta(10, 8, 10, [(T0, 10)])],
        )
        assert state["seq"] == 10
        assert state["counts"]["connections"] == 10
        assert state["timeline"][0]["connections"] == 10
        assert not state["resync"]

    def test_an_overlapping_resume_lands_on_exact_counts(self, compiled: Path) -> None:
        # Seen up to 5; the resumed stream restarts at 3 and goes on to 9.
        state = fold(
            compiled,
            [
                snapshot(5, 5, [(T0, 5)]),
                delta(5, 3, 5, [(T0, 5)]),
                delta(7, 5, 7, [(T0, 7)]),
                delta(9, 7, 9, [(T0, 7), (T2, 2)]),
            ],
        )
        assert (state["seq"], state["counts"]["connections"]) == (9, 9)
        assert [b["connections"] for b in state["timeline"]] == [7, 2]

    def test_a_gap_asks_for_a_resync_and_applies_nothing(self, compiled: Path) -> None:
        state = fold(compiled, [snapshot(4, 4, [(T0, 4)]), delta(9, 7, 9, [(T1, 2)])])
        assert state["resync"]
        assert (state["seq"], state["counts"]["connections"]) == (4, 4)

    def test_a_delta_before_any_snapshot_asks_for_one(self, compiled: Path) -> None:
        state = fold(compiled, [delta(3, 2, 3, [(T0, 3)])])
        assert state["resync"]
        assert state["seq"] is None

    def test_other_frames_and_garbage_change_nothing(self, compiled: Path) -> None:
        base = fold(compiled, [snapshot(4, 4, [(T0, 4)])])
        after = fold(
            compiled,
            [snapshot(4, 4, [(T0, 4)]), {"type": "pong", "seq": 9}, {"type": "error"}, "junk", None, 42],
        )
        assert after == base


class TestTimelineSeries:
    def test_empty_buckets_are_zeros_up_to_now(self, compiled: Path) -> None:
        xs, ys = run(
            compiled,
            f"return C.continuousSeries([{{at: Date.parse('{T0}'), connections: 3}},"
            f" {{at: Date.parse('{T2}'), connections: 1}}], 300, Date.parse('2026-06-12T17:21:00Z'));",
        )
        assert len(xs) == 12, "at least an hour of 5-minute buckets"
        assert xs[-1] == 1781284800  # 17:20, the current bucket
        assert ys[-5:] == [3, 0, 1, 0, 0]
        assert all(b - a == 300 for a, b in itertools.pairwise(xs))


class TestReconnection:
    def test_backoff_grows_is_capped_and_jittered(self, compiled: Path) -> None:
        delays = run(
            compiled,
            "return [0, 1, 2, 3, 10, 30]"
            ".map((n) => [F.backoffDelay(n, () => 0), F.backoffDelay(n, () => 1)]);",
        )
        assert delays[:4] == [[250, 500], [500, 1000], [1000, 2000], [2000, 4000]]
        assert delays[4] == [7500, 15000]
        assert delays[5] == [7500, 15000]

    def test_the_socket_url_follows_the_page_and_carries_no_credential(self, compiled: Path) -> None:
        urls = run(
            compiled,
            "return [F.feedUrl('e1', {protocol: 'https:', host: 'rencontre.example'}),"
            " F.feedUrl('e1', {protocol: 'http:', host: '127.0.0.1:8010'})];",
        )
        assert urls == [
            "wss://rencontre.example/api/events/e1/feed",
            "ws://127.0.0.1:8010/api/events/e1/feed",
        ]
