"""Where the bench's dashboards connect: the main server, or a feed-only process beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench import dashboards


class _Main:
    port = 8123
    env: dict[str, str] = {}


class TestServing:
    def test_main_is_the_server_the_scans_go_to(self, tmp_path: Path) -> None:
        main: Any = _Main()
        with dashboards.serving("main", main, "sqlite", tmp_path) as server:
            assert server is main

    def test_feed_only_is_refused_on_sqlite(self, tmp_path: Path) -> None:
        with (
            pytest.raises(ValueError, match="needs PostgreSQL"),
            dashboards.serving("feed-only", _Main(), "sqlite", tmp_path),  # type: ignore[arg-type]
        ):
            pass

    def test_an_unknown_way_is_refused(self, tmp_path: Path) -> None:
        with (
            pytest.raises(ValueError, match="main, feed-only"),
            dashboards.serving("nginx", _Main(), "postgresql", tmp_path),  # type: ignore[arg-type]
        ):
            pass
